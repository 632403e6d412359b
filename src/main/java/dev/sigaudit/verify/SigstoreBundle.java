package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a <a
 * href="https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto">Sigstore
 * bundle</a> (protobuf JSON) that verification needs. Transparency-log entries and timestamps are
 * parsed on demand ({@link #tlogEntries()}, {@link #rfc3161Timestamps()}): a key-based check that
 * does not look at them must not fail because of them.
 *
 * @param version the bundle version from the media type, e.g. {@code 0.3}
 * @param content what was signed and how
 * @param material what the verifier is told to check the signature with
 * @param verificationMaterial the raw {@code verificationMaterial} object (read-only use)
 */
record SigstoreBundle(
    String version, Content content, Material material, JsonNode verificationMaterial) {

  /** Bundles carry certificates and log proofs besides the tiny cosign statement. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  // Both spellings sigstore-go accepts (pkg/bundle/bundle.go getBundleVersion): the v0.1/v0.2
  // parameter form and the v0.3+ form. Versions from 0.1 up to, not including, 0.4.
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          "application/vnd\\.dev\\.sigstore\\.bundle"
              + "(?:\\+json;version=(0\\.[123])|\\.v(0\\.[123](?:\\.[0-9]+)?)\\+json)");

  /** The signed content: sigstore-go requires exactly one of the two. */
  sealed interface Content {
    record Dsse(DsseEnvelope envelope) implements Content {}

    record MessageSignature() implements Content {}
  }

  /** {@code verificationMaterial.content}: a key hint, a leaf certificate, or a chain. */
  sealed interface Material {
    /** A key-based bundle; the hint is unauthenticated and may be absent. */
    record PublicKey(Optional<String> hint) implements Material {}

    /** A keyless bundle with the leaf certificate (DER), the v0.3 form. */
    record Certificate(byte[] der) implements Material {}

    /** A keyless bundle with a certificate chain, leaf first (DER), the v0.1/v0.2 form. */
    record CertificateChain(List<byte[]> der) implements Material {}
  }

  static SigstoreBundle parse(byte[] json) throws Rejection {
    JsonNode root = StrictJson.parseObject(json, MAX_BYTES, "bundle");
    String mediaType = StrictJson.text(root, "mediaType", "bundle mediaType");
    Matcher m = MEDIA_TYPE.matcher(mediaType);
    if (!m.matches()) {
      throw new Rejection(
          "bundle mediaType "
              + Texts.quote(mediaType)
              + " is not a supported Sigstore bundle (v0.1 to v0.3)");
    }
    String version = m.group(1) != null ? m.group(1) : m.group(2);
    return new SigstoreBundle(
        version,
        content(root),
        material(root),
        StrictJson.object(root, "verificationMaterial", "bundle verificationMaterial"));
  }

  /** {@code verificationMaterial.tlogEntries}, parsed now. */
  List<TlogEntry> tlogEntries() throws Rejection {
    return TlogEntries.fromBundle(verificationMaterial);
  }

  /** {@code verificationMaterial.timestampVerificationData.rfc3161Timestamps[].signedTimestamp}. */
  List<byte[]> rfc3161Timestamps() throws Rejection {
    String path = "verificationMaterial.timestampVerificationData";
    if (!StrictJson.present(verificationMaterial, "timestampVerificationData")) {
      return List.of();
    }
    JsonNode data = StrictJson.object(verificationMaterial, "timestampVerificationData", path);
    if (!StrictJson.present(data, "rfc3161Timestamps")) {
      return List.of();
    }
    JsonNode array = StrictJson.array(data, "rfc3161Timestamps", path + ".rfc3161Timestamps");
    if (array.size() > Rfc3161Check.MAX_TIMESTAMPS) {
      throw new Rejection("bundle has " + array.size() + " RFC 3161 timestamps, too many");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = path + ".rfc3161Timestamps[" + i + "]";
      if (!array.get(i).isObject()) {
        throw new Rejection(at + " is not a JSON object");
      }
      String b64 = StrictJson.text(array.get(i), "signedTimestamp", at + ".signedTimestamp");
      out.add(Encodings.nonEmpty(Encodings.protoJsonBytes(b64, at), at));
    }
    return List.copyOf(out);
  }

  private static Content content(JsonNode root) throws Rejection {
    boolean dsse = StrictJson.present(root, "dsseEnvelope");
    boolean message = StrictJson.present(root, "messageSignature");
    if (dsse && message) {
      throw new Rejection("bundle has both dsseEnvelope and messageSignature");
    }
    if (message) {
      return new Content.MessageSignature();
    }
    if (!dsse) {
      throw new Rejection("bundle has neither dsseEnvelope nor messageSignature");
    }
    return new Content.Dsse(
        DsseEnvelope.parse(StrictJson.object(root, "dsseEnvelope", "bundle dsseEnvelope")));
  }

  private static Material material(JsonNode root) throws Rejection {
    JsonNode vm = StrictJson.object(root, "verificationMaterial", "bundle verificationMaterial");
    List<String> present = new ArrayList<>();
    for (String kind : List.of("publicKey", "certificate", "x509CertificateChain")) {
      if (StrictJson.present(vm, kind)) {
        present.add(kind);
      }
    }
    if (present.size() != 1) {
      throw new Rejection(
          "bundle verificationMaterial must hold exactly one of publicKey, certificate,"
              + " x509CertificateChain; found "
              + (present.isEmpty() ? "none" : String.join(", ", present)));
    }
    return switch (present.get(0)) {
      case "publicKey" -> {
        JsonNode key = StrictJson.object(vm, "publicKey", "verificationMaterial.publicKey");
        yield new Material.PublicKey(
            StrictJson.optionalText(key, "hint", "verificationMaterial.publicKey.hint"));
      }
      case "certificate" ->
          new Material.Certificate(
              rawBytes(
                  StrictJson.object(vm, "certificate", "verificationMaterial.certificate"),
                  "verificationMaterial.certificate"));
      default -> new Material.CertificateChain(chain(vm));
    };
  }

  private static List<byte[]> chain(JsonNode vm) throws Rejection {
    String path = "verificationMaterial.x509CertificateChain";
    JsonNode certs =
        StrictJson.array(
            StrictJson.object(vm, "x509CertificateChain", path),
            "certificates",
            path + ".certificates");
    List<byte[]> der = new ArrayList<>();
    for (int i = 0; i < certs.size(); i++) {
      der.add(rawBytes(certs.get(i), path + ".certificates[" + i + "]"));
    }
    return List.copyOf(der);
  }

  private static byte[] rawBytes(JsonNode cert, String path) throws Rejection {
    if (!cert.isObject()) {
      throw new Rejection(path + " is not a JSON object");
    }
    String b64 = StrictJson.text(cert, "rawBytes", path + ".rawBytes");
    return Encodings.protoJsonBytes(b64, path + ".rawBytes");
  }
}
