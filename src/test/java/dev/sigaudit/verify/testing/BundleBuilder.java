package dev.sigaudit.verify.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.verify.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Builds a cosign v3 Sigstore bundle (protobuf JSON, v0.3) for an image, signed with a test key as
 * {@code cosign sign --key} does: a DSSE envelope over the in-toto statement of {@link
 * CosignPayloads#statement(Digest)}, signature over the DSSE PAE, {@code publicKey.hint} in the
 * verification material.
 *
 * <pre>{@code
 * SignatureCandidate.Bundle b = BundleBuilder.forImage(digest).signedBy(key).build();
 * }</pre>
 *
 * Every part can be overridden to build broken or hostile bundles.
 */
public final class BundleBuilder {
  /** What the bundle's verificationMaterial holds. */
  public enum Material {
    PUBLIC_KEY,
    CERTIFICATE,
    CERTIFICATE_CHAIN,
    NONE
  }

  /** What the bundle's content is. */
  public enum Content {
    DSSE,
    MESSAGE_SIGNATURE,
    NONE
  }

  private final Digest image;
  private Digest sourceManifest = Digests.of("bundle-manifest");
  private SignatureFormat format = SignatureFormat.BUNDLE_REFERRER;
  private String mediaType = CosignPayloads.BUNDLE_V03;
  private String payloadType = CosignPayloads.IN_TOTO_PAYLOAD_TYPE;
  private byte[] statement;
  private byte[] envelopePayload;
  private TestKey key;
  private SignatureScheme scheme;
  private List<String> signatures;
  private int signatureCopies = 1;
  private Material material = Material.PUBLIC_KEY;
  private String hint;
  private boolean hintSet;
  private Content content = Content.DSSE;
  private boolean tlogEntry;

  private BundleBuilder(Digest image) {
    this.image = image;
  }

  public static BundleBuilder forImage(Digest image) {
    return new BundleBuilder(image);
  }

  public BundleBuilder signedBy(TestKey key) {
    this.key = key;
    return this;
  }

  /** Signs with this scheme instead of cosign v3's default for the key type. */
  public BundleBuilder scheme(SignatureScheme scheme) {
    this.scheme = scheme;
    return this;
  }

  public BundleBuilder sourceManifest(Digest digest) {
    this.sourceManifest = digest;
    return this;
  }

  public BundleBuilder format(SignatureFormat format) {
    this.format = format;
    return this;
  }

  public BundleBuilder mediaType(String mediaType) {
    this.mediaType = mediaType;
    return this;
  }

  /** The envelope's payloadType, which is also what gets signed in the PAE. */
  public BundleBuilder payloadType(String payloadType) {
    this.payloadType = payloadType;
    return this;
  }

  /** Replaces the statement (signed as given). */
  public BundleBuilder statement(byte[] statement) {
    this.statement = statement.clone();
    return this;
  }

  /** Signs the normal statement but ships these bytes as the envelope payload (tampering). */
  public BundleBuilder tamperedPayload(byte[] payload) {
    this.envelopePayload = payload.clone();
    return this;
  }

  /** Uses these base64 texts verbatim as {@code signatures[].sig} instead of signing. */
  public BundleBuilder signatures(String... base64) {
    this.signatures = List.of(base64);
    return this;
  }

  /** Repeats the (valid) signature this many times in {@code signatures[]}. */
  public BundleBuilder signatureCopies(int copies) {
    this.signatureCopies = copies;
    return this;
  }

  public BundleBuilder material(Material material) {
    this.material = material;
    return this;
  }

  /** Overrides {@code publicKey.hint}; {@code null} leaves it out. */
  public BundleBuilder hint(String hint) {
    this.hint = hint;
    this.hintSet = true;
    return this;
  }

  public BundleBuilder content(Content content) {
    this.content = content;
    return this;
  }

  /** Adds a Rekor v1 tlog entry as {@code cosign sign} uploads by default (not verified here). */
  public BundleBuilder withTlogEntry() {
    this.tlogEntry = true;
    return this;
  }

  /** The statement bytes (signed payload). */
  public byte[] statementBytes() {
    return statement != null ? statement.clone() : CosignPayloads.statement(image);
  }

  /** The bundle JSON bytes. */
  public byte[] json() {
    ObjectNode root = CosignPayloads.JSON.createObjectNode();
    root.put("mediaType", mediaType);
    verificationMaterial(root);
    switch (content) {
      case DSSE -> dsse(root.putObject("dsseEnvelope"));
      case MESSAGE_SIGNATURE -> messageSignature(root.putObject("messageSignature"));
      case NONE -> {}
    }
    return CosignPayloads.write(root).getBytes(StandardCharsets.UTF_8);
  }

  public SignatureCandidate.Bundle build() {
    return new SignatureCandidate.Bundle(sourceManifest, json(), format);
  }

  private void verificationMaterial(ObjectNode root) {
    ObjectNode vm = root.putObject("verificationMaterial");
    byte[] fakeCert = "not a real certificate".getBytes(StandardCharsets.US_ASCII);
    switch (material) {
      case PUBLIC_KEY -> {
        String h = hintSet ? hint : (key != null ? key.bundleHint() : null);
        ObjectNode pk = vm.putObject("publicKey");
        if (h != null) {
          pk.put("hint", h);
        }
      }
      case CERTIFICATE -> vm.putObject("certificate").put("rawBytes", b64(fakeCert));
      case CERTIFICATE_CHAIN ->
          vm.putObject("x509CertificateChain")
              .putArray("certificates")
              .addObject()
              .put("rawBytes", b64(fakeCert));
      case NONE -> {}
    }
    if (tlogEntry) {
      tlogEntry(vm.putArray("tlogEntries").addObject());
    }
  }

  private void dsse(ObjectNode envelope) {
    byte[] signedStatement = statementBytes();
    byte[] shipped = envelopePayload != null ? envelopePayload : signedStatement;
    envelope.put("payload", b64(shipped));
    envelope.put("payloadType", payloadType);
    ArrayNode sigs = envelope.putArray("signatures");
    for (String sig : signatureTexts(pae(payloadType, signedStatement))) {
      sigs.addObject().put("sig", sig);
    }
  }

  private List<String> signatureTexts(byte[] pae) {
    if (signatures != null) {
      return signatures;
    }
    if (key == null) {
      throw new IllegalStateException("call signedBy(key) or signatures(...)");
    }
    String sig = b64(scheme != null ? key.sign(pae, scheme) : key.sign(pae));
    List<String> copies = new ArrayList<>();
    for (int i = 0; i < signatureCopies; i++) {
      copies.add(sig);
    }
    return copies;
  }

  private void messageSignature(ObjectNode message) {
    byte[] artifact = statementBytes();
    ObjectNode digest = message.putObject("messageDigest");
    digest.put("algorithm", "SHA2_256");
    digest.put("digest", b64(HexFormat.of().parseHex(Digest.sha256(artifact).hex())));
    message.put("signature", key != null ? b64(key.sign(artifact)) : b64(new byte[] {1}));
  }

  private static void tlogEntry(ObjectNode entry) {
    entry.put("logIndex", "123456789");
    entry.putObject("logId").put("keyId", "wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=");
    entry.putObject("kindVersion").put("kind", "dsse").put("version", "0.0.1");
    entry.put("integratedTime", "1760000000");
    entry.putObject("inclusionPromise").put("signedEntryTimestamp", "MEUCIQDfake");
    ObjectNode proof = entry.putObject("inclusionProof");
    proof.put("logIndex", "1234").put("rootHash", "AAAA").put("treeSize", "5678");
    proof.putArray("hashes").add("AAAA");
    proof.putObject("checkpoint").put("envelope", "rekor.sigstore.dev - 1193050959916656506\n");
    entry.put("canonicalizedBody", "eyJmYWtlIjp0cnVlfQ==");
  }

  /** The DSSE PAE, written here independently of the production code. */
  public static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    String head = "DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ";
    byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[headBytes.length + payload.length];
    System.arraycopy(headBytes, 0, out, 0, headBytes.length);
    System.arraycopy(payload, 0, out, headBytes.length, payload.length);
    return out;
  }

  /** Convenience for subject maps: {@code Map.of("sha256", hex)}. */
  public static Map<String, String> sha256Subject(Digest digest) {
    return Map.of("sha256", digest.hex());
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
