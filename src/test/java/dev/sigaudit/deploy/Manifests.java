package dev.sigaudit.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kubernetes objects read from YAML files (several documents per file). */
record Manifests(List<JsonNode> objects) {
  static final YAMLMapper YAML = new YAMLMapper();

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("cronjob"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no cronjob/ above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static Manifests read(Path... files) throws IOException {
    List<JsonNode> all = new ArrayList<>();
    for (Path f : files) {
      all.addAll(documents(f));
    }
    return new Manifests(all);
  }

  static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && !d.isNull() && !d.isEmpty()) {
          docs.add(d);
        }
      }
    }
    return docs;
  }

  /** The resources and generated ConfigMaps of a kustomization directory, unrendered. */
  static Manifests ofKustomization(Path dir) throws IOException {
    JsonNode k = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText());
      if (Files.isRegularFile(p)) {
        all.addAll(documents(p));
      }
    }
    for (JsonNode g : k.path("configMapGenerator")) {
      var cm = YAML.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
      cm.putObject("metadata").put("name", g.path("name").asText());
      var data = cm.putObject("data");
      for (JsonNode f : g.path("files")) {
        Path p = dir.resolve(f.asText());
        data.put(p.getFileName().toString(), Files.readString(p));
      }
      all.add(cm);
    }
    return new Manifests(all);
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + names()));
  }

  List<String> names() {
    return objects.stream()
        .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
        .toList();
  }
}
