package dev.sigaudit.scan;

import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.registry.CredentialProvider;
import java.util.List;

/** Which registry credentials each container's lookups may use (see {@link RegistryAccess}). */
public interface CredentialScopes {

  /** Reads what the scopes need (e.g. pull secrets), once per scan. */
  default void prepare(List<RunningContainer> containers) {}

  default List<String> warnings() {
    return List.of();
  }

  String scopeOf(RunningContainer c);

  CredentialProvider credentials(String scope);

  /** One scope for every container, with the given credentials (e.g. a docker config.json). */
  static CredentialScopes shared(CredentialProvider credentials) {
    return new CredentialScopes() {
      @Override
      public String scopeOf(RunningContainer c) {
        return "";
      }

      @Override
      public CredentialProvider credentials(String scope) {
        return credentials;
      }
    };
  }
}
