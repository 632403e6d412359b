package dev.sigaudit.cluster;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApisApi;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the apiserver serves, from API discovery ({@code /apis}, {@code /apis/GROUP/VERSION}).
 * Discovery is open to every authenticated user (the {@code system:discovery} ClusterRole), so
 * asking needs no permission of sigaudit's own; and RBAC answers 403 before a missing CRD answers
 * 404, so under least privilege only discovery can tell "not installed" from "not allowed".
 *
 * <p>Each group/version is asked once per instance.
 */
public final class ApiDiscovery {
  /** Thrown when discovery itself cannot be read (apiserver unreachable, say). */
  public static final class Unavailable extends Exception {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ApiClient client;
  private Map<String, Set<String>> versionsByGroup;
  private final Map<String, Set<String>> resourcesByGroupVersion = new HashMap<>();

  public ApiDiscovery(ApiClient client) {
    this.client = client;
  }

  /** Whether {@code group/version} serves {@code plural} (a CRD installed and established). */
  public synchronized boolean serves(String group, String version, String plural)
      throws Unavailable {
    if (!groups().getOrDefault(group, Set.of()).contains(version)) {
      return false;
    }
    return resources(group, version).contains(plural);
  }

  private Map<String, Set<String>> groups() throws Unavailable {
    if (versionsByGroup == null) {
      try {
        Map<String, Set<String>> found = new HashMap<>();
        List<V1APIGroup> groups = new ApisApi(client).getAPIVersions().execute().getGroups();
        for (V1APIGroup g : groups) {
          Set<String> versions = new HashSet<>();
          for (V1GroupVersionForDiscovery v : g.getVersions()) {
            versions.add(v.getVersion());
          }
          found.put(g.getName(), versions);
        }
        versionsByGroup = found;
      } catch (ApiException | RuntimeException e) {
        throw new Unavailable("API discovery (/apis) failed: " + reason(e), e);
      }
    }
    return versionsByGroup;
  }

  private Set<String> resources(String group, String version) throws Unavailable {
    String key = group + "/" + version;
    Set<String> known = resourcesByGroupVersion.get(key);
    if (known != null) {
      return known;
    }
    try {
      Set<String> plurals = new HashSet<>();
      for (V1APIResource r :
          new CustomObjectsApi(client).getAPIResources(group, version).execute().getResources()) {
        plurals.add(r.getName());
      }
      resourcesByGroupVersion.put(key, plurals);
      return plurals;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        // Removed between the two requests: not served.
        resourcesByGroupVersion.put(key, Set.of());
        return Set.of();
      }
      throw new Unavailable("API discovery (/apis/" + key + ") failed: " + reason(e), e);
    } catch (RuntimeException e) {
      throw new Unavailable("API discovery (/apis/" + key + ") failed: " + reason(e), e);
    }
  }

  private static String reason(Exception e) {
    if (e instanceof ApiException a && a.getCode() != 0) {
      return a.getCode() + " " + a.getMessage();
    }
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
