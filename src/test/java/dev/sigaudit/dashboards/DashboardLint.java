package dev.sigaudit.dashboards;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/dashboard-lint} (Node.js: Grafana's published schemas through ajv,
 * Prometheus' PromQL parser and linter) and reads its JSON report. The first run installs the
 * pinned npm packages into {@code ~/.cache/sigaudit/node}, hence the generous timeout.
 */
final class DashboardLint {
  private static final long TIMEOUT_MINUTES = 10;

  private DashboardLint() {}

  /** One dashboard file's report; see scripts/grafana/lint-dashboards.cjs for the fields. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Report(
      String file,
      List<Problem> schemaErrors,
      List<Problem> panelErrors,
      List<Expression> expressions,
      List<String> unchecked) {}

  /** A schema violation: what it concerns (panel, variable, dashboard), JSON path, message. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Problem(String where, String path, String message) {}

  /**
   * One PromQL expression of a panel query, a query variable (then {@code variable} is its name) or
   * an annotation.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Expression(
      String location,
      String path,
      String variable,
      String expr,
      String parsed,
      List<String> variables,
      List<String> syntaxErrors,
      List<String> typeErrors,
      List<Selector> selectors,
      List<LabelRef> labelRefs,
      List<String> createdLabels) {}

  /** A vector selector: metric name (null if it has none) and label matchers. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Selector(String text, String metric, List<Matcher> matchers) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Matcher(String label, String op, String value) {}

  /** A label name used in by/without/on/ignoring/group_*, label_values or label_replace. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record LabelRef(String label, String context) {}

  static List<Report> run(Path root, List<Path> dashboards)
      throws IOException, InterruptedException {
    return run(root, dashboards, java.util.Map.of());
  }

  /** Like {@link #run(Path, List)}, with {@code env} added to the script's environment. */
  static List<Report> run(Path root, List<Path> dashboards, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("bash", root.resolve("scripts/dashboard-lint").toString()));
    dashboards.forEach(d -> command.add(d.toAbsolutePath().toString()));
    Path stdout = Files.createTempFile("dashboard-lint", ".json");
    Path stderr = Files.createTempFile("dashboard-lint", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "scripts/dashboard-lint did not finish in " + TIMEOUT_MINUTES + " minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "scripts/dashboard-lint failed (exit "
                + p.exitValue()
                + "; it needs Node.js >= 18, and npm with access to the npm registry on first use):\n"
                + Files.readString(stderr));
      }
      return new ObjectMapper()
          .readValue(Files.readString(stdout), new TypeReference<List<Report>>() {});
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }
}
