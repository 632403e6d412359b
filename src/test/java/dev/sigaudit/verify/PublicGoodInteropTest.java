package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The keyless building blocks against a real bundle from the public-good instance (see {@code
 * src/test/resources/interop/README.md}) and the trusted root sigaudit ships: if the test CA in
 * {@code FakeSigstore} and the verifier shared a misreading of a spec, this is where it shows.
 */
class PublicGoodInteropTest {
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final String SUBJECT =
      "https://github.com/loosebazooka/aa-test/.github/workflows/provenance.yaml@refs/heads/main";

  final SigstoreBundle bundle = load();
  final KeylessRequirements requirements =
      KeylessRequirements.of(List.of(KeylessIdentity.exact(ISSUER, SUBJECT)));

  static SigstoreBundle load() {
    try (InputStream in =
        PublicGoodInteropTest.class.getResourceAsStream("/interop/public-good-dsse-bundle.json")) {
      return SigstoreBundle.parse(in.readAllBytes());
    } catch (IOException | Rejection e) {
      throw new IllegalStateException(e);
    }
  }

  KeylessCheck.Certified certified() throws Rejection {
    byte[] der = ((SigstoreBundle.Material.Certificate) bundle.material()).der();
    return KeylessCheck.certificate(Certificates.fromDer(der, "leaf"), requirements);
  }

  TlogCheck.Binding binding(KeylessCheck.Certified certified) throws Rejection {
    DsseEnvelope envelope = BundleVerifier.dsse(bundle);
    return new TlogCheck.Binding(
        RekorBody.DSSE,
        BundleVerifier.onlySignature(envelope),
        KeylessCheck.loggedAs(certified.leaf()),
        Digest.sha256(envelope.payload()).hex());
  }

  @Test
  void certificateChainsToPublicGoodFulcioWithValidSctAndGithubIdentity() throws Rejection {
    KeylessCheck.Certified certified = certified();

    assertThat(certified.signer()).isEqualTo(new Signer(SUBJECT, Optional.of(ISSUER)));
    assertThat(certified.cas())
        .extracting(TrustedRoot.CertificateAuthority::uri)
        .containsExactly("https://fulcio.sigstore.dev");
  }

  @Test
  void dsseSignatureVerifiesWithTheCertificateKey() throws Rejection {
    DsseEnvelope envelope = BundleVerifier.dsse(bundle);

    assertThat(
            KeylessCheck.signature(
                certified(), envelope.pae(), BundleVerifier.onlySignature(envelope), "DSSE PAE"))
        .isEqualTo(SignatureScheme.ECDSA_SHA256);
  }

  @Test
  void rekorEntryVerifiesBySetAndInclusionProofAndProvesTheSigningTime() throws Rejection {
    KeylessCheck.Certified certified = certified();

    TlogCheck.Outcome outcome =
        TlogCheck.check(bundle.tlogEntries(), binding(certified), TrustedRoot.publicGood());

    assertThat(outcome.verified()).hasSize(1);
    Instant integrated = Instant.ofEpochSecond(1732135425L);
    assertThat(outcome.verified().get(0).integratedTime()).contains(integrated);
    SigningTime.requireCertificateValidAt(
        List.of(new SigningTime.Proof(integrated, "test")), certified.leaf(), certified.cas());
  }

  @Test
  void aFlippedBitInTheRealSetIsDetected() throws Rejection {
    TlogEntry real = bundle.tlogEntries().get(0);
    byte[] set = real.signedEntryTimestamp().orElseThrow().clone();
    set[set.length - 1] ^= 1;
    TlogEntry forged =
        new TlogEntry(
            real.label(),
            real.logIndex(),
            real.logIdHex(),
            real.kindVersion(),
            real.integratedTime(),
            real.body(),
            Optional.of(set),
            Optional.empty());

    assertThatThrownBy(
            () -> TlogCheck.check(List.of(forged), binding(certified()), TrustedRoot.publicGood()))
        .hasMessageContaining("signed entry timestamp does not verify with the key of Rekor log");
  }

  @Test
  void theRealStatementIsProvenanceNotACosignSignature() {
    SigstoreBundle b = bundle;
    assertThatThrownBy(
            () -> BundleVerifier.checkStatement(BundleVerifier.dsse(b), Digest.sha256(new byte[0])))
        .hasMessageContaining("predicateType is \"https://slsa.dev/provenance/v1\"");
  }
}
