package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * What a Rekor v1 entry body says was logged, for the two kinds cosign writes for images: {@code
 * hashedrekord/0.0.1} (legacy {@code .sig}: the payload's SHA-256, the signature, the signer's
 * certificate or key) and {@code dsse/0.0.1} (bundles: the DSSE payload's SHA-256, the envelope
 * signature, the verifier). Schemas: {@code sigstore/rekor pkg/types/{hashedrekord,dsse}}.
 *
 * @param kindVersion {@code kind/apiVersion}
 * @param signature the logged signature bytes
 * @param verifier the logged certificate or public key
 * @param payloadSha256 hex SHA-256 of the logged payload
 */
record RekorBody(String kindVersion, byte[] signature, Verifier verifier, String payloadSha256) {
  static final String HASHEDREKORD = "hashedrekord/0.0.1";
  static final String DSSE = "dsse/0.0.1";

  /** A logged verifier: a PEM {@code CERTIFICATE} or {@code PUBLIC KEY}, as DER. */
  record Verifier(boolean certificate, byte[] der) {
    String kind() {
      return certificate ? "certificate" : "public key";
    }
  }

  static RekorBody parse(byte[] body, String what) throws Rejection {
    JsonNode root = StrictJson.parseObject(body, TlogEntries.MAX_BODY_BYTES, what + " body");
    String kindVersion =
        StrictJson.text(root, "kind", what + " body kind")
            + "/"
            + StrictJson.text(root, "apiVersion", what + " body apiVersion");
    JsonNode spec = StrictJson.object(root, "spec", what + " body spec");
    return switch (kindVersion) {
      case HASHEDREKORD -> hashedRekord(spec, what + " body");
      case DSSE -> dsse(spec, what + " body");
      default ->
          throw new Rejection(
              what
                  + " is a "
                  + Texts.quote(kindVersion)
                  + " entry; supported: "
                  + HASHEDREKORD
                  + ", "
                  + DSSE
                  + " (Rekor v2 entries are not supported)");
    };
  }

  private static RekorBody hashedRekord(JsonNode spec, String what) throws Rejection {
    JsonNode hash =
        StrictJson.object(
            StrictJson.object(spec, "data", what + " spec.data"), "hash", what + " spec.data.hash");
    JsonNode signature = StrictJson.object(spec, "signature", what + " spec.signature");
    byte[] sig =
        Encodings.standardBase64(
            StrictJson.text(signature, "content", what + " signature.content"),
            what + " signature.content");
    String pem =
        StrictJson.text(
            StrictJson.object(signature, "publicKey", what + " signature.publicKey"),
            "content",
            what + " signature.publicKey.content");
    return new RekorBody(HASHEDREKORD, sig, verifier(pem, what), sha256(hash, what + " data.hash"));
  }

  private static RekorBody dsse(JsonNode spec, String what) throws Rejection {
    JsonNode signatures = StrictJson.array(spec, "signatures", what + " spec.signatures");
    // cosign refuses multi-signature DSSE entries too (verify.go bundleSig).
    if (signatures.size() != 1 || !signatures.get(0).isObject()) {
      throw new Rejection(what + " has " + signatures.size() + " DSSE signatures, not exactly one");
    }
    JsonNode only = signatures.get(0);
    byte[] sig =
        Encodings.standardBase64(
            StrictJson.text(only, "signature", what + " signatures[0].signature"),
            what + " signatures[0].signature");
    String pem = StrictJson.text(only, "verifier", what + " signatures[0].verifier");
    String hash =
        sha256(
            StrictJson.object(spec, "payloadHash", what + " spec.payloadHash"),
            what + " payloadHash");
    return new RekorBody(DSSE, sig, verifier(pem, what), hash);
  }

  private static String sha256(JsonNode hash, String what) throws Rejection {
    String algorithm = StrictJson.text(hash, "algorithm", what + ".algorithm");
    if (!algorithm.equals("sha256")) {
      throw new Rejection(what + " algorithm is " + Texts.quote(algorithm) + ", not sha256");
    }
    String value = StrictJson.text(hash, "value", what + ".value").toLowerCase(Locale.ROOT);
    if (!value.matches("[0-9a-f]{64}")) {
      throw new Rejection(what + " value is not a hex SHA-256");
    }
    return value;
  }

  /** Rekor stores the verifier as base64 of its PEM text. */
  private static Verifier verifier(String base64Pem, String what) throws Rejection {
    String pem =
        new String(Encodings.standardBase64(base64Pem, what + " verifier"), StandardCharsets.UTF_8);
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      PemObject block = reader.readPemObject();
      if (block == null || reader.readPemObject() != null) {
        throw new Rejection(what + " verifier is not exactly one PEM block");
      }
      return switch (block.getType()) {
        case "CERTIFICATE" -> new Verifier(true, block.getContent());
        case "PUBLIC KEY" -> new Verifier(false, block.getContent());
        default ->
            throw new Rejection(
                what + " verifier is a " + Texts.quote(block.getType()) + " PEM block");
      };
    } catch (IOException | IllegalArgumentException e) {
      throw new Rejection(what + " verifier is not valid PEM");
    }
  }
}
