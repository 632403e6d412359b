package dev.sigaudit.verify.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds keyless signatures the way cosign writes them, with a certificate from {@link
 * FakeSigstore}: a legacy {@code .sig} layer (certificate, chain, Rekor SET and optional RFC 3161
 * annotations) or a v0.3 bundle (certificate, {@code dsse} tlog entry with SET and inclusion proof,
 * optional timestamp).
 *
 * <pre>{@code
 * var legacy = KeylessCandidateBuilder.forImage(digest, sigstore).legacy();
 * var bundle = KeylessCandidateBuilder.forImage(digest, sigstore).leaf(l).noTlog().timestamp().bundle();
 * }</pre>
 */
public final class KeylessCandidateBuilder {
  private final Digest image;
  private final FakeSigstore sigstore;
  private FulcioLeaf leaf;
  private boolean tlog = true;
  private Instant integratedTime = FakeSigstore.SIGNING_TIME;
  private Consumer<FakeRekor.Entry> entryChanges = e -> {};
  private Instant timestampTime;
  private byte[] shippedPayload;
  private FulcioLeaf shippedCertificate;
  private java.util.function.UnaryOperator<byte[]> certificateTampering = b -> b;

  private KeylessCandidateBuilder(Digest image, FakeSigstore sigstore) {
    this.image = image;
    this.sigstore = sigstore;
  }

  public static KeylessCandidateBuilder forImage(Digest image, FakeSigstore sigstore) {
    return new KeylessCandidateBuilder(image, sigstore);
  }

  public KeylessCandidateBuilder leaf(FulcioLeaf leaf) {
    this.leaf = leaf;
    return this;
  }

  /** No Rekor entry at all. */
  public KeylessCandidateBuilder noTlog() {
    this.tlog = false;
    return this;
  }

  public KeylessCandidateBuilder integratedTime(Instant time) {
    this.integratedTime = time;
    return this;
  }

  /** Changes the log entry after it was made (e.g. to tamper with it). */
  public KeylessCandidateBuilder entry(Consumer<FakeRekor.Entry> changes) {
    this.entryChanges = changes;
    return this;
  }

  /** Re-signs the SET with {@code keys} instead of the log's key. */
  public KeylessCandidateBuilder setSignedBy(KeyPair keys) {
    return entry(e -> e.set = FakeRekor.signSet(e, keys));
  }

  /** Adds an RFC 3161 timestamp from the test TSA at the signing time. */
  public KeylessCandidateBuilder timestamp() {
    return timestamp(FakeSigstore.SIGNING_TIME);
  }

  public KeylessCandidateBuilder timestamp(Instant time) {
    this.timestampTime = time;
    return this;
  }

  /** Signs the normal payload but ships these bytes. */
  public KeylessCandidateBuilder tamperedPayload(byte[] payload) {
    this.shippedPayload = payload.clone();
    return this;
  }

  /** Ships another certificate than the one that signed (and was logged). */
  public KeylessCandidateBuilder shippedCertificate(FulcioLeaf other) {
    this.shippedCertificate = other;
    return this;
  }

  /** Changes the shipped certificate's DER bytes (the logged one stays intact). */
  public KeylessCandidateBuilder tamperCertificate(
      java.util.function.UnaryOperator<byte[]> change) {
    this.certificateTampering = change;
    return this;
  }

  private FulcioLeaf leaf() {
    if (leaf == null) {
      leaf = sigstore.leaf().build();
    }
    return leaf;
  }

  private byte[] shippedDer() {
    FulcioLeaf shipped = shippedCertificate != null ? shippedCertificate : leaf();
    return certificateTampering.apply(shipped.der().clone());
  }

  /** A legacy {@code .sig} layer. */
  public SignatureCandidate.Legacy legacy() {
    byte[] payload = CosignPayloads.simpleSigning(image, "registry.example/team/app");
    byte[] signature = leaf().sign(payload);
    Optional<String> bundle = Optional.empty();
    if (tlog) {
      byte[] body = FakeRekor.hashedRekord(signature, leaf().pem(), Digest.sha256(payload).hex());
      FakeRekor.Entry e = sigstore.rekor().log(body, "hashedrekord", integratedTime);
      entryChanges.accept(e);
      bundle = Optional.of(e.legacyAnnotation());
    }
    Optional<String> rfc3161 = Optional.empty();
    if (timestampTime != null) {
      ObjectNode ts = CosignPayloads.JSON.createObjectNode();
      ts.put(
          "SignedRFC3161Timestamp",
          FakeSigstore.b64(sigstore.tsa().timestamp(signature, timestampTime)));
      rfc3161 = Optional.of(CosignPayloads.write(ts));
    }
    String chain =
        TestKeys.pem("CERTIFICATE", encoded(sigstore.fulcioIntermediate))
            + TestKeys.pem("CERTIFICATE", encoded(sigstore.fulcioRoot));
    return new SignatureCandidate.Legacy(
        Digests.of("sig-manifest"),
        shippedPayload != null ? shippedPayload : payload,
        FakeSigstore.b64(signature),
        Optional.of(TestKeys.pem("CERTIFICATE", shippedDer())),
        Optional.of(chain),
        bundle,
        rfc3161);
  }

  /** A v0.3 bundle referrer. */
  public SignatureCandidate.Bundle bundle() {
    return new SignatureCandidate.Bundle(
        Digests.of("bundle-manifest"),
        bundleJson().getBytes(StandardCharsets.UTF_8),
        SignatureFormat.BUNDLE_REFERRER);
  }

  public String bundleJson() {
    byte[] statement = CosignPayloads.statement(image);
    byte[] signature =
        leaf().sign(BundleBuilder.pae(CosignPayloads.IN_TOTO_PAYLOAD_TYPE, statement));
    ObjectNode root = CosignPayloads.JSON.createObjectNode();
    root.put("mediaType", CosignPayloads.BUNDLE_V03);
    ObjectNode vm = root.putObject("verificationMaterial");
    vm.putObject("certificate").put("rawBytes", FakeSigstore.b64(shippedDer()));
    if (tlog) {
      byte[] body = FakeRekor.dsse(signature, leaf().pem(), Digest.sha256(statement).hex());
      FakeRekor.Entry e = sigstore.rekor().log(body, "dsse", integratedTime);
      entryChanges.accept(e);
      e.writeTo(vm.putArray("tlogEntries").addObject());
    }
    if (timestampTime != null) {
      vm.putObject("timestampVerificationData")
          .putArray("rfc3161Timestamps")
          .addObject()
          .put(
              "signedTimestamp",
              FakeSigstore.b64(sigstore.tsa().timestamp(signature, timestampTime)));
    }
    ObjectNode envelope = root.putObject("dsseEnvelope");
    envelope.put("payload", FakeSigstore.b64(shippedPayload != null ? shippedPayload : statement));
    envelope.put("payloadType", CosignPayloads.IN_TOTO_PAYLOAD_TYPE);
    envelope.putArray("signatures").addObject().put("sig", FakeSigstore.b64(signature));
    return CosignPayloads.write(root);
  }

  private static byte[] encoded(java.security.cert.X509Certificate cert) {
    try {
      return cert.getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
