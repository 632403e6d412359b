package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.KeylessCompiler;
import dev.sigaudit.policy.TestKeys;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.verify.TrustedRoot;
import dev.sigaudit.verify.Verifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A request that accepts only some signature formats never sees the others. */
class AcceptedFormatsTest {
  private static final Verification VERIFICATION =
      new Verification(
          new Verifier(TrustedRoot.publicGood()), KeylessCompiler.compileAll(List.of()));
  private static final Digest IMAGE = Digest.sha256("image".getBytes());
  private static final Digest MANIFEST = Digest.sha256("manifest".getBytes());
  private static final SignatureCandidate BUNDLE =
      new SignatureCandidate.Bundle(MANIFEST, "{}".getBytes(), SignatureFormat.BUNDLE_REFERRER);
  private static final SignatureCandidate LEGACY =
      new SignatureCandidate.Legacy(
          MANIFEST,
          "{}".getBytes(),
          "AAAA",
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  private static VerificationRequest request(Set<SignatureFormat> formats) {
    return new VerificationRequest(
        ImageRef.parse("ghcr.io/acme/app").atDigest(IMAGE),
        TestKeys.trusted(),
        Optional.empty(),
        formats);
  }

  @Test
  void signaturesOnlyInOtherFormatsAreARejectionThatSaysSo() {
    Verdict v =
        VERIFICATION.verify(IMAGE, List.of(BUNDLE), request(Set.of(SignatureFormat.LEGACY_TAG)));

    assertThat(v)
        .isEqualTo(
            new Verdict.Rejected(
                List.of(
                    "bundle-referrer "
                        + MANIFEST.shortForm()
                        + ": a signature format the policy does not read"),
                Cause.BUNDLE_NOT_READ));
  }

  @Test
  void onlyLegacySignaturesInAnotherFormatAreSaidToBeInTheSigFormat() {
    Verdict v =
        VERIFICATION.verify(
            IMAGE, List.of(LEGACY), request(Set.of(SignatureFormat.BUNDLE_REFERRER)));

    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.kind()).isEqualTo(Cause.LEGACY_NOT_READ));
  }

  @Test
  void onlyAcceptedCandidatesReachTheVerifier() {
    Verdict v =
        VERIFICATION.verify(
            IMAGE, List.of(BUNDLE, LEGACY), request(Set.of(SignatureFormat.LEGACY_TAG)));

    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    assertThat(((Verdict.Rejected) v).reasons())
        .hasSize(1)
        .allMatch(r -> r.startsWith("legacy-sig"));
  }

  @Test
  void noCandidatesAtAllIsStillUnsigned() {
    Verdict v = VERIFICATION.verify(IMAGE, List.of(), request(Set.of(SignatureFormat.LEGACY_TAG)));

    assertThat(v).isInstanceOf(Verdict.Unsigned.class);
  }

  private static VerificationRequest presence(Set<SignatureFormat> formats) {
    return new VerificationRequest(
        ImageRef.parse("ghcr.io/acme/app").atDigest(IMAGE),
        new dev.sigaudit.policy.Authority.Presence("the KMS key awskms:///k"),
        Optional.empty(),
        formats);
  }

  @Test
  void aSignerSigauditCannotVerifyFailsAnImageWithoutSignaturesAndIsUnknownOtherwise() {
    Set<SignatureFormat> legacy = Set.of(SignatureFormat.LEGACY_TAG);

    // Nothing to verify: the engine fails the image whoever its signer would be.
    assertThat(VERIFICATION.verify(IMAGE, List.of(), presence(legacy)))
        .isInstanceOf(Verdict.Unsigned.class);
    // Only signatures the engine does not read: still nothing for it.
    assertThat(VERIFICATION.verify(IMAGE, List.of(BUNDLE), presence(legacy)))
        .isInstanceOf(Verdict.Rejected.class);
    // A signature it reads: it might be the signer's; never a pass.
    assertThat(VERIFICATION.verify(IMAGE, List.of(LEGACY), presence(legacy)))
        .isInstanceOf(Verdict.CheckError.class);
  }

  @Test
  void anImageValidatingPolicyReadsOnlyBundlesOnceAnyExists() {
    // Kyverno's IVP verifier looks for bundles first; if one exists (anyone's, any predicate) it
    // never reads the .sig, however valid.
    var ivp =
        new VerificationRequest(
            ImageRef.parse("ghcr.io/acme/app").atDigest(IMAGE),
            new dev.sigaudit.policy.Authority.Key(TestKeys.trusted()),
            Optional.empty(),
            Set.of(SignatureFormat.values()),
            VerificationRequest.Reading.BUNDLES_WHEN_PRESENT);
    var all = request(Set.of(SignatureFormat.values()));

    assertThat(ivp.select(List.of(LEGACY, BUNDLE))).containsExactly(BUNDLE);
    assertThat(ivp.select(List.of(LEGACY))).containsExactly(LEGACY);
    assertThat(all.select(List.of(LEGACY, BUNDLE))).containsExactly(LEGACY, BUNDLE);
    // The two readings never share a verdict.
    assertThat(ivp.verdictId()).isNotEqualTo(all.verdictId());
  }
}
