package dev.sigaudit.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The documented differences between sigaudit and the real engines ({@code
 * src/test/resources/parity/differences.yaml}): each entry names a policy and a Pod (with {@code *}
 * globs), the two verdicts, whether the difference is deliberate or an open bug (with its class in
 * issue 10), and why. The parity suite fails on a disagreement no entry lists, and on an entry that
 * no longer matches any disagreement.
 */
record Differences(List<Entry> entries) {
  static final String RESOURCE = "/parity/differences.yaml";

  /** One documented difference. */
  record Entry(
      String policy,
      String pod,
      String sigaudit,
      String engine,
      String kind,
      String issueClass,
      String reason) {
    boolean matches(
        String policyLabel, String podName, String sigauditVerdict, String engineVerdict) {
      return glob(policy).matcher(policyLabel).matches()
          && glob(pod).matcher(podName).matches()
          && sigaudit.equals(sigauditVerdict)
          && engine.equals(engineVerdict);
    }

    String describe() {
      return policy + " × " + pod + ": sigaudit " + sigaudit + ", engine " + engine;
    }
  }

  static Differences load() throws IOException {
    try (InputStream in = Differences.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing");
      }
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
      List<Entry> entries = new ArrayList<>();
      for (JsonNode e : root.path("differences")) {
        String kind = e.path("kind").asText();
        if (!kind.equals("deliberate") && !kind.equals("open-bug")) {
          throw new IOException("differences.yaml: kind must be deliberate or open-bug: " + e);
        }
        if (kind.equals("open-bug") && e.path("class").isMissingNode()) {
          throw new IOException("differences.yaml: an open bug names its class of issue 10: " + e);
        }
        if (e.path("reason").asText().isBlank()) {
          throw new IOException("differences.yaml: every difference says why: " + e);
        }
        entries.add(
            new Entry(
                e.path("policy").asText(),
                e.path("pod").asText(),
                e.path("sigaudit").asText(),
                e.path("engine").asText(),
                kind,
                e.path("class").asText(""),
                e.path("reason").asText()));
      }
      return new Differences(entries);
    }
  }

  /** The first entry documenting this disagreement, or null. */
  Entry find(String policyLabel, String pod, String sigauditVerdict, String engineVerdict) {
    for (Entry e : entries) {
      if (e.matches(policyLabel, pod, sigauditVerdict, engineVerdict)) {
        return e;
      }
    }
    return null;
  }

  private static Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (String part : g.split("\\*", -1)) {
      if (!re.isEmpty()) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }
}
