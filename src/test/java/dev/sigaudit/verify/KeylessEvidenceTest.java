package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.FakeRekor;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.KeylessCandidateBuilder;
import dev.sigaudit.verify.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The evidence a keyless signature needs: Rekor entries (SET, inclusion proof, checkpoint, binding
 * to this signature), RFC 3161 timestamps, and a signing time inside every validity window.
 */
class KeylessEvidenceTest {
  static final Digest IMAGE = Digests.of("image");
  static final String ISSUER = "https://accounts.example.com";
  static final String SUBJECT = "dev@example.com";

  final FakeSigstore sigstore = FakeSigstore.shared();
  final KeylessVerifier verifier = new KeylessVerifier();
  final KeylessRequirements defaults = requirements(sigstore.trustedRoot());

  static KeylessRequirements requirements(TrustedRoot root) {
    return KeylessRequirements.of(List.of(KeylessIdentity.exact(ISSUER, SUBJECT)), root);
  }

  KeylessCandidateBuilder signature() {
    return KeylessCandidateBuilder.forImage(IMAGE, sigstore);
  }

  SignatureCandidate build(KeylessVerifierTest.Format format, KeylessCandidateBuilder builder) {
    return format.build.apply(builder);
  }

  static String entryLabel(KeylessVerifierTest.Format format) {
    return format == KeylessVerifierTest.Format.LEGACY
        ? "Rekor bundle annotation"
        : "tlogEntries[0]";
  }

  Verdict verify(SignatureCandidate candidate, KeylessRequirements req) {
    return verifier.verify(IMAGE, List.of(candidate), req);
  }

  String reason(SignatureCandidate candidate, KeylessRequirements req) {
    Verdict verdict = verify(candidate, req);
    assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
    String only = ((Verdict.Rejected) verdict).reasons().get(0);
    return only.substring(Candidates.name(candidate).length() + 2);
  }

  // --- time evidence --------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void expiredCertificateWithoutAnyTimeEvidenceIsRejected(KeylessVerifierTest.Format format) {
    var candidate = build(format, signature().noTlog());

