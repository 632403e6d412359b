package dev.sigaudit.testenv;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.util.ArrayList;
import java.util.List;

/** sigaudit's PolicyReports of one namespace (one per workload), read back for assertions. */
public final class SigauditReports {
  private SigauditReports() {}

  /** Every report sigaudit manages in {@code namespace}, by name. */
  public static List<JsonObject> reports(ApiClient client, String namespace) {
    ListOptions opts = new ListOptions();
    opts.setLabelSelector("app.kubernetes.io/managed-by=sigaudit");
    var list =
        new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "policyreports", client)
            .list(namespace, opts);
    if (!list.isSuccess()) {
      throw new IllegalStateException("listing PolicyReports: " + list.getStatus());
    }
    List<JsonObject> out = new ArrayList<>();
    for (DynamicKubernetesObject o : list.getObject().getItems()) {
      out.add(o.getRaw());
    }
    out.sort(
        java.util.Comparator.comparing(
            r -> r.getAsJsonObject("metadata").get("name").getAsString()));
    return out;
  }

  /** The results of all of them. */
  public static List<JsonObject> results(ApiClient client, String namespace) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject r : reports(client, namespace)) {
      for (JsonElement e : r.getAsJsonArray("results")) {
        out.add(e.getAsJsonObject());
      }
    }
    return out;
  }

  /** A result and the name of the workload its report is about (the report's {@code scope}). */
  public record Scoped(String workload, JsonObject result) {}

  /** The results of all of them, each with its report's workload. */
  public static List<Scoped> scopedResults(ApiClient client, String namespace) {
    List<Scoped> out = new ArrayList<>();
    for (JsonObject r : reports(client, namespace)) {
      String workload = r.getAsJsonObject("scope").get("name").getAsString();
      for (JsonElement e : r.getAsJsonArray("results")) {
        out.add(new Scoped(workload, e.getAsJsonObject()));
      }
    }
    return out;
  }

  /** The sum of one summary field over all of them. */
  public static int summary(ApiClient client, String namespace, String result) {
    return reports(client, namespace).stream()
        .mapToInt(r -> r.getAsJsonObject("summary").get(result).getAsInt())
        .sum();
  }
}
