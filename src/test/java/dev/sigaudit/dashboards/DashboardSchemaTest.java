package dev.sigaudit.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.dashboards.DashboardLint.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validates every dashboard under {@code dashboards/}: Grafana's published dashboard and panel
 * schemas, PromQL syntax and types (Prometheus' own parser and linter), sigaudit's metrics and
 * labels only, template variables, and the conventions that make a dashboard importable anywhere.
 * The heavy lifting runs in Node.js through {@code scripts/dashboard-lint} (see {@link
 * DashboardLint}); the verdicts are in {@link DashboardRules}.
 *
 * <p>Each check is also run on copies of the dashboards broken on purpose ({@link #mutations()}),
 * which must fail with a message naming the dashboard, the panel and the expression: a check that
 * cannot fail would prove nothing.
 */
class DashboardSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = projectRoot();
  private static final Path DASHBOARDS = ROOT.resolve("dashboards");
  private static final Path SCHEMA = ROOT.resolve("src/test/resources/grafana/grafana-schema.json");
  private static final MetricCatalog CATALOG = MetricCatalog.fromScanMetrics();

  @TempDir static Path tmp;

  private static JsonNode schema;
  private static final Map<String, DashboardRules> dashboards = new LinkedHashMap<>();
  private static final Map<String, DashboardRules> mutants = new LinkedHashMap<>();
  private static final Map<String, String> unapplied = new LinkedHashMap<>();

  @BeforeAll
  static void lintDashboardsAndMutants() throws Exception {
    schema = JSON.readTree(SCHEMA.toFile());
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(DASHBOARDS)) {
      s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    Map<String, Path> mutantFiles = new LinkedHashMap<>();
    for (Mutation m : mutations()) {
      ObjectNode json = (ObjectNode) JSON.readTree(DASHBOARDS.resolve(m.dashboard()).toFile());
      try {
        m.change().accept(json);
      } catch (IllegalArgumentException e) {
        // The dashboard changed where the mutation edits it: only that mutation's test fails.
        unapplied.put(m.name(), e.getMessage());
        continue;
      }
      Path dir = Files.createDirectories(tmp.resolve(m.name()));
      Path file = dir.resolve(m.dashboard()); // same file name: messages must name it
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
      mutantFiles.put(m.name(), file);
    }
    List<Path> all = new ArrayList<>(files);
    all.addAll(mutantFiles.values());
    List<Report> reports = DashboardLint.run(ROOT, all);
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      dashboards.put(f.getFileName().toString(), rules(f, reports.get(i)));
    }
    int i = files.size();
    for (var e : mutantFiles.entrySet()) {
      mutants.put(e.getKey(), rules(e.getValue(), reports.get(i++)));
    }
  }

  @Test
  void theFourDashboardsOfIssue6AreThere() {
    assertThat(dashboards.keySet())
        .contains(
            "sigaudit-unsigned-workloads.json",
            "sigaudit-verdict-trends.json",
            "sigaudit-enforce-readiness.json",
            "sigaudit-scan-health.json");
  }

  @TestFactory
  Stream<DynamicNode> everyDashboard() {
    int current = schema.path("schemaVersion").asInt();
    return dashboards.entrySet().stream()
        .map(
            e ->
                DynamicContainer.dynamicContainer(
                    e.getKey(),
                    Stream.of(
                        check(
                            e.getKey(),
                            "is valid against Grafana's dashboard schema",
                            e.getValue().schema()),
                        check(
                            e.getKey(),
                            "has panel options valid against the panel plugins' schemas",
                            e.getValue().panelOptions()),
                        check(
                            e.getKey(),
                            "has PromQL that parses and type-checks",
                            e.getValue().promql()),
                        check(
                            e.getKey(),
                            "uses only metrics and labels sigaudit exports",
                            e.getValue().metrics(CATALOG)),
                        check(
                            e.getKey(),
                            "defines and applies its template variables",
                            e.getValue().variables(CATALOG)),
                        check(
                            e.getKey(),
                            "follows the import conventions",
                            e.getValue().conventions(current)))));
  }

  @TestFactory
  Stream<DynamicTest> everyCheckFailsOnABrokenDashboard() {
    return mutations().stream()
        .map(
            m ->
                DynamicTest.dynamicTest(
                    m.name(),
                    () -> {
                      assertThat(unapplied.get(m.name()))
                          .as("could not break %s this way: update the mutation", m.dashboard())
                          .isNull();
                      List<String> problems = m.check().apply(mutants.get(m.name()));
                      assertThat(problems)
                          .as("problems reported for %s broken by '%s'", m.dashboard(), m.name())
                          .anySatisfy(
                              p ->
                                  assertThat(p)
                                      .contains(m.dashboard())
                                      .contains(m.expected().toArray(String[]::new)));
                    }));
  }

  @Test
  void uidsAndTitlesAreUniqueAcrossDashboards() {
    List<String> uids =
        dashboards.values().stream().map(r -> r.json().path("uid").asText()).toList();
    List<String> titles =
        dashboards.values().stream().map(r -> r.json().path("title").asText()).toList();
    assertThat(uids).doesNotHaveDuplicates();
    assertThat(titles).doesNotHaveDuplicates();
  }

  @Test
  void theReadmeDescribesEveryDashboardAndPanel() throws IOException {
    String readme = Files.readString(DASHBOARDS.resolve("README.md"));
    List<String> missing = new ArrayList<>();
    dashboards.forEach(
        (file, r) -> {
          if (!readme.contains(file)) {
            missing.add(file);
          }
          for (JsonNode p : DashboardRules.panels(r.json().path("panels"), new ArrayList<>())) {
            if (!p.path("type").asText().equals("row")
                && !readme.contains(p.path("title").asText())) {
              missing.add(file + ": panel \"" + p.path("title").asText() + "\"");
            }
          }
        });
    assertThat(missing).as("not described in dashboards/README.md").isEmpty();
  }

  @Test
  void theSchemaWasGeneratedFromThePinnedGrafanaPackage() throws IOException {
    JsonNode pins =
        JSON.readTree(ROOT.resolve("scripts/grafana/package.json").toFile()).path("dependencies");
    JsonNode used = schema.path("packages");
    for (String pkg : List.of("@grafana/schema", "ts-json-schema-generator")) {
      assertThat(used.path(pkg).asText())
          .as(
              "%s: src/test/resources/grafana/grafana-schema.json is stale, run scripts/grafana-schema",
              pkg)
          .isEqualTo(pins.path(pkg).asText());
    }
  }

  @Test
  void theCatalogHoldsWhatScanMetricsExports() {
    // Guards the catalog itself: if it came out empty, every metric check would be vacuous.
    assertThat(CATALOG.metrics())
        .contains(
            "sigaudit_scan_success",
            "sigaudit_last_success_timestamp_seconds",
            "sigaudit_workload_results");
    assertThat(CATALOG.labels("sigaudit_workload_results"))
        .contains("namespace", "registry", "policy", "rule", "result", "cluster");
  }

  /** A dashboard broken on purpose, the check that must notice and what its message must say. */
  record Mutation(
      String name,
      String dashboard,
      Consumer<ObjectNode> change,
      Function<DashboardRules, List<String>> check,
      List<String> expected) {}

  static List<Mutation> mutations() {
    String unsigned = "sigaudit-unsigned-workloads.json";
    String trends = "sigaudit-verdict-trends.json";
    String enforce = "sigaudit-enforce-readiness.json";
    String health = "sigaudit-scan-health.json";
    Function<DashboardRules, List<String>> valid = DashboardRules::schema;
    Function<DashboardRules, List<String>> options = DashboardRules::panelOptions;
    Function<DashboardRules, List<String>> promql = DashboardRules::promql;
    Function<DashboardRules, List<String>> metrics = r -> r.metrics(CATALOG);
    Function<DashboardRules, List<String>> variables = r -> r.variables(CATALOG);
    Function<DashboardRules, List<String>> conventions =
        r -> r.conventions(schema.path("schemaVersion").asInt());
    return List.of(
        new Mutation(
            "classic export with __inputs",
            unsigned,
            d -> d.set("__inputs", JSON.createArrayNode()),
            valid,
            List.of("must NOT have additional properties: \"__inputs\"")),
        new Mutation(
            "panel without gridPos height",
            health,
            d -> ((ObjectNode) Mutations.panel(d, 3).path("gridPos")).without("h"),
            valid,
            List.of("panel \"Last scan duration\" (id 3)", "must have required property 'h'")),
        new Mutation(
            "bar gauge display mode that does not exist",
            unsigned,
            d -> ((ObjectNode) Mutations.panel(d, 6).path("options")).put("displayMode", "rainbow"),
            options,
            List.of(
                "panel \"Failing workloads by namespace\" (id 6)",
                "/options/displayMode",
                "allowed values")),
        new Mutation(
            "missing parenthesis",
            enforce,
            d -> Mutations.replace(d, 6, "A", "\"$severity\"}))", "\"$severity\"})"),
            promql,
            List.of(
                "panel \"Would be blocked per policy\" (id 6), query A",
                "sort_desc(sum by (policy)",
                "syntax error")),
        new Mutation(
            "rate of an instant vector",
            health,
            d ->
                Mutations.replace(
                    d,
                    9,
                    "A",
                    "(sigaudit_scan_duration_seconds{cluster=~\"$cluster\"})",
                    "(rate(sigaudit_scan_duration_seconds{cluster=~\"$cluster\"}))"),
            promql,
            List.of(
                "panel \"Scan duration\" (id 9), query A",
                "expected type matrix in call to function \"rate\"")),
        new Mutation(
            "expression outside the checked places",
            trends,
            d ->
                ((ObjectNode) Mutations.panel(d, 6).path("transformations").get(0).path("options"))
                    .put("expr", "up"),
            promql,
            List.of("/panels/5/transformations/0/options/expr")),
        new Mutation(
            "invented metric",
            unsigned,
            d ->
                Mutations.replace(d, 6, "A", "sigaudit_workloads{", "sigaudit_unsigned_workloads{"),
            metrics,
            List.of(
                "panel \"Failing workloads by namespace\" (id 6), query A",
                "sort_desc(",
                "unknown metric sigaudit_unsigned_workloads")),
        new Mutation(
            "misspelt label in a matcher",
            trends,
            d -> Mutations.replace(d, 3, "A", "policy=~\"$policy\"", "polcy=~\"$policy\""),
            metrics,
            List.of(
                "panel \"Failing workloads per policy\" (id 3), query A",
                "label polcy is not a label of sigaudit_policy_workloads")),
        new Mutation(
            "misspelt label in by()",
            enforce,
            d -> Mutations.replace(d, 8, "A", "sum by (namespace)", "sum by (namespaces)"),
            metrics,
            List.of(
                "panel \"Would be blocked per namespace\" (id 8), query A",
                "label namespaces (by)")),
        new Mutation(
            "result value that does not exist",
            enforce,
            d -> Mutations.replace(d, 4, "A", "status=\"error\"", "status=\"errors\""),
            metrics,
            List.of(
                "panel \"Blocked by errors\" (id 4), query A", "result \"errors\" does not exist")),
        new Mutation(
            "undefined variable",
            trends,
            d ->
                Mutations.replace(
                    d, 1, "A", "namespace=~\"$namespace\"", "namespace=~\"$namespaces\""),
            variables,
            List.of(
                "panel \"Workloads per status\" (id 1), query A",
                "variable $namespaces is not defined")),
        new Mutation(
            "variable not applied",
            enforce,
            d -> Mutations.replace(d, 9, "A", "policy=~\"$policy\", ", ""),
            variables,
            List.of(
                "panel \"Would be blocked over time, per policy\" (id 9), query A",
                "ignores the variable $policy")),
        new Mutation(
            "policy variable removed",
            enforce,
            d -> Mutations.removeVariable(d, "policy"),
            variables,
            List.of("needs a template variable \"policy\"")),
        new Mutation(
            "hard-coded data source",
            health,
            d ->
                ((ObjectNode) Mutations.panel(d, 1).path("datasource"))
                    .put("uid", "P1809F7CD0C75ACF3"),
            conventions,
            List.of("panel \"Last scan\" (id 1): datasource", "P1809F7CD0C75ACF3")),
        new Mutation(
            "old schema version",
            trends,
            d -> d.put("schemaVersion", 39),
            conventions,
            List.of("schemaVersion 39, current is 42")));
  }

  private static DynamicTest check(String file, String name, List<String> problems) {
    return DynamicTest.dynamicTest(
        name, () -> assertThat(problems).as("%s %s", file, name).isEmpty());
  }

  private static DashboardRules rules(Path file, Report report) throws IOException {
    assertThat(report.file()).isEqualTo(file.getFileName().toString());
    return new DashboardRules(file.getFileName().toString(), JSON.readTree(file.toFile()), report);
  }

  private static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("scripts/dashboard-lint"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "scripts/dashboard-lint not found above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
