package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.model.Digest;
import java.util.Optional;

/**
 * The part of a cosign legacy payload that matters: the "simple signing" JSON of <a
 * href="https://github.com/containers/image/blob/main/docs/containers-signature.5.md">containers-signature(5)</a>
 * as cosign writes it ({@code sigstore/sigstore pkg/signature/payload/payload.go}):
 *
 * <pre>{"critical":{"identity":{"docker-reference":"…"},
 *               "image":{"docker-manifest-digest":"sha256:…"},
 *               "type":"cosign container image signature"},
 *  "optional":{…}|null}</pre>
 *
 * @param manifestDigest {@code critical.image.docker-manifest-digest}
 * @param dockerReference {@code critical.identity.docker-reference}, when present
 */
record SimpleSigningPayload(Digest manifestDigest, Optional<String> dockerReference) {
  static final String COSIGN_TYPE = "cosign container image signature";

  /** Cosign payloads are a few hundred bytes; annotations can add some, not megabytes. */
  static final int MAX_BYTES = 1024 * 1024;

  /**
   * Parses and checks a payload. Call only after its signature verified: there is no reason to run
   * a parser over bytes nobody trusted vouched for.
   */
  static SimpleSigningPayload parse(byte[] payload) throws Rejection {
    JsonNode root = StrictJson.parseObject(payload, MAX_BYTES, "payload");
    JsonNode critical = StrictJson.object(root, "critical", "payload critical");
    String type = StrictJson.text(critical, "type", "payload critical.type");
    if (!COSIGN_TYPE.equals(type)) {
      throw new Rejection(
          "payload critical.type is " + Texts.quote(type) + ", not " + Texts.quote(COSIGN_TYPE));
    }
    JsonNode image = StrictJson.object(critical, "image", "payload critical.image");
    String digestText =
        StrictJson.text(
            image, "docker-manifest-digest", "payload critical.image.docker-manifest-digest");
    Digest digest;
    try {
      digest = Digest.parse(digestText);
    } catch (IllegalArgumentException e) {
      throw new Rejection(
          "payload critical.image.docker-manifest-digest "
              + Texts.quote(digestText)
              + " is not a valid digest");
    }
    Optional<String> reference = Optional.empty();
    if (StrictJson.present(critical, "identity")) {
      JsonNode identity = StrictJson.object(critical, "identity", "payload critical.identity");
      reference =
          StrictJson.optionalText(
              identity, "docker-reference", "payload critical.identity.docker-reference");
    }
    return new SimpleSigningPayload(digest, reference);
  }
}
