package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.TrustedKey;
import java.util.Objects;

/**
 * Verifies a cosign legacy signature (one layer of the {@code sha256-<hex>.sig} manifest, see
 * {@code docs/formats.md} §1 and the <a
 * href="https://github.com/sigstore/cosign/blob/main/specs/SIGNATURE_SPEC.md">cosign signature
 * spec</a>) with a public key.
 *
 * <p>Two independent checks must both pass: the signature verifies over the exact payload bytes,
 * and the payload names the digest being verified. The second one matters as much as the first: a
 * signature is portable, and anyone can copy another image's valid {@code .sig} layer next to this
 * image; only the digest inside the signed payload ties it to one image.
 *
 * <p>A certificate annotation, if any, is ignored: with a key, {@code cosign verify --key} checks
 * the signature against the key and nothing else. Rekor bundles and timestamps are not checked here
 * (this core is offline and key-based).
 */
final class LegacySignatureVerifier {
  /** An RSA-8192 signature is 1 KiB; anything far beyond is not a signature. */
  static final int MAX_SIGNATURE_CHARS = 16 * 1024;

  /** Checks {@code candidate} for {@code digest} with {@code key}. Never throws on bad data. */
  public CandidateResult verify(
      SignatureCandidate.Legacy candidate, Digest digest, TrustedKey key) {
    Objects.requireNonNull(candidate);
    Objects.requireNonNull(digest);
    Objects.requireNonNull(key);
    try {
      return check(candidate, digest, key);
    } catch (Rejection r) {
      return new CandidateResult.Failed(r.getMessage(), r.kind());
    }
  }

  private static CandidateResult check(
      SignatureCandidate.Legacy candidate, Digest digest, TrustedKey key) throws Rejection {
    byte[] payload = candidate.payload();
    if (payload.length > SimpleSigningPayload.MAX_BYTES) {
      throw new Rejection(
          "payload is "
              + payload.length
              + " bytes, more than the "
              + SimpleSigningPayload.MAX_BYTES
              + " allowed");
    }
    String signatureText = candidate.signatureBase64();
    if (signatureText.length() > MAX_SIGNATURE_CHARS) {
      throw new Rejection(
          "signature annotation is " + signatureText.length() + " characters, too long");
    }
    byte[] signature = Encodings.standardBase64(signatureText, "signature annotation");

    // The signature covers the layer bytes as stored; never a re-serialisation of the JSON.
    SignatureScheme scheme = KeySignatures.verify(key, payload, signature, "payload");

    SimpleSigningPayload signed = SimpleSigningPayload.parse(payload);
    if (!signed.manifestDigest().equals(digest)) {
      throw new Rejection(
          "payload is for " + signed.manifestDigest() + ", not " + digest + " (copied signature?)");
    }
    return new CandidateResult.Passed(digest, scheme, signed.dockerReference());
  }
}
