package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.FulcioLeafBuilder;
import dev.sigaudit.verify.testing.KeylessCandidateBuilder;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestCa;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keyless verification of both formats: the certificate, the identity, the signature. */
class KeylessVerifierTest {
  static final Digest IMAGE = Digests.of("image");
  static final Digest OTHER = Digests.of("other-image");
  static final String ISSUER = "https://accounts.example.com";
  static final String SUBJECT = "dev@example.com";

  /** Both signature formats, so that every rule is checked for each. */
  enum Format {
    LEGACY(KeylessCandidateBuilder::legacy, SignatureFormat.LEGACY_TAG),
    BUNDLE(KeylessCandidateBuilder::bundle, SignatureFormat.BUNDLE_REFERRER);

    final Function<KeylessCandidateBuilder, SignatureCandidate> build;
    final SignatureFormat format;

    Format(Function<KeylessCandidateBuilder, SignatureCandidate> build, SignatureFormat format) {
      this.build = build;
      this.format = format;
    }
  }

  final FakeSigstore sigstore = FakeSigstore.shared();
  final KeylessVerifier verifier = new KeylessVerifier();

  KeylessRequirements requirements(KeylessIdentity... identities) {
    return KeylessRequirements.of(List.of(identities), sigstore.trustedRoot());
  }

  KeylessRequirements defaults() {
    return requirements(KeylessIdentity.exact(ISSUER, SUBJECT));
  }

  KeylessCandidateBuilder signature() {
    return KeylessCandidateBuilder.forImage(IMAGE, sigstore);
  }

  FulcioLeafBuilder leaf() {
    return sigstore.leaf();
  }

  Verdict verify(SignatureCandidate candidate, KeylessRequirements req) {
    return verifier.verify(IMAGE, List.of(candidate), req);
  }

  /** The single rejection reason, without the "format manifest: " prefix. */
  String reason(SignatureCandidate candidate, KeylessRequirements req) {
    Verdict verdict = verify(candidate, req);
    assertThat(verdict).isInstanceOf(Verdict.Rejected.class);
    List<String> reasons = ((Verdict.Rejected) verdict).reasons();
    assertThat(reasons).hasSize(1);
    String prefix = Candidates.name(candidate) + ": ";
    assertThat(reasons.get(0)).startsWith(prefix);
    return reasons.get(0).substring(prefix.length());
  }

  static Verdict.Verified verified(Format format, String subject, String issuer) {
    return new Verdict.Verified(format.format, new Signer(subject, Optional.of(issuer)), IMAGE);
  }

