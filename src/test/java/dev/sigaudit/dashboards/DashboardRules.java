package dev.sigaudit.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.dashboards.DashboardLint.Expression;
import dev.sigaudit.dashboards.DashboardLint.LabelRef;
import dev.sigaudit.dashboards.DashboardLint.Matcher;
import dev.sigaudit.dashboards.DashboardLint.Problem;
import dev.sigaudit.dashboards.DashboardLint.Report;
import dev.sigaudit.dashboards.DashboardLint.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The checks every sigaudit dashboard must pass. Each returns the problems it found, one message
 * per problem naming the dashboard file, the panel or variable and the expression; an empty list
 * means the check passed.
 *
 * @param file the dashboard's file name
 * @param json the dashboard
 * @param lint what scripts/dashboard-lint found in it
 */
record DashboardRules(String file, JsonNode json, Report lint) {
  /** Grafana's global variables (https://grafana.com/docs/grafana/latest/dashboards/variables/). */
  static final Set<String> GRAFANA_VARIABLES =
      Set.of(
          "__interval",
          "__interval_ms",
          "__rate_interval",
          "__range",
          "__range_s",
          "__range_ms",
          "__auto",
          "__dashboard",
          "__from",
          "__to",
          "__name",
          "__org",
          "__user",
          "timeFilter",
          "__timeFilter");

  /** The data source reference every panel, query and query variable must use. */
  static final String DATASOURCE_UID = "${datasource}";

  private static final Pattern UID = Pattern.compile("[A-Za-z0-9_-]{1,40}");
  private static final Pattern WORDS = Pattern.compile("[a-z]+(\\|[a-z]+)*");

  /** Grafana's published dashboard schema (errors found by ajv). */
  List<String> schema() {
    return problems(lint.schemaErrors());
  }

  /** The panel plugins' published option schemas. */
  List<String> panelOptions() {
    return problems(lint.panelErrors());
  }

  /** Every expression parses and type-checks with Prometheus' parser and linter. */
  List<String> promql() {
    List<String> out = new ArrayList<>();
    for (Expression e : lint.expressions()) {
      e.syntaxErrors().forEach(m -> out.add(at(e) + m));
      e.typeErrors().forEach(m -> out.add(at(e) + m));
    }
    lint.unchecked()
        .forEach(p -> out.add(file + ": " + p + ": a PromQL expr where the checks do not look"));
    return out;
  }

  /** Only metric families sigaudit exports, only their labels, only existing result values. */
  List<String> metrics(MetricCatalog catalog) {
    List<String> out = new ArrayList<>();
    for (Expression e : lint.expressions()) {
      Set<String> available = new TreeSet<>(MetricCatalog.TARGET_LABELS);
      available.addAll(e.createdLabels());
      for (Selector s : e.selectors()) {
        if (s.metric() == null) {
          out.add(at(e) + "selector " + s.text() + " names no metric (it would read every metric)");
          continue;
        }
        if (!catalog.exports(s.metric())) {
          out.add(
              at(e)
                  + "unknown metric "
                  + s.metric()
                  + " (sigaudit exports "
                  + catalog.metrics()
                  + ")");
          continue;
        }
        Set<String> labels = catalog.labels(s.metric());
        available.addAll(labels);
        for (Matcher m : s.matchers()) {
          if (!labels.contains(m.label())) {
            out.add(
                at(e) + "label " + m.label() + " is not a label of " + s.metric() + " " + labels);
          } else if (m.label().equals("result") || m.label().equals("status")) {
            out.addAll(resultValues(e, m));
          }
        }
      }
      boolean allKnown =
          e.selectors().stream().allMatch(s -> s.metric() != null && catalog.exports(s.metric()));
      if (!allKnown) {
        continue; // the unknown metric is the problem; its labels cannot be judged
      }
      for (LabelRef r : e.labelRefs()) {
        if (!available.contains(r.label())) {
          out.add(
              at(e)
                  + "label "
                  + r.label()
                  + " ("
                  + r.context()
                  + ") is not a label of the metrics in the expression "
                  + available);
        }
      }
    }
    return out;
  }

