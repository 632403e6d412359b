package dev.sigaudit.policy.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the policies of a YAML file: one or more documents, each a policy or a list of policies.
 *
 * <p>Safe by construction: Jackson builds only JSON trees (YAML tags never instantiate classes),
 * aliases are refused (no "billion laughs", and Jackson would otherwise read {@code *x} as the
 * string {@code x}), duplicate keys are errors (the last one silently winning hides mistakes), and
 * nesting depth is bounded. The caller bounds the size.
 */
final class YamlDocuments {
  private YamlDocuments() {}

  /**
   * The policy nodes found, in file order, and the syntax error that stopped reading, if any
   * (policies before the error are still returned).
   *
   * @param documents for each policy node, the 0-based index of the YAML document it came from (a
   *     document holding a list gives several nodes the same index)
   */
  record Read(List<JsonNode> policies, List<Integer> documents, Optional<String> error) {
    Read {
      policies = List.copyOf(policies);
      documents = List.copyOf(documents);
    }
  }

  static final ObjectMapper MAPPER = mapper();

  static Read read(byte[] yaml) {
    List<JsonNode> policies = new ArrayList<>();
    List<Integer> documents = new ArrayList<>();
    int document = -1;
    try (JsonParser parser = new NoAliases((YAMLParser) MAPPER.getFactory().createParser(yaml));
        MappingIterator<JsonNode> docs = MAPPER.readerFor(JsonNode.class).readValues(parser)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        document++;
        if (doc == null || doc.isNull() || doc.isMissingNode() || isEmptyText(doc)) {
          continue; // an empty document, e.g. a trailing "---"
        }
        int index = document;
        if (doc.isArray()) {
          doc.forEach(
              n -> {
                policies.add(n);
                documents.add(index);
              });
        } else {
          policies.add(doc);
          documents.add(index);
        }
      }
      return new Read(policies, documents, Optional.empty());
    } catch (JsonProcessingException e) {
      return new Read(policies, documents, Optional.of(describe(e)));
    } catch (IOException e) {
      return new Read(policies, documents, Optional.of("cannot read YAML: " + e.getMessage()));
    }
  }

  private static boolean isEmptyText(JsonNode n) {
    return n.isTextual() && n.asText().isEmpty();
  }

  private static String describe(JsonProcessingException e) {
    String problem = firstLine(e.getOriginalMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m && m.getProblem() != null) {
        problem = m.getProblem();
      }
    }
    JsonLocation loc = e.getLocation();
    String where =
        loc == null || loc.getLineNr() < 1
            ? ""
            : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    return where + "invalid YAML: " + problem + "; policies from this point on were not loaded";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static ObjectMapper mapper() {
    LoaderOptions loader = new LoaderOptions();
    loader.setNestingDepthLimit(40);
    loader.setMaxAliasesForCollections(0);
    loader.setAllowDuplicateKeys(false);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(40).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    return YAMLMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // "2" is not a count and "true" is not a boolean: say so instead of guessing.
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
  }

  /** Refuses YAML aliases ({@code *name}). */
  private static final class NoAliases extends JsonParserDelegate {
    private final YAMLParser yaml;

    NoAliases(YAMLParser yaml) {
      super(yaml);
      this.yaml = yaml;
    }

    @Override
    public JsonToken nextToken() throws IOException {
      JsonToken t = super.nextToken();
      if (yaml.isCurrentAlias()) {
        throw new JsonParseException(
            this, "YAML aliases (*" + yaml.getText() + ") are not supported");
      }
      return t;
    }
  }
}