  // --- valid signatures -----------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Format.class)
  void validKeylessSignatureIsVerifiedWithSanAndIssuer(Format format) {
    assertThat(verify(format.build.apply(signature()), defaults()))
        .isEqualTo(verified(format, SUBJECT, ISSUER));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void uriSubjectOfAWorkflowIsReportedAsSigner(Format format) {
    String workflow = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.0.0";
    String actions = "https://token.actions.githubusercontent.com";
    var candidate =
        format.build.apply(signature().leaf(leaf().uri(workflow).issuer(actions).build()));

    assertThat(verify(candidate, requirements(KeylessIdentity.exact(actions, workflow))))
        .isEqualTo(verified(format, workflow, actions));
  }

  @Test
  void certificateWithOnlyTheDeprecatedIssuerExtensionIsRead() {
    var candidate = signature().leaf(leaf().withoutIssuerV2().build()).legacy();

    assertThat(verify(candidate, defaults())).isEqualTo(verified(Format.LEGACY, SUBJECT, ISSUER));
  }

  @Test
  void anyOfSeveralIdentitiesMayMatch() {
    var req =
        requirements(
            KeylessIdentity.exact(ISSUER, "someone-else@example.com"),
            KeylessIdentity.exact(ISSUER, SUBJECT));

    assertThat(verify(signature().bundle(), req)).isInstanceOf(Verdict.Verified.class);
  }

  // --- identity ---------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Format.class)
  void wrongSubjectIsRejectedNamingWhatWasFoundAndExpected(Format format) {
    var req = requirements(KeylessIdentity.exact(ISSUER, "release@example.com"));

    assertThat(reason(format.build.apply(signature()), req))
        .isEqualTo(
            "certificate identity not trusted: got subject email \"dev@example.com\" with issuer"
                + " \"https://accounts.example.com\", expected issuer"
                + " \"https://accounts.example.com\" and subject \"release@example.com\"");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void wrongIssuerIsRejected(Format format) {
    var candidate =
        format.build.apply(signature().leaf(leaf().issuer("https://evil.example").build()));

    assertThat(reason(candidate, defaults()))
        .isEqualTo(
            "certificate identity not trusted: got subject email \"dev@example.com\" with issuer"
                + " \"https://evil.example\", expected issuer \"https://accounts.example.com\" and"
                + " subject \"dev@example.com\"");
  }

  @Test
  void issuerExtensionsThatDisagreeAreRejected() {
    var candidate =
        signature().leaf(leaf().issuer(ISSUER).issuerV1("https://evil.example").build()).legacy();

    assertThat(reason(candidate, defaults()))
        .isEqualTo(
            "certificate issuer extensions disagree: 1.3.6.1.4.1.57264.1.8 says"
                + " \"https://accounts.example.com\", 1.3.6.1.4.1.57264.1.1 says"
                + " \"https://evil.example\"");
  }

  /**
   * cosign, Kyverno and policy-controller all use Go's unanchored {@code MatchString}; sigaudit
   * reports what they decide, so this superstring matches (see {@link IdentityMatch.Regexp}).
   */
  @ParameterizedTest
  @EnumSource(Format.class)
  void unanchoredRegexpMatchesASuperstringAsCosignDoes(Format format) {
    String attacker = "mallory@example.com.attacker.test";
    var candidate = format.build.apply(signature().leaf(leaf().email(attacker).build()));
    var req =
        requirements(
            new KeylessIdentity(
                IdentityMatch.exact(ISSUER), IdentityMatch.regexp(".*@example\\.com")));

    assertThat(verify(candidate, req)).isEqualTo(verified(format, attacker, ISSUER));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void regexpThatMatchesOnlyUnanchoredIsRejectedOnceAnchored(Format format) {
    var candidate =
        format.build.apply(
            signature().leaf(leaf().email("mallory@example.com.attacker.test").build()));
    var req =
        requirements(
            new KeylessIdentity(
                IdentityMatch.regexp("^https://accounts\\.example\\.com$"),
                IdentityMatch.regexp("^.*@example\\.com$")));

    assertThat(reason(candidate, req))
        .isEqualTo(
            "certificate identity not trusted: got subject email"
                + " \"mallory@example.com.attacker.test\" with issuer"
                + " \"https://accounts.example.com\", expected issuer regexp"
                + " \"^https://accounts\\\\.example\\\\.com$\" and subject regexp"
                + " \"^.*@example\\\\.com$\"");
  }

  @Test
  void kyvernoWildcardSubjectMatchesTheWholeValue() {
    var candidate =
        signature()
            .leaf(
                leaf()
                    .uri("https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main")
                    .build())
            .bundle();
    var matching =
        requirements(
            new KeylessIdentity(
                IdentityMatch.exact(ISSUER), IdentityMatch.wildcard("https://github.com/acme/*")));
    var notMatching =
        requirements(
            new KeylessIdentity(
                IdentityMatch.exact(ISSUER), IdentityMatch.wildcard("https://github.com/acme")));

    assertThat(verify(candidate, matching)).isInstanceOf(Verdict.Verified.class);
    assertThat(reason(candidate, notMatching))
        .startsWith("certificate identity not trusted")
        .contains("expected issuer \"https://accounts.example.com\" and subject wildcard");
  }

  // --- certificate ----------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Format.class)
  void certificateFromAnUnknownCaDoesNotChain(Format format) {
    KeyPair rogueKeys = TestCa.ecKeyPair("secp384r1");
    X509Certificate rogue =
        TestCa.root(
            "O=sigaudit-test,CN=fulcio-intermediate",
            rogueKeys,
            FakeSigstore.CA_FROM,
            FakeSigstore.CA_TO);
    var candidate = format.build.apply(signature().leaf(leaf().issuedBy(rogue, rogueKeys).build()));

    assertThat(reason(candidate, defaults()))
        .startsWith(
            "certificate (issuer CN=fulcio-intermediate,O=sigaudit-test) does not chain to a Fulcio"
                + " CA of the trusted root: https://fulcio.test CN=fulcio-intermediate,O=sigaudit-test: ")
        .contains("signature check failed");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void tamperedCertificateDoesNotChain(Format format) {
    // Same length, other identity: only the CA's signature over the certificate can tell.
    var candidate =
        format.build.apply(
            signature()
                .tamperCertificate(der -> replace(der, "dev@example.com", "eve@example.com")));

    assertThat(reason(candidate, requirements(KeylessIdentity.exact(ISSUER, "eve@example.com"))))
        .startsWith("certificate (issuer CN=fulcio-intermediate,O=sigaudit-test) does not chain")
        .contains("signature check failed");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void anotherValidCertificateThanTheSignersIsRejectedBySignature(Format format) {
    var candidate = format.build.apply(signature().shippedCertificate(leaf().build()));
    String what = format == Format.LEGACY ? "payload" : "DSSE PAE";

    assertThat(reason(candidate, defaults()))
        .isEqualTo(
            "signature over the "
                + what
                + " does not verify with the certificate's key (ECDSA"
                + " P-256; tried SHA256withECDSA)");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void certificateWithoutCodeSigningUsageIsRejected(Format format) {
    var candidate =
        format.build.apply(
            signature().leaf(leaf().eku(KeyPurposeId.id_kp_emailProtection).build()));

    assertThat(reason(candidate, defaults()))
        .isEqualTo(
            "certificate extended key usage is [1.3.6.1.5.5.7.3.4], not code signing"
                + " (1.3.6.1.5.5.7.3.3)");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void missingSctIsRejected(Format format) {
    var candidate =
        format.build.apply(signature().leaf(leaf().sct(FulcioLeafBuilder.Sct.NONE).build()));

    assertThat(reason(candidate, defaults()))
        .isEqualTo(
            "certificate has no embedded SCT (1.3.6.1.4.1.11129.2.4.2): it was not proven to be in"
                + " a certificate-transparency log");
  }

  @Test
  void missingSctIsAcceptedWhenThePolicyIgnoresScts() {
    var candidate = signature().leaf(leaf().sct(FulcioLeafBuilder.Sct.NONE).build()).bundle();

    assertThat(verify(candidate, defaults().withSct(SctPolicy.IGNORE)))
        .isEqualTo(verified(Format.BUNDLE, SUBJECT, ISSUER));
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void sctByAnUnknownLogIsRejected(Format format) {
    var candidate =
        format.build.apply(signature().leaf(leaf().sct(FulcioLeafBuilder.Sct.UNKNOWN_LOG).build()));

    assertThat(reason(candidate, defaults()))
        .startsWith("no valid SCT from a CT log of the trusted root: SCT by unknown CT log ");
  }

  @Test
  void sctWithABadSignatureIsRejected() {
    var candidate =
        signature().leaf(leaf().sct(FulcioLeafBuilder.Sct.BAD_SIGNATURE).build()).legacy();

    assertThat(reason(candidate, defaults()))
        .isEqualTo(
            "no valid SCT from a CT log of the trusted root: SCT of https://ctfe.test does not"
                + " verify over the precertificate");
  }

  @Test
  void sctBeforeTheCtLogsValidityIsRejected() {
    var root =
        sigstore.trustedRootJson().ctlogValidFrom(FakeSigstore.at(Duration.ofDays(1))).parse();
    var req = KeylessRequirements.of(List.of(KeylessIdentity.exact(ISSUER, SUBJECT)), root);

    assertThat(reason(signature().bundle(), req))
        .startsWith("no valid SCT from a CT log of the trusted root: SCT of https://ctfe.test at ")
        .contains("is outside its validity [2025-03-02T12:00:00Z, open]");
  }

  // --- signature and payload ------------------------------------------------------------------

  @Test
  void tamperedLegacyPayloadIsRejected() {
    byte[] other = "{\"critical\":{}}".getBytes(StandardCharsets.UTF_8);

    assertThat(reason(signature().tamperedPayload(other).legacy(), defaults()))
        .isEqualTo(
            "signature over the payload does not verify with the certificate's key (ECDSA P-256;"
                + " tried SHA256withECDSA)");
  }

  @Test
  void tamperedBundlePayloadIsRejected() {
    byte[] other =
        "{\"_type\":\"https://in-toto.io/Statement/v1\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(reason(signature().tamperedPayload(other).bundle(), defaults()))
        .isEqualTo(
            "signature over the DSSE PAE does not verify with the certificate's key (ECDSA P-256;"
                + " tried SHA256withECDSA)");
  }

  @Test
  void copiedLegacySignatureOfAnotherImageIsRejected() {
    var copied = KeylessCandidateBuilder.forImage(OTHER, sigstore).legacy();

    assertThat(reason(copied, defaults()))
        .isEqualTo("payload is for " + OTHER + ", not " + IMAGE + " (copied signature?)");
  }

  @Test
  void copiedBundleOfAnotherImageIsRejected() {
    var copied = KeylessCandidateBuilder.forImage(OTHER, sigstore).bundle();

    assertThat(reason(copied, defaults()))
        .isEqualTo("statement subject is \"" + OTHER + "\", not " + IMAGE + " (copied signature?)");
  }

  @Test
  void keyBasedSignatureIsNotKeyless() {
    var keyed = LegacySignatureBuilder.forImage(IMAGE).signedBy(TestKeys.p256()).build();

    assertThat(reason(keyed, defaults()))
        .isEqualTo("no dev.sigstore.cosign/certificate annotation: signed with a key, not keyless");
  }

  @Test
  void garbageCertificateAnnotationIsAReasonNotAnException() {
    var candidate = signature().tamperCertificate(der -> new byte[] {1, 2, 3}).legacy();

    assertThat(reason(candidate, defaults()))
        .startsWith("certificate annotation PEM block 1 is not an X.509 certificate");
  }

  // --- candidates -----------------------------------------------------------------------------

  @Test
  void noCandidateIsUnsigned() {
    assertThat(verifier.verify(IMAGE, List.of(), defaults())).isEqualTo(new Verdict.Unsigned());
  }

  @Test
  void firstVerifiedCandidateWinsAndOtherwiseEveryReasonIsListed() {
    var wrong = signature().leaf(leaf().issuer("https://evil.example").build()).legacy();
    var right = signature().bundle();
    var copied = KeylessCandidateBuilder.forImage(OTHER, sigstore).bundle();

    assertThat(verifier.verify(IMAGE, List.of(wrong, right), defaults()))
        .isEqualTo(verified(Format.BUNDLE, SUBJECT, ISSUER));
    Verdict rejected = verifier.verify(IMAGE, List.of(wrong, copied), defaults());
    assertThat(rejected).isInstanceOf(Verdict.Rejected.class);
    assertThat(((Verdict.Rejected) rejected).reasons())
        .satisfiesExactly(
            r ->
                assertThat(r)
                    .startsWith("legacy-sig ")
                    .contains("certificate identity not trusted"),
            r -> assertThat(r).startsWith("bundle-referrer ").contains("(copied signature?)"));
  }

  static byte[] replace(byte[] der, String from, String to) {
    String text = new String(der, StandardCharsets.ISO_8859_1);
    int at = text.indexOf(from);
    assertThat(at).isNotNegative();
    byte[] out = der.clone();
    byte[] replacement = to.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(replacement, 0, out, at, replacement.length);
    return out;
  }
}
