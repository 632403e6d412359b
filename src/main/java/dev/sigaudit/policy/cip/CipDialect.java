package dev.sigaudit.policy.cip;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PolicyDialect;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sigstore policy-controller's {@code ClusterImagePolicy}, judged with the installation's {@code
 * no-match-policy} (ConfigMap {@code config-policy-controller}).
 */
public final class CipDialect implements PolicyDialect {
  private static final List<Resource> RESOURCES =
      List.of(
          new Resource(
              "policy.sigstore.dev",
              List.of("v1beta1", "v1alpha1"),
              "clusterimagepolicies",
              false));

  private final KeyParser keys;

  public CipDialect(KeyParser keys) {
    this.keys = keys;
  }

  @Override
  public List<Resource> resources() {
    return RESOURCES;
  }

  @Override
  public Set<String> kinds() {
    return Set.of("ClusterImagePolicy");
  }

  @Override
  public Optional<Settings> settings() {
    return Optional.of(
        new Settings(
            "policy-controller",
            CipOptions.DEFAULT.controllerNamespace(),
            "config-policy-controller",
            "no-match-policy taken as its default"));
  }

  @Override
  public LoadedPolicies translate(List<JsonObject> objects, Map<String, String> settings) {
    CipOptions options =
        CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.fromConfigMap(settings));
    return new CipTranslator(keys, options).translate(objects);
  }

  /**
   * A ClusterImagePolicy from a file is judged without policy-controller's no-match policy: that
   * policy is about the images <em>no</em> ClusterImagePolicy of the cluster matches, which a file
   * cannot say.
   */
  @Override
  public LoadedPolicies translateFile(List<JsonObject> objects) {
    return new CipTranslator(keys, CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.ALLOW))
        .translate(objects);
  }
}
