package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.TrustedKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a cosign v3 signature: a <a
 * href="https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_bundle.proto">Sigstore
 * bundle</a> holding a DSSE envelope over an in-toto statement whose subject is the image ({@code
 * docs/formats.md} §2, cosign {@code specs/BUNDLE_SPEC.md}), with a public key.
 *
 * <p>Checks, in order: media type; DSSE content (cosign never signs images with a bare message
 * signature); key-based material; {@code payloadType}; exactly one signature, which verifies over
 * the PAE; then, only for signed bytes, the statement: {@code _type}, {@code predicateType} and a
 * subject equal to the digest. Cosign's own {@code verify} accepts any attested predicate for an
 * image; requiring the cosign signing predicate is deliberate, so that an SBOM or provenance
 * attestation is not mistaken for a signature — unless the key is read as an engine that does
 * accept them reads it ({@link dev.sigaudit.model.KeyAcceptance#attestationsAsSignatures()}:
 * Kyverno's {@code SigstoreBundle} rules and ImageValidatingPolicies), and then the verdict carries
 * a note saying so.
 *
 * <p>Transparency-log entries are only checked when a policy requires them ({@link
 * Verifier#verify}); keyless bundles are {@link KeylessVerifier}'s. The {@code publicKey.hint} is
 * never used to decide anything; it only enriches a failure message.
 */
final class BundleVerifier {
  static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
  static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";

  /** Checks {@code candidate} for {@code digest} with {@code key}. Never throws on bad data. */
  public CandidateResult verify(
      SignatureCandidate.Bundle candidate, Digest digest, TrustedKey key) {
    Objects.requireNonNull(candidate);
    Objects.requireNonNull(digest);
    Objects.requireNonNull(key);
    try {
      return check(SigstoreBundle.parse(candidate.bundleJson()), digest, key);
    } catch (Rejection r) {
      return new CandidateResult.Failed(r.getMessage(), r.kind());
    }
  }

  private static CandidateResult check(SigstoreBundle bundle, Digest digest, TrustedKey key)
      throws Rejection {
    DsseEnvelope envelope = dsse(bundle);
    Optional<String> hint =
        switch (bundle.material()) {
          case SigstoreBundle.Material.PublicKey pk -> pk.hint();
          // Certificates are KeylessVerifier's business; with a key, say what was found.
          case SigstoreBundle.Material.Certificate c ->
              throw new Rejection(
                  "bundle is keyless (it has a certificate), not signed with key "
                      + key.fingerprint());
          case SigstoreBundle.Material.CertificateChain c ->
              throw new Rejection(
                  "bundle is keyless (it has a certificate chain), not signed with key "
                      + key.fingerprint());
        };
    SignatureScheme scheme;
    try {
      scheme = KeySignatures.verify(key, envelope.pae(), onlySignature(envelope), "DSSE PAE");
    } catch (Rejection r) {
      throw new Rejection(r.getMessage() + hintNote(hint, key));
    }
    Optional<String> predicate =
        checkStatement(envelope, digest, key.acceptance().attestationsAsSignatures());
    return new CandidateResult.Passed(
        digest,
        scheme,
        Optional.empty(),
        predicate
            .map(
                p ->
                    List.of(
                        "accepted an attestation (predicateType "
                            + Texts.quote(p)
                            + ") as a signature, as the policy's engine does; sigaudit's own"
                            + " policies require "
                            + Texts.quote(COSIGN_SIGN_PREDICATE)))
            .orElse(List.of()));
  }

  /** The bundle's DSSE envelope; cosign never signs images with a bare message signature. */
  static DsseEnvelope dsse(SigstoreBundle bundle) throws Rejection {
    return switch (bundle.content()) {
      case SigstoreBundle.Content.Dsse dsse -> dsse.envelope();
      case SigstoreBundle.Content.MessageSignature m ->
          throw new Rejection(
              "unsupported bundle content: messageSignature (cosign signs images with a"
                  + " dsseEnvelope)");
    };
  }

  /** Checks the envelope's type and returns its one signature (before it is verified). */
  static byte[] onlySignature(DsseEnvelope envelope) throws Rejection {
    if (!IN_TOTO_PAYLOAD_TYPE.equals(envelope.payloadType())) {
      throw new Rejection(
          "dsseEnvelope payloadType is "
              + Texts.quote(envelope.payloadType())
              + ", not "
              + Texts.quote(IN_TOTO_PAYLOAD_TYPE));
    }
    // DSSE allows several signatures, but a Sigstore bundle must carry exactly one
    // (sigstore-go pkg/verify/signature.go verifyEnvelope); a second one is not "extra proof".
    if (envelope.signatures().size() != 1) {
      throw new Rejection(
          "dsseEnvelope has "
              + envelope.signatures().size()
              + " signatures; a Sigstore bundle carries exactly one");
    }
    return envelope.signatures().get(0);
  }

  /**
   * Checks the (signature-verified) statement: the cosign signing predicate, and a subject equal to
   * {@code digest}.
   */
  static void checkStatement(DsseEnvelope envelope, Digest digest) throws Rejection {
    checkStatement(envelope, digest, false);
  }

  /**
   * As {@link #checkStatement(DsseEnvelope, Digest)}; with {@code anyPredicate} (Kyverno's reading)
   * a statement of another predicate type is accepted too, and its type returned so the verdict can
   * say so.
   */
  static Optional<String> checkStatement(DsseEnvelope envelope, Digest digest, boolean anyPredicate)
      throws Rejection {
    InTotoStatement statement = InTotoStatement.parse(envelope.payload(), SigstoreBundle.MAX_BYTES);
    boolean signing = COSIGN_SIGN_PREDICATE.equals(statement.predicateType());
    if (!signing && !anyPredicate) {
      throw new Rejection(
          "statement predicateType is "
              + Texts.quote(statement.predicateType())
              + ", not "
              + Texts.quote(COSIGN_SIGN_PREDICATE)
              + " (an attestation, not a signature)");
    }
    if (!statement.hasSubject(digest)) {
      throw new Rejection(
          "statement subject is "
              + statement.describeSubjects()
              + ", not "
              + digest
              + " (copied signature?)");
    }
    return signing ? Optional.empty() : Optional.of(statement.predicateType());
  }

  // Diagnostics only: tells the reader the bundle was probably made with another key.
  private static String hintNote(Optional<String> hint, TrustedKey key) {
    String ours = PublicKeys.bundleHint(key.key());
    return hint.filter(h -> !h.equals(ours))
        .map(h -> "; the bundle's key hint is " + Texts.quote(h) + ", this key's is " + ours)
        .orElse("");
  }
}
