package dev.sigaudit.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Edits for breaking a dashboard on purpose; each fails loudly if its target is missing. */
final class Mutations {
  private Mutations() {}

  static ObjectNode panel(JsonNode dashboard, int id) {
    for (JsonNode p :
        DashboardRules.panels(dashboard.path("panels"), new java.util.ArrayList<>())) {
      if (p.path("id").asInt() == id) {
        return (ObjectNode) p;
      }
    }
    throw new IllegalArgumentException("no panel with id " + id);
  }

  /** Replaces text in the expression of query {@code refId} of panel {@code id}. */
  static void replace(JsonNode dashboard, int id, String refId, String from, String to) {
    for (JsonNode t : panel(dashboard, id).path("targets")) {
      if (t.path("refId").asText().equals(refId)) {
        String expr = t.path("expr").asText();
        if (!expr.contains(from)) {
          throw new IllegalArgumentException(
              "panel " + id + " query " + refId + " has no " + from + ": " + expr);
        }
        ((ObjectNode) t).put("expr", expr.replace(from, to));
        return;
      }
    }
    throw new IllegalArgumentException("panel " + id + " has no query " + refId);
  }

  static void removeVariable(JsonNode dashboard, String name) {
    ArrayNode list = (ArrayNode) dashboard.path("templating").path("list");
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path("name").asText().equals(name)) {
        list.remove(i);
        return;
      }
    }
    throw new IllegalArgumentException("no variable " + name);
  }
}
