package dev.sigaudit.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Summarizes an error response body for a message: the <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#error-codes">OCI
 * error envelope</a> {@code {"errors":[{"code","message","detail"}]}} when it is one, else the
 * first line of a text body (Distribution's referrers 404 is plain {@code 404 page not found}).
 *
 * <p>Parsing is defensive: any shape is accepted, at most three errors are shown, every string is
 * sanitized and bounded, {@code detail} is never shown (it can be large and nested).
 */
final class ErrorBody {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ERRORS = 3;

  /**
   * @param text e.g. {@code UNAUTHORIZED: authentication required}, empty if nothing useful
   * @param codes the error codes, e.g. {@code [TOOMANYREQUESTS]}
   */
  record Summary(String text, List<String> codes) {}

  private ErrorBody() {}

  static Summary parse(byte[] body) {
    if (body == null || body.length == 0) {
      return new Summary("", List.of());
    }
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode errors = root == null ? null : root.get("errors");
      if (errors != null && errors.isArray()) {
        List<String> parts = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (JsonNode e : errors) {
          if (parts.size() == MAX_ERRORS) {
            parts.add("…");
            break;
          }
          String code = Untrusted.text(textField(e, "code"), 64);
          String message = Untrusted.text(textField(e, "message"), 200);
          if (!code.isEmpty()) {
            codes.add(code);
          }
          parts.add(code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
        }
        return new Summary(String.join("; ", parts), List.copyOf(codes));
      }
    } catch (java.io.IOException | RuntimeException notJson) {
      // fall through to the plain-text summary
    }
    String text = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String first = newline < 0 ? text : text.substring(0, newline);
    if (first.trim().startsWith("<")) {
      return new Summary("", List.of()); // an HTML error page says nothing useful
    }
    return new Summary(Untrusted.text(first, 120), List.of());
  }

  private static String textField(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isValueNode() ? v.asText() : "";
  }
}
