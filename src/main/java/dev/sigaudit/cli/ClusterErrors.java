package dev.sigaudit.cli;

import io.kubernetes.client.openapi.ApiException;

/** The apiserver's refusals, said in one line. */
final class ClusterErrors {
  private ClusterErrors() {}

  static String describe(ApiException e) {
    if (e.getCode() == 0) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
    String body = e.getResponseBody() == null ? "" : e.getResponseBody();
    // The apiserver answers with a Status object; its message names what was refused, e.g.
    // 'pods is forbidden: User "…" cannot list resource "pods" in API group "" at the cluster
    // scope'.
    try {
      var status = com.google.gson.JsonParser.parseString(body).getAsJsonObject();
      if (status.has("message")) {
        return e.getCode() + " " + status.get("message").getAsString();
      }
    } catch (RuntimeException notJson) {
      // fall through to the raw body
    }
    return e.getCode() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
  }
}
