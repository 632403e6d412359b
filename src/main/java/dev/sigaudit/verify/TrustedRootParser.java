package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.verify.TrustedRoot.CertificateAuthority;
import dev.sigaudit.verify.TrustedRoot.TransparencyLog;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the protobuf-JSON form of a {@code TrustedRoot}. Unknown fields are ignored (newer roots
 * add some); anything the verifier relies on that is missing or malformed fails the whole root, as
 * sigstore-go's {@code root.NewTrustedRootFromProtobuf} does, because a half-read root would
 * silently trust less, or differently, than its author meant.
 */
final class TrustedRootParser {
  /** The public-good root is under 10 KiB; private ones with many CAs stay far below this. */
  static final int MAX_BYTES = 1024 * 1024;

  private static final int MAX_ENTRIES = 64;

  private static final Set<String> MEDIA_TYPES =
      Set.of(
          "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
          "application/vnd.dev.sigstore.trustedroot.v0.2+json");

  /**
   * {@code PublicKeyDetails} a log key may have, with the scheme the log signs with. Logs hash with
   * the curve's own hash (sigstore-go {@code getSignatureHashAlgo}).
   */
  private static final Map<String, SignatureScheme> LOG_KEY_DETAILS =
      Map.of(
          "PKIX_ECDSA_P256_SHA_256", SignatureScheme.ECDSA_SHA256,
          "PKIX_ECDSA_P384_SHA_384", SignatureScheme.ECDSA_SHA384,
          "PKIX_ECDSA_P521_SHA_512", SignatureScheme.ECDSA_SHA512,
          "PKIX_ED25519", SignatureScheme.ED25519,
          "PKIX_RSA_PKCS1V15_2048_SHA256", SignatureScheme.RSA_PKCS1_SHA256,
          "PKIX_RSA_PKCS1V15_3072_SHA256", SignatureScheme.RSA_PKCS1_SHA256,
          "PKIX_RSA_PKCS1V15_4096_SHA256", SignatureScheme.RSA_PKCS1_SHA256);

  private TrustedRootParser() {}

  static TrustedRoot parse(byte[] json) {
    try {
      JsonNode root = StrictJson.parseObject(json, MAX_BYTES, "trusted root");
      String mediaType = StrictJson.text(root, "mediaType", "trusted root mediaType");
      if (!MEDIA_TYPES.contains(mediaType)) {
        throw new Rejection(
            "trusted root mediaType "
                + Texts.quote(mediaType)
                + " is not supported (supported: "
                + String.join(", ", MEDIA_TYPES)
                + ")");
      }
      return new TrustedRoot(
          authorities(root, "certificateAuthorities"),
          logs(root, "tlogs"),
          logs(root, "ctlogs"),
          authorities(root, "timestampAuthorities"));
    } catch (Rejection r) {
      throw new InvalidTrustedRootException(r.getMessage());
    }
  }

