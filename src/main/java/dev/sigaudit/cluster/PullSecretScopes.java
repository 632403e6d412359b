package dev.sigaudit.cluster;

import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.registry.DockerConfig;
import dev.sigaudit.scan.CredentialScopes;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registry credentials from the Pods' {@code imagePullSecrets} and their ServiceAccounts', as the
 * kubelet uses them: the Pod's secrets first, then the ServiceAccount's, then the fallback (a
 * docker config.json given to sigaudit). A scope is a namespace plus that ordered secret list, so
 * credentials never serve another namespace's Pods, and each credential is sent only to the
 * registry host it names.
 *
 * <p>Reads with {@code get} only (one request per distinct ServiceAccount and Secret), never lists
 * Secrets. An unreadable or malformed secret is a warning; lookups then go on without it, and the
 * registry's 401 becomes an error result naming the registry.
 */
public final class PullSecretScopes implements CredentialScopes {
  private static final int MAX_SECRET_BYTES = 256 * 1024;

  private final CoreV1Api core;
  private final CredentialProvider fallback;
  private final Map<String, List<String>> saSecrets = new ConcurrentHashMap<>();
  private final Map<String, Optional<CredentialProvider>> secrets = new ConcurrentHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  public PullSecretScopes(ApiClient client, CredentialProvider fallback) {
    this.core = new CoreV1Api(client);
    this.fallback = fallback;
  }

  @Override
  public synchronized void prepare(List<RunningContainer> containers) {
    for (RunningContainer c : containers) {
      String sa = c.namespace() + "/" + c.serviceAccount();
      saSecrets.computeIfAbsent(sa, k -> serviceAccountSecrets(c.namespace(), c.serviceAccount()));
    }
    for (RunningContainer c : containers) {
      for (String name : secretNames(c)) {
        secrets.computeIfAbsent(c.namespace() + "/" + name, k -> readSecret(c.namespace(), name));
      }
    }
  }

  @Override
  public synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  @Override
  public String scopeOf(RunningContainer c) {
    List<String> names = secretNames(c);
    return names.isEmpty() ? "" : c.namespace() + "/" + String.join(",", names);
  }

  @Override
  public CredentialProvider credentials(String scope) {
    if (scope.isEmpty()) {
      return fallback;
    }
    String ns = scope.substring(0, scope.indexOf('/'));
    CredentialProvider chain = null;
    for (String name : scope.substring(scope.indexOf('/') + 1).split(",")) {
      Optional<CredentialProvider> p = secrets.getOrDefault(ns + "/" + name, Optional.empty());
      if (p.isPresent()) {
        chain = chain == null ? p.get() : chain.orElse(p.get());
      }
    }
    return chain == null ? fallback : chain.orElse(fallback);
  }

  private List<String> secretNames(RunningContainer c) {
    LinkedHashSet<String> names = new LinkedHashSet<>(c.pullSecrets());
    names.addAll(saSecrets.getOrDefault(c.namespace() + "/" + c.serviceAccount(), List.of()));
    return List.copyOf(names);
  }

  private List<String> serviceAccountSecrets(String ns, String name) {
    try {
      V1ServiceAccount sa = core.readNamespacedServiceAccount(name, ns).execute();
      return sa.getImagePullSecrets() == null
          ? List.of()
          : sa.getImagePullSecrets().stream().map(V1LocalObjectReference::getName).toList();
    } catch (ApiException e) {
      if (e.getCode() != 404) {
        warn("reading ServiceAccount " + ns + "/" + name + " failed: " + e.getCode());
      }
      return List.of();
    }
  }

  private Optional<CredentialProvider> readSecret(String ns, String name) {
    try {
      V1Secret s = core.readNamespacedSecret(name, ns).execute();
      Map<String, byte[]> data = s.getData() == null ? Map.of() : s.getData();
      byte[] json;
      if (data.containsKey(".dockerconfigjson")) {
        json = data.get(".dockerconfigjson");
      } else if (data.containsKey(".dockercfg")) {
        // The legacy format is the "auths" map alone.
        json =
            ("{\"auths\":" + new String(data.get(".dockercfg"), StandardCharsets.UTF_8) + "}")
                .getBytes(StandardCharsets.UTF_8);
      } else {
        warn("pull secret " + ns + "/" + name + " has neither .dockerconfigjson nor .dockercfg");
        return Optional.empty();
      }
      if (json.length > MAX_SECRET_BYTES) {
        warn("pull secret " + ns + "/" + name + " is larger than " + MAX_SECRET_BYTES + " bytes");
        return Optional.empty();
      }
      return Optional.of(DockerConfig.parse(json));
    } catch (ApiException e) {
      warn("reading pull secret " + ns + "/" + name + " failed: " + e.getCode());
      return Optional.empty();
    } catch (RuntimeException e) {
      // Never quote the secret's content: the parser's message is enough.
      warn("pull secret " + ns + "/" + name + " is not a valid docker config: " + e.getMessage());
      return Optional.empty();
    }
  }

  private synchronized void warn(String w) {
    warnings.add(w);
  }
}
