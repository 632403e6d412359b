package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.CosignPayloads;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.FakeRekor;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.TestCa;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Key-based signatures under a policy that requires a transparency-log entry. */
class KeyedTlogTest {
  static final Digest IMAGE = Digests.of("image");

  final FakeSigstore sigstore = FakeSigstore.shared();
  final Verifier verifier = new Verifier(sigstore.trustedRoot());
  final KeyVerifier keys = new KeyVerifier();
  final TestKey key = TestKeys.p256();
  final Requirement.Key requireTlog = new Requirement.Key(key.trustedKey(), TlogPolicy.REQUIRE);

  SignatureCandidate.Legacy legacy(
      boolean logged, java.util.function.Consumer<FakeRekor.Entry> change) {
    byte[] payload = CosignPayloads.simpleSigning(IMAGE, "registry.example/team/app");
    byte[] signature = key.sign(payload);
    Optional<String> bundle = Optional.empty();
    if (logged) {
      byte[] body =
          FakeRekor.hashedRekord(signature, key.publicPem(), Digest.sha256(payload).hex());
      FakeRekor.Entry e = sigstore.rekor().log(body, "hashedrekord", FakeSigstore.SIGNING_TIME);
      change.accept(e);
      bundle = Optional.of(e.legacyAnnotation());
    }
    return new SignatureCandidate.Legacy(
        Digests.of("sig-manifest"),
        payload,
        Base64.getEncoder().encodeToString(signature),
        Optional.empty(),
        Optional.empty(),
        bundle,
        Optional.empty());
  }

  String reason(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
    String only = ((Verdict.Rejected) verdict).reasons().get(0);
    return only.substring(only.indexOf(": ") + 2);
  }

  @Test
  void loggedLegacySignatureIsVerified() {
    assertThat(verifier.verify(IMAGE, List.of(legacy(true, e -> {})), requireTlog))
        .isEqualTo(
            new Verdict.Verified(
                SignatureFormat.LEGACY_TAG, Signer.key(key.trustedKey().fingerprint()), IMAGE));
  }

  @Test
  void unloggedSignatureIsRejectedWhenTheTlogIsRequired() {
    var candidate = legacy(false, e -> {});

    assertThat(reason(verifier.verify(IMAGE, List.of(candidate), requireTlog)))
        .isEqualTo(
            "signature verified with key "
                + key.trustedKey().fingerprint()
                + " but no"
                + " transparency-log entry proves it was logged (the signature has none); the"
                + " policy requires one");
    assertThat(keys.verify(IMAGE, List.of(candidate), key.trustedKey()))
        .isInstanceOf(Verdict.Verified.class);
  }

  @Test
  void setSignedByAnotherKeyIsRejected() {
    var candidate = legacy(true, e -> e.set = FakeRekor.signSet(e, TestCa.ecKeyPair("secp256r1")));

    assertThat(reason(verifier.verify(IMAGE, List.of(candidate), requireTlog)))
        .startsWith("Rekor bundle annotation signed entry timestamp does not verify with the key");
  }

  @Test
  void entryLoggingAnotherKeyIsRejected() {
    TestKey other = TestKeys.fresh(KeyType.ECDSA_P256);
    byte[] payload = CosignPayloads.simpleSigning(IMAGE, "registry.example/team/app");
    byte[] signature = key.sign(payload);
    byte[] body =
        FakeRekor.hashedRekord(signature, other.publicPem(), Digest.sha256(payload).hex());
    var entry = sigstore.rekor().log(body, "hashedrekord", FakeSigstore.SIGNING_TIME);
    var candidate =
        new SignatureCandidate.Legacy(
            Digests.of("sig-manifest"),
            payload,
            Base64.getEncoder().encodeToString(signature),
            Optional.empty(),
            Optional.empty(),
            Optional.of(entry.legacyAnnotation()),
            Optional.empty());

    assertThat(reason(verifier.verify(IMAGE, List.of(candidate), requireTlog)))
        .isEqualTo(
            "Rekor bundle annotation logs a different public key than the signature's public key");
  }

  @Test
  void loggedKeyedBundleIsVerified() throws Exception {
    ObjectMapper json = new ObjectMapper();
    BundleBuilder builder = BundleBuilder.forImage(IMAGE).signedBy(key);
    ObjectNode bundle = (ObjectNode) json.readTree(builder.json());
    byte[] signature =
        Base64.getDecoder().decode(bundle.at("/dsseEnvelope/signatures/0/sig").textValue());
    byte[] body =
        FakeRekor.dsse(signature, key.publicPem(), Digest.sha256(builder.statementBytes()).hex());
    FakeRekor.Entry entry = sigstore.rekor().log(body, "dsse", FakeSigstore.SIGNING_TIME);
    ArrayNode entries = ((ObjectNode) bundle.get("verificationMaterial")).putArray("tlogEntries");
    entry.writeTo(entries.addObject());
    var candidate =
        new SignatureCandidate.Bundle(
            Digests.of("bundle-manifest"),
            json.writeValueAsString(bundle).getBytes(StandardCharsets.UTF_8),
            SignatureFormat.BUNDLE_REFERRER);

    assertThat(verifier.verify(IMAGE, List.of(candidate), requireTlog))
        .isInstanceOf(Verdict.Verified.class);
  }

  @Test
  void malformedTlogEntryIsAReasonOnlyWhenTheTlogIsRequired() {
    // BundleBuilder's placeholder entry has a 3-byte "hash"; without the requirement it is ignored.
    var candidate = BundleBuilder.forImage(IMAGE).signedBy(key).withTlogEntry().build();

    assertThat(reason(verifier.verify(IMAGE, List.of(candidate), requireTlog)))
        .isEqualTo("tlogEntries[0].inclusionProof.hashes[0] is 3 bytes, not a SHA-256 hash");
    assertThat(keys.verify(IMAGE, List.of(candidate), key.trustedKey()))
        .isInstanceOf(Verdict.Verified.class);
  }
}
