package dev.sigaudit.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * Defensive JSON reading for signature payloads and bundles: size-limited, shallow, and strict
 * about duplicate keys.
 *
 * <p>Duplicate keys matter for security: {@code {"digest":"A","digest":"B"}} reads as A in one
 * parser and B in another, so a verifier that disagrees with the signer's view could be tricked.
 * Go's {@code encoding/json} keeps the last value and protobuf JSON refuses duplicates; refusing is
 * the only answer that cannot be wrong.
 */
final class StrictJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxNumberLength(64)
                          .maxNameLength(1024)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private StrictJson() {}

  /** Parses {@code json} (at most {@code maxBytes}) and requires a top-level object. */
  static JsonNode parseObject(byte[] json, int maxBytes, String what) throws Rejection {
    if (json.length > maxBytes) {
      throw new Rejection(
          what + " is " + json.length + " bytes, more than the " + maxBytes + " allowed");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      // getOriginalMessage() leaves out Jackson's excerpt of the (untrusted) input.
      String at = e.getLocation() == null ? "" : " at offset " + e.getLocation().getByteOffset();
      throw new Rejection(
          what + " is not valid JSON" + at + ": " + Texts.clip(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Rejection(what + " could not be read as JSON: " + Texts.clip(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new Rejection(what + " is not a JSON object");
    }
    return root;
  }

  /** The object at {@code parent.field}; {@code path} names it in messages. */
  static JsonNode object(JsonNode parent, String field, String path) throws Rejection {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw new Rejection(path + " is missing");
    }
    if (!node.isObject()) {
      throw new Rejection(path + " is not a JSON object");
    }
    return node;
  }

  /** The array at {@code parent.field}. */
  static JsonNode array(JsonNode parent, String field, String path) throws Rejection {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw new Rejection(path + " is missing");
    }
    if (!node.isArray()) {
      throw new Rejection(path + " is not a JSON array");
    }
    return node;
  }

  /** The string at {@code parent.field}. */
  static String text(JsonNode parent, String field, String path) throws Rejection {
    return optionalText(parent, field, path).orElseThrow(() -> new Rejection(path + " is missing"));
  }

  /** The string at {@code parent.field}, or empty when absent or null. */
  static Optional<String> optionalText(JsonNode parent, String field, String path)
      throws Rejection {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new Rejection(path + " is not a JSON string");
    }
    return Optional.of(node.textValue());
  }

  /** Whether {@code parent.field} is present and not {@code null}. */
  static boolean present(JsonNode parent, String field) {
    JsonNode node = parent.get(field);
    return node != null && !node.isNull();
  }
}