  private List<String> resultValues(Expression e, Matcher m) {
    String v = m.value();
    if (v.contains("$") || v.equals(".*") || v.equals(".+")) {
      return List.of(); // a variable, or anything
    }
    if (!WORDS.matcher(v).matches()) {
      return List.of(
          at(e)
              + "result matcher "
              + m.op()
              + "\""
              + v
              + "\": use a|b|c of "
              + MetricCatalog.RESULTS);
    }
    List<String> out = new ArrayList<>();
    for (String r : v.split("\\|")) {
      if (!MetricCatalog.RESULTS.contains(r)) {
        out.add(
            at(e) + "result \"" + r + "\" does not exist (results: " + MetricCatalog.RESULTS + ")");
      }
    }
    return out;
  }

  /**
   * Template variables: those used are defined (variables only use earlier ones), the required ones
   * exist, and every selector applies each dashboard variable that names one of its labels.
   */
  List<String> variables(MetricCatalog catalog) {
    List<String> out = new ArrayList<>();
    Map<String, JsonNode> defined = new LinkedHashMap<>();
    json.path("templating").path("list").forEach(v -> defined.put(v.path("name").asText(), v));
    List<String> order = new ArrayList<>(defined.keySet());

    JsonNode ds = defined.get("datasource");
    if (ds == null
        || !ds.path("type").asText().equals("datasource")
        || !ds.path("query").asText().equals("prometheus")) {
      out.add(file + ": needs a variable \"datasource\" of type datasource, query prometheus");
    }
    Set<String> required = new TreeSet<>(Set.of("datasource", "cluster"));
    for (Expression e : lint.expressions()) {
      for (Selector s : e.selectors()) {
        if (s.metric() != null && catalog.exports(s.metric())) {
          for (String l : List.of("namespace", "policy")) {
            if (catalog.labels(s.metric()).contains(l)) {
              required.add(l);
            }
          }
        }
      }
    }
    required.stream()
        .filter(r -> !defined.containsKey(r))
        .forEach(r -> out.add(file + ": needs a template variable \"" + r + "\""));

    Set<String> filters = new HashSet<>(defined.keySet());
    filters.remove("datasource");
    for (Expression e : lint.expressions()) {
      String owner = e.variable();
      // A variable's query may only use variables defined before it.
      Set<String> visible =
          owner == null
              ? defined.keySet()
              : new HashSet<>(order.subList(0, Math.max(0, order.indexOf(owner))));
      for (String v : e.variables()) {
        if (!visible.contains(v) && !GRAFANA_VARIABLES.contains(v)) {
          out.add(
              at(e)
                  + "variable $"
                  + v
                  + (defined.containsKey(v)
                      ? " is defined after this variable"
                      : " is not defined"));
        }
      }
      for (Selector s : e.selectors()) {
        if (s.metric() == null || !catalog.exports(s.metric())) {
          continue;
        }
        Map<String, Matcher> byLabel = new HashMap<>();
        s.matchers().forEach(m -> byLabel.put(m.label(), m));
        for (String v : filters) {
          if (!catalog.labels(s.metric()).contains(v) || !visible.contains(v) || v.equals(owner)) {
            continue;
          }
          if (!byLabel.containsKey(v)) {
            out.add(
                at(e)
                    + "selector "
                    + s.text()
                    + " ignores the variable $"
                    + v
                    + " (add "
                    + v
                    + "=~\"$"
                    + v
                    + "\")");
          }
        }
      }
    }
    return out;
  }

