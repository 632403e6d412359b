package dev.sigaudit.verify.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.model.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The documents cosign signs, byte for byte as cosign writes them.
 *
 * <ul>
 *   <li>Legacy: Go's {@code json.Marshal} of {@code payload.SimpleContainerImage}
 *       (sigstore/sigstore {@code pkg/signature/payload/payload.go}): fields in declaration order,
 *       no whitespace, {@code "optional":null} without annotations, map keys sorted.
 *   <li>v3: protobuf JSON of the in-toto v1 {@code Statement} built in cosign {@code
 *       cmd/cosign/cli/sign/sign.go signDigestBundle}: {@code _type}, {@code subject} (digest only,
 *       no name), {@code predicateType}, {@code predicate: {}}.
 * </ul>
 */
public final class CosignPayloads {
  public static final String SIMPLE_SIGNING_TYPE = "cosign container image signature";
  public static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
  public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  public static final String BUNDLE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

  static final ObjectMapper JSON = new ObjectMapper();

  private CosignPayloads() {}

  /** The legacy payload for {@code digest}, claimed as {@code dockerReference}, no annotations. */
  public static byte[] simpleSigning(Digest digest, String dockerReference) {
    return simpleSigning(digest.toString(), dockerReference, SIMPLE_SIGNING_TYPE, null);
  }

  /**
   * A legacy payload with every field chosen by the test ({@code digestText} need not be valid).
   *
   * @param annotations {@code optional}, or {@code null} for cosign's {@code "optional":null}
   */
  public static byte[] simpleSigning(
      String digestText, String dockerReference, String type, Map<String, String> annotations) {
    String json =
        "{\"critical\":{\"identity\":{\"docker-reference\":"
            + quote(dockerReference)
            + "},\"image\":{\"docker-manifest-digest\":"
            + quote(digestText)
            + "},\"type\":"
            + quote(type)
            + "},\"optional\":"
            + (annotations == null ? "null" : write(new TreeMap<>(annotations)))
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** The cosign v3 statement for {@code digest}. */
  public static byte[] statement(Digest digest) {
    return statement(STATEMENT_V1, Map.of(digest.algorithm(), digest.hex()), COSIGN_SIGN_PREDICATE);
  }

  /** A statement with one subject whose digest map is {@code subjectDigest}. */
  public static byte[] statement(
      String type, Map<String, String> subjectDigest, String predicateType) {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", type);
    ObjectNode subject = root.putArray("subject").addObject();
    ObjectNode digests = subject.putObject("digest");
    new TreeMap<>(subjectDigest).forEach(digests::put);
    root.put("predicateType", predicateType);
    root.putObject("predicate");
    return write(root).getBytes(StandardCharsets.UTF_8);
  }

  static String quote(String text) {
    return write(text);
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