    assertThat(reason(candidate, defaults.withTlog(TlogPolicy.IGNORE)))
        .isEqualTo(
            "no trusted signing time (transparency-log entries are ignored by policy; no RFC 3161"
                + " timestamp): a keyless certificate is only valid for minutes, so when the"
                + " signature was made must be proven by a Rekor signed entry timestamp or an RFC"
                + " 3161 timestamp");
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void missingTlogEntryIsRejectedWhenThePolicyRequiresOne(KeylessVerifierTest.Format format) {
    var candidate = build(format, signature().noTlog().timestamp());

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "no verified transparency-log entry (the signature has none); the policy requires one");
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void timestampAloneProvesTheTimeWhenTheTlogIsIgnored(KeylessVerifierTest.Format format) {
    var candidate = build(format, signature().noTlog().timestamp());

    assertThat(verify(candidate, defaults.withTlog(TlogPolicy.IGNORE)))
        .isInstanceOf(Verdict.Verified.class);
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void setAndTimestampTogetherAreVerified(KeylessVerifierTest.Format format) {
    var candidate = build(format, signature().timestamp());

    assertThat(verify(candidate, defaults.withTimestamp(TimestampPolicy.REQUIRE)))
        .isInstanceOf(Verdict.Verified.class);
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void signingTimeAfterTheCertificateExpiredIsRejected(KeylessVerifierTest.Format format) {
    var candidate = build(format, signature().integratedTime(FakeSigstore.at(Duration.ofHours(1))));

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "signing time 2025-03-01T13:00:00Z (integrated time of "
                + entryLabel(format)
                + " of https://rekor.test) is outside the certificate's validity"
                + " [2025-03-01T11:59:00Z, 2025-03-01T12:09:00Z]");
  }

  @Test
  void signingTimeBeforeTheCertificateWasIssuedIsRejected() {
    var candidate =
        signature().noTlog().timestamp(FakeSigstore.at(Duration.ofMinutes(-5))).bundle();

    assertThat(reason(candidate, defaults.withTlog(TlogPolicy.IGNORE)))
        .isEqualTo(
            "signing time 2025-03-01T11:55:00Z (RFC 3161 timestamp of https://tsa.test) is outside"
                + " the certificate's validity [2025-03-01T11:59:00Z, 2025-03-01T12:09:00Z]");
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void certificateFromACaNotValidAtTheSigningTimeIsRejected(KeylessVerifierTest.Format format) {
    Instant caEnd = FakeSigstore.at(Duration.ofDays(-1));
    var root = sigstore.trustedRootJson().caValidFor(FakeSigstore.CA_FROM, caEnd).parse();

    assertThat(reason(build(format, signature()), requirements(root)))
        .isEqualTo(
            "signing time 2025-03-01T12:00:00Z (integrated time of "
                + entryLabel(format)
                + " of https://rekor.test) is outside the validity of the Fulcio CA that issued the"
                + " certificate: https://fulcio.test is trusted for [2024-01-01T00:00:00Z,"
                + " 2025-02-28T12:00:00Z] only");
  }

  // --- Rekor entries --------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void setSignedByTheWrongKeyIsRejected(KeylessVerifierTest.Format format) {
    var candidate = build(format, signature().setSignedBy(TestCa.ecKeyPair("secp256r1")));

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            entryLabel(format)
                + " signed entry timestamp does not verify with the key of Rekor log"
                + " https://rekor.test (log ID "
                + FakeSigstore.logId(sigstore.rekorKeys).substring(0, 16)
                + "…) (forged, or signed by another key)");
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void setOverAnotherIntegratedTimeIsRejected(KeylessVerifierTest.Format format) {
    // Moving the time inside the certificate's validity does not help: the SET covers it.
    var candidate = build(format, signature().entry(e -> e.integratedTime += 60));

    assertThat(reason(candidate, defaults))
        .startsWith(entryLabel(format) + " signed entry timestamp does not verify");
  }

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void entryOfAnUnknownLogProvesNothing(KeylessVerifierTest.Format format) {
    var root = sigstore.trustedRootJson().withoutRekor().parse();

    assertThat(reason(build(format, signature()), requirements(root)))
        .isEqualTo(
            "no verified transparency-log entry ("
                + entryLabel(format)
                + " is from log ID "
                + FakeSigstore.logId(sigstore.rekorKeys).substring(0, 16)
                + "…, not a Rekor log of the trusted root); the policy requires one");
  }

  @Test
  void integratedTimeBeforeTheRekorKeyWasValidIsRejected() {
    var root =
        sigstore.trustedRootJson().rekorValidFrom(FakeSigstore.at(Duration.ofDays(1))).parse();

    assertThat(reason(signature().legacy(), requirements(root)))
        .isEqualTo(
            "Rekor bundle annotation integrated time 2025-03-01T12:00:00Z is outside the validity"
                + " [2025-03-02T12:00:00Z, open] of Rekor log https://rekor.test in the trusted root");
  }

  @Test
  void inclusionProofWithAWrongHashIsRejected() {
    var candidate = signature().entry(e -> e.hashes.set(0, sha256Of("not the sibling"))).bundle();

    assertThat(reason(candidate, defaults))
        .startsWith("tlogEntries[0] inclusion proof does not lead to its root hash (computed ");
  }

  @Test
  void inclusionProofForAnotherIndexIsRejected() {
    // Index 2 of 7 needs a longer audit path than index 6: the shape already gives it away.
    var candidate = signature().entry(e -> e.proofIndex = 2).bundle();

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "tlogEntries[0] inclusion proof: inclusion proof has fewer hashes than the tree is"
                + " deep");
  }

