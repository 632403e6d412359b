package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.KeylessCandidateBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeylessVerifierTest {
  static final Digest IMAGE = Digests.of("image");
  static final String ISSUER = "https://accounts.example.com";
  static final String SUBJECT = "dev@example.com";

  final FakeSigstore sigstore = FakeSigstore.shared();
  final KeylessVerifier verifier = new KeylessVerifier();
  final KeylessRequirements requirements =
      KeylessRequirements.of(
          List.of(KeylessIdentity.exact(ISSUER, SUBJECT)), sigstore.trustedRoot());

  KeylessCandidateBuilder signature() {
    return KeylessCandidateBuilder.forImage(IMAGE, sigstore);
  }

  Verdict verify(SignatureCandidate candidate) {
    return verifier.verify(IMAGE, List.of(candidate), requirements);
  }

  @Test
  void validLegacyKeylessSignatureIsVerifiedWithSanAndIssuer() {
    assertThat(verify(signature().legacy()))
        .isEqualTo(
            new Verdict.Verified(
                SignatureFormat.LEGACY_TAG, new Signer(SUBJECT, Optional.of(ISSUER)), IMAGE));
  }

  @Test
  void validKeylessBundleIsVerifiedWithSanAndIssuer() {
    assertThat(verify(signature().bundle()))
        .isEqualTo(
            new Verdict.Verified(
                SignatureFormat.BUNDLE_REFERRER, new Signer(SUBJECT, Optional.of(ISSUER)), IMAGE));
  }
}
