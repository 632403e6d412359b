package dev.sigaudit.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the reports the scan wrote back from the apiserver, as a user's kubectl would. */
final class DemoReports {
  static final String READINESS = "sigaudit-enforce-readiness";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** YAML as kubectl prints it: no document marker, quotes only where needed, long lines kept. */
  static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build();

  private DemoReports() {}

  /** The PolicyReports of one namespace, as JSON trees. */
  static List<JsonNode> policyReports(ApiClient client, String namespace) throws IOException {
    var list =
        new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "policyreports", client)
            .list(namespace);
    if (!list.isSuccess()) {
      throw new IOException("listing PolicyReports in " + namespace + ": " + list.getStatus());
    }
    List<JsonNode> out = new ArrayList<>();
    for (DynamicKubernetesObject o : list.getObject().getItems()) {
      out.add(JSON.readTree(o.getRaw().toString()));
    }
    return out;
  }

  /** The Enforce-readiness ClusterPolicyReport, or an error if the scan did not write it. */
  static JsonNode readiness(ApiClient client) throws IOException {
    var r =
        new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "clusterpolicyreports", client)
            .get(READINESS);
    if (!r.isSuccess()) {
      throw new IOException("reading ClusterPolicyReport " + READINESS + ": " + r.getStatus());
    }
    return JSON.readTree(r.getObject().getRaw().toString());
  }

  /** Writes every report of the demo namespaces and the readiness report as YAML files. */
  static List<Path> export(ApiClient client, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (String ns : DemoWorkload.namespaces()) {
      for (JsonNode report : policyReports(client, ns)) {
        String name = report.path("metadata").path("name").asText();
        files.add(write(dir.resolve("policyreport-" + ns + "-" + name + ".yaml"), report));
      }
    }
    files.add(write(dir.resolve("clusterpolicyreport-" + READINESS + ".yaml"), readiness(client)));
    return files;
  }

  private static Path write(Path file, JsonNode node) throws IOException {
    Files.writeString(file, YAML.writeValueAsString(node));
    return file;
  }
}