  /**
   * What makes a dashboard importable anywhere and readable: a stable uid, the current schema
   * version, the datasource variable everywhere, unique panel ids, a title, a description and a
   * query on every panel, panels inside the 24-column grid without overlaps.
   */
  List<String> conventions(int currentSchemaVersion) {
    List<String> out = new ArrayList<>();
    String uid = json.path("uid").asText("");
    if (!UID.matcher(uid).matches()) {
      out.add(file + ": uid \"" + uid + "\" must be 1-40 letters, digits, - or _");
    }
    if (json.path("title").asText("").isBlank()) {
      out.add(file + ": no title");
    }
    if (json.path("schemaVersion").asInt() != currentSchemaVersion) {
      out.add(
          file
              + ": schemaVersion "
              + json.path("schemaVersion")
              + ", current is "
              + currentSchemaVersion);
    }
    boolean tagged = false;
    for (JsonNode t : json.path("tags")) {
      tagged |= t.asText().equals("sigaudit");
    }
    if (!tagged) {
      out.add(file + ": needs the tag \"sigaudit\" (the dashboard links select by it)");
    }
    json.path("templating")
        .path("list")
        .forEach(
            v -> {
              if (v.path("type").asText().equals("query")) {
                datasource(
                    v.path("datasource"), "variable \"" + v.path("name").asText() + "\"", out);
              }
            });

    Set<Integer> ids = new HashSet<>();
    Set<Integer> topLevelIds = new HashSet<>();
    json.path("panels").forEach(p -> topLevelIds.add(p.path("id").asInt()));
    List<int[]> cells = new ArrayList<>();
    for (JsonNode p : panels(json.path("panels"), new ArrayList<>())) {
      String name = "panel \"" + p.path("title").asText() + "\" (id " + p.path("id") + ")";
      if (!ids.add(p.path("id").asInt(-1))) {
        out.add(file + ": " + name + ": duplicate panel id");
      }
      JsonNode g = p.path("gridPos");
      int x = g.path("x").asInt(),
          y = g.path("y").asInt(),
          w = g.path("w").asInt(),
          h = g.path("h").asInt();
      if (x < 0 || w < 1 || h < 1 || x + w > 24) {
        out.add(file + ": " + name + ": gridPos " + g + " is outside the 24-column grid");
      }
      // Panels inside a collapsed row are positioned for when it opens: compare top-level ones.
      boolean topLevel = topLevelIds.contains(p.path("id").asInt());
      for (int[] c : topLevel ? cells : List.<int[]>of()) {
        if (x < c[0] + c[2] && c[0] < x + w && y < c[1] + c[3] && c[1] < y + h) {
          out.add(file + ": " + name + ": gridPos " + g + " overlaps panel id " + c[4]);
        }
      }
      if (topLevel) {
        cells.add(new int[] {x, y, w, h, p.path("id").asInt()});
      }
      if (p.path("type").asText().equals("row")) {
        continue;
      }
      if (p.path("title").asText("").isBlank()) {
        out.add(file + ": " + name + ": no title");
      }
      if (p.path("description").asText("").isBlank()) {
        out.add(
            file + ": " + name + ": no description (say what the panel shows and how to read it)");
      }
      datasource(p.path("datasource"), name, out);
      int queries = 0;
      for (JsonNode t : p.path("targets")) {
        datasource(t.path("datasource"), name + ", query " + t.path("refId").asText(), out);
        queries += t.path("expr").asText("").isBlank() ? 0 : 1;
      }
      if (queries == 0) {
        out.add(file + ": " + name + ": no PromQL query");
      }
    }
    return out;
  }

  private void datasource(JsonNode ref, String where, List<String> out) {
    if (!ref.path("type").asText().equals("prometheus")
        || !ref.path("uid").asText().equals(DATASOURCE_UID)) {
      out.add(
          file
              + ": "
              + where
              + ": datasource "
              + ref
              + " must be {\"type\":\"prometheus\",\"uid\":\""
              + DATASOURCE_UID
              + "\"} so that the dashboard imports into any Grafana");
    }
  }

  static List<JsonNode> panels(JsonNode list, List<JsonNode> into) {
    for (JsonNode p : list) {
      into.add(p);
      panels(p.path("panels"), into);
    }
    return into;
  }

  private String at(Expression e) {
    return file + ": " + e.location() + ": `" + e.expr() + "`: ";
  }

  private List<String> problems(List<Problem> list) {
    return list.stream()
        .map(p -> file + ": " + p.where() + ": " + p.path() + ": " + p.message())
        .toList();
  }
}