  private static List<JsonNode> entries(JsonNode root, String field) throws Rejection {
    if (!StrictJson.present(root, field)) {
      return List.of();
    }
    JsonNode array = StrictJson.array(root, field, field);
    if (array.size() > MAX_ENTRIES) {
      throw new Rejection(field + " has " + array.size() + " entries, more than " + MAX_ENTRIES);
    }
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isObject()) {
        throw new Rejection(field + "[" + i + "] is not a JSON object");
      }
      out.add(array.get(i));
    }
    return out;
  }

  private static List<CertificateAuthority> authorities(JsonNode root, String field)
      throws Rejection {
    List<CertificateAuthority> out = new ArrayList<>();
    List<JsonNode> nodes = entries(root, field);
    for (int i = 0; i < nodes.size(); i++) {
      String path = field + "[" + i + "]";
      JsonNode ca = nodes.get(i);
      String uri = StrictJson.optionalText(ca, "uri", path + ".uri").orElse(path);
      JsonNode certs =
          StrictJson.array(
              StrictJson.object(ca, "certChain", path + ".certChain"),
              "certificates",
              path + ".certChain.certificates");
      if (certs.isEmpty() || certs.size() > Certificates.MAX_PEM_CERTS) {
        throw new Rejection(path + ".certChain has " + certs.size() + " certificates");
      }
      List<X509Certificate> chain = new ArrayList<>();
      for (int c = 0; c < certs.size(); c++) {
        String certPath = path + ".certChain.certificates[" + c + "].rawBytes";
        if (!certs.get(c).isObject()) {
          throw new Rejection(certPath + " is not in a JSON object");
        }
        byte[] der =
            Encodings.protoJsonBytes(StrictJson.text(certs.get(c), "rawBytes", certPath), certPath);
        chain.add(Certificates.fromDer(der, certPath));
      }
      out.add(new CertificateAuthority(uri, chain, validFor(ca, path)));
    }
    return List.copyOf(out);
  }

  private static List<TransparencyLog> logs(JsonNode root, String field) throws Rejection {
    List<TransparencyLog> out = new ArrayList<>();
    List<JsonNode> nodes = entries(root, field);
    for (int i = 0; i < nodes.size(); i++) {
      String path = field + "[" + i + "]";
      JsonNode log = nodes.get(i);
      String baseUrl = StrictJson.optionalText(log, "baseUrl", path + ".baseUrl").orElse(path);
      // Only SHA-256 Merkle trees exist; sigstore-go refuses the rest too.
      String hash =
          StrictJson.optionalText(log, "hashAlgorithm", path + ".hashAlgorithm").orElse("");
      if (!hash.equals("SHA2_256")) {
        throw new Rejection(path + ".hashAlgorithm " + Texts.quote(hash) + " is not SHA2_256");
      }
      JsonNode key = StrictJson.object(log, "publicKey", path + ".publicKey");
      String details = StrictJson.text(key, "keyDetails", path + ".publicKey.keyDetails");
      SignatureScheme scheme = LOG_KEY_DETAILS.get(details);
      if (scheme == null) {
        throw new Rejection(
            path + ".publicKey.keyDetails " + Texts.quote(details) + " is not supported");
      }
      byte[] spki =
          Encodings.protoJsonBytes(
              StrictJson.text(key, "rawBytes", path + ".publicKey.rawBytes"),
              path + ".publicKey.rawBytes");
      PublicKey publicKey;
      try {
        publicKey = SpkiDecoder.fromSpki(spki);
      } catch (InvalidPublicKeyException e) {
        throw new Rejection(path + ".publicKey: " + e.getMessage());
      }
      byte[] logId =
          Encodings.protoJsonBytes(
              StrictJson.text(
                  StrictJson.object(log, "logId", path + ".logId"), "keyId", path + ".logId.keyId"),
              path + ".logId.keyId");
      if (logId.length != 32) {
        throw new Rejection(path + ".logId.keyId is " + logId.length + " bytes, not 32");
      }
      // A log key must say since when it signs (sigstore-go refuses a tlog key without start).
      ValidityWindow validFor = validFor(key, path + ".publicKey");
      if (validFor.start().isEmpty()) {
        throw new Rejection(path + ".publicKey.validFor.start is missing");
      }
      out.add(
          new TransparencyLog(
              baseUrl, HexFormat.of().formatHex(logId), publicKey, scheme, validFor));
    }
    return List.copyOf(out);
  }

  private static ValidityWindow validFor(JsonNode parent, String path) throws Rejection {
    if (!StrictJson.present(parent, "validFor")) {
      return ValidityWindow.ALWAYS;
    }
    JsonNode range = StrictJson.object(parent, "validFor", path + ".validFor");
    Optional<Instant> start = instant(range, "start", path + ".validFor.start");
    Optional<Instant> end = instant(range, "end", path + ".validFor.end");
    try {
      return new ValidityWindow(start, end);
    } catch (IllegalArgumentException e) {
      throw new Rejection(path + ".validFor: " + e.getMessage());
    }
  }

  private static Optional<Instant> instant(JsonNode range, String field, String path)
      throws Rejection {
    Optional<String> text = StrictJson.optionalText(range, field, path);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.get()));
    } catch (DateTimeParseException e) {
      throw new Rejection(path + " " + Texts.quote(text.get()) + " is not an RFC 3339 timestamp");
    }
  }
}