  @Test
  void inclusionProofWithAnExtraHashIsRejected() {
    var candidate =
        signature().entry(e -> e.hashes = append(e.hashes, sha256Of("one too many"))).bundle();

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "tlogEntries[0] inclusion proof: inclusion proof has more hashes than the tree is"
                + " deep");
  }

  @Test
  void checkpointSignedByAnotherKeyIsRejected() {
    var candidate =
        signature()
            .entry(
                e ->
                    e.checkpoint =
                        sigstore
                            .rekor()
                            .checkpoint(e.treeSize, e.rootHash, TestCa.ecKeyPair("secp256r1")))
            .bundle();

    assertThat(reason(candidate, defaults))
        .startsWith(
            "tlogEntries[0] inclusion proof: checkpoint is not signed by Rekor log https://rekor.test");
  }

  @Test
  void checkpointForAnotherTreeIsRejected() {
    var candidate =
        signature()
            .entry(
                e ->
                    e.checkpoint =
                        sigstore.rekor().checkpoint(e.treeSize + 1, e.rootHash, sigstore.rekorKeys))
            .bundle();

    assertThat(reason(candidate, defaults)).contains("but the checkpoint commits to size 8");
  }

  @Test
  void inclusionProofWithoutSetIsLoggedButProvesNoTime() {
    var candidate = signature().entry(e -> e.withSet = false).bundle();

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "no trusted signing time (tlogEntries[0] of https://rekor.test has an inclusion proof"
                + " but no signed entry timestamp; no RFC 3161 timestamp): a keyless certificate is"
                + " only valid for minutes, so when the signature was made must be proven by a"
                + " Rekor signed entry timestamp or an RFC 3161 timestamp");
    assertThat(verify(signature().entry(e -> e.withSet = false).timestamp().bundle(), defaults))
        .isInstanceOf(Verdict.Verified.class);
  }

  @Test
  void setWithoutInclusionProofSuffices() {
    assertThat(verify(signature().entry(e -> e.withProof = false).bundle(), defaults))
        .isInstanceOf(Verdict.Verified.class);
  }

  @Test
  void entryForAnotherSignatureIsRejected() {
    // A genuine, correctly signed entry — of someone else's signature with the same certificate.
    var candidate =
        signature()
            .entry(e -> relog(e, body -> bodyWithSignature(body, new byte[] {1, 2})))
            .legacy();

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "Rekor bundle annotation logs a different signature (entry for another signature?)");
  }

  @Test
  void entryForAnotherCertificateIsRejected() {
    // The right signature logged with another (valid) certificate.
    var logged = sigstore.leaf().build();
    var signer = sigstore.leaf().build();
    var mixed =
        signature()
            .leaf(signer)
            .entry(
                e -> {
                  String json = new String(e.body, StandardCharsets.UTF_8);
                  e.body =
                      json.replace(b64Pem(signer.pem()), b64Pem(logged.pem()))
                          .getBytes(StandardCharsets.UTF_8);
                  resign(e);
                })
            .bundle();

    assertThat(reason(mixed, defaults))
        .isEqualTo("tlogEntries[0] logs a different certificate than the signature's certificate");
  }

  @Test
  void entryForAnotherPayloadIsRejected() {
    var candidate =
        signature()
            .entry(
                e -> {
                  String json = new String(e.body, StandardCharsets.UTF_8);
                  e.body =
                      json.replaceFirst(
                              "\"value\":\"[0-9a-f]{64}\"", "\"value\":\"" + "ab".repeat(32) + "\"")
                          .getBytes(StandardCharsets.UTF_8);
                  resign(e);
                })
            .legacy();

    assertThat(reason(candidate, defaults))
        .startsWith(
            "Rekor bundle annotation logs payload sha256:"
                + "ab".repeat(32)
                + ", the signed payload is sha256:");
  }

  @Test
  void bundleEntryDeclaringAnotherKindIsRejected() {
    var candidate = signature().entry(e -> e.kind = "hashedrekord").bundle();

    assertThat(reason(candidate, defaults))
        .isEqualTo(
            "tlogEntries[0] declares kind \"hashedrekord/0.0.1\" but its body is \"dsse/0.0.1\"");
  }

  @Test
  void duplicateEntriesAreRejected() {
    String json = signature().bundleJson();
    String entries = json.substring(json.indexOf("\"tlogEntries\":[") + 15);
    String entry = entries.substring(0, matchingBrace(entries) + 1);
    byte[] doubled = json.replace(entry, entry + "," + entry).getBytes(StandardCharsets.UTF_8);
    var candidate =
        new SignatureCandidate.Bundle(
            Digests.of("bundle-manifest"),
            doubled,
            dev.sigaudit.model.SignatureFormat.BUNDLE_REFERRER);

    assertThat(reason(candidate, defaults))
        .isEqualTo("tlogEntries[1] duplicates another tlog entry");
  }

  // --- RFC 3161 -------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(KeylessVerifierTest.Format.class)
  void requiredTimestampThatIsMissingIsRejected(KeylessVerifierTest.Format format) {
    assertThat(reason(build(format, signature()), defaults.withTimestamp(TimestampPolicy.REQUIRE)))
        .isEqualTo(
            "no verified RFC 3161 timestamp (the signature has none); the policy requires one");
  }

  @Test
  void timestampFromAnUntrustedTsaIsSkipped() {
    var root = sigstore.trustedRootJson().withoutTsa().parse();

    assertThat(
            reason(
                signature().noTlog().timestamp().legacy(),
                requirements(root).withTlog(TlogPolicy.IGNORE)))
        .isEqualTo(
            "no trusted signing time (transparency-log entries are ignored by policy; RFC 3161"
                + " timestamp 1 is not from a timestamping authority of the trusted root (it has"
                + " none)): a keyless certificate is only valid for minutes, so when the signature"
                + " was made must be proven by a Rekor signed entry timestamp or an RFC 3161"
                + " timestamp");
  }

  @Test
  void timestampOverAnotherSignatureIsRejected() {
    String json = signature().noTlog().timestamp().bundleJson();
    String other =
        base64(
            sigstore
                .tsa()
                .timestamp(
                    "another signature".getBytes(StandardCharsets.UTF_8),
                    FakeSigstore.SIGNING_TIME));
    String swapped =
        json.replaceFirst(
            "\"signedTimestamp\":\"[^\"]+\"", "\"signedTimestamp\":\"" + other + "\"");
    var candidate =
        new SignatureCandidate.Bundle(
            Digests.of("bundle-manifest"),
            swapped.getBytes(StandardCharsets.UTF_8),
            dev.sigaudit.model.SignatureFormat.BUNDLE_REFERRER);

    assertThat(reason(candidate, defaults.withTlog(TlogPolicy.IGNORE)))
        .isEqualTo("RFC 3161 timestamp 1 is over other data than this signature");
  }

  // --- helpers --------------------------------------------------------------------------------

  static byte[] sha256Of(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String base64(byte[] bytes) {
    return java.util.Base64.getEncoder().encodeToString(bytes);
  }

  static List<byte[]> append(List<byte[]> list, byte[] extra) {
    var out = new java.util.ArrayList<>(list);
    out.add(extra);
    return out;
  }

  static String b64Pem(String pem) {
    return base64(pem.getBytes(StandardCharsets.UTF_8));
  }

  /** Re-signs the SET and rebuilds proof and checkpoint after the body changed. */
  void resign(FakeRekor.Entry e) {
    FakeRekor.Entry fresh =
        sigstore.rekor().log(e.body, e.kind, Instant.ofEpochSecond(e.integratedTime));
    e.set = fresh.set;
    e.rootHash = fresh.rootHash;
    e.hashes = fresh.hashes;
    e.checkpoint = fresh.checkpoint;
  }

  void relog(FakeRekor.Entry e, java.util.function.UnaryOperator<String> change) {
    e.body =
        change.apply(new String(e.body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    resign(e);
  }

  static String bodyWithSignature(String body, byte[] signature) {
    return body.replaceFirst(
        "\"content\":\"[^\"]+\",\"publicKey\"",
        "\"content\":\"" + base64(signature) + "\",\"publicKey\"");
  }

  static int matchingBrace(String json) {
    int depth = 0;
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) == '{') {
        depth++;
      } else if (json.charAt(i) == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced");
  }
}
