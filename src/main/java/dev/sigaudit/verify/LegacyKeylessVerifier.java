package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Signer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Keyless verification of a cosign legacy signature: a {@code .sig} layer whose annotations carry
 * the Fulcio leaf ({@code dev.sigstore.cosign/certificate}), optionally a chain ({@code …/chain},
 * not trusted: paths are built from the trusted root only), the Rekor SET ({@code …/bundle}) and an
 * RFC 3161 timestamp ({@code …/rfc3161timestamp}); {@code docs/formats.md} §1.
 *
 * <p>The tlog entry must be the {@code hashedrekord} cosign uploads: this signature, this
 * certificate, and the SHA-256 of the exact payload bytes (cosign {@code VerifyBundle}: {@code
 * compareSigs}, {@code comparePublicKey}, {@code bundleHash}).
 */
final class LegacyKeylessVerifier {
  private LegacyKeylessVerifier() {}

  static Signer verify(SignatureCandidate.Legacy candidate, Digest digest, KeylessRequirements req)
      throws Rejection {
    String pem =
        candidate
            .certificatePem()
            .orElseThrow(
                () ->
                    new Rejection(
                        "no dev.sigstore.cosign/certificate annotation: signed with a key, not"
                            + " keyless"));
    List<X509Certificate> certs = Certificates.fromPem(pem, "certificate annotation");
    if (certs.size() != 1) {
      throw new Rejection(
          "certificate annotation holds " + certs.size() + " certificates, not one");
    }
    KeylessCheck.Certified certified = KeylessCheck.certificate(certs.get(0), req);

    byte[] payload = candidate.payload();
    if (payload.length > SimpleSigningPayload.MAX_BYTES) {
      throw new Rejection("payload is " + payload.length + " bytes, too large");
    }
    if (candidate.signatureBase64().length() > LegacySignatureVerifier.MAX_SIGNATURE_CHARS) {
      throw new Rejection("signature annotation is too long");
    }
    byte[] signature =
        Encodings.standardBase64(candidate.signatureBase64(), "signature annotation");
    // The signature covers the layer bytes as stored; never a re-serialisation of the JSON.
    KeylessCheck.signature(certified, payload, signature, "payload");

    SimpleSigningPayload signed = SimpleSigningPayload.parse(payload);
    if (!signed.manifestDigest().equals(digest)) {
      throw new Rejection(
          "payload is for " + signed.manifestDigest() + ", not " + digest + " (copied signature?)");
    }

    KeylessCheck.signingTime(
        certified, evidence(candidate, certified, payload, signature, req), req);
    return certified.signer();
  }

  private static SigningTime.Evidence evidence(
      SignatureCandidate.Legacy candidate,
      KeylessCheck.Certified certified,
      byte[] payload,
      byte[] signature,
      KeylessRequirements req)
      throws Rejection {
    List<TlogEntry> entries = List.of();
    if (req.tlog() == TlogPolicy.REQUIRE && candidate.rekorBundle().isPresent()) {
      entries = List.of(TlogEntries.fromLegacyAnnotation(candidate.rekorBundle().get()));
    }
    TlogCheck.Binding binding =
        new TlogCheck.Binding(
            RekorBody.HASHEDREKORD,
            signature,
            KeylessCheck.loggedAs(certified.leaf()),
            Digest.sha256(payload).hex());
    return new SigningTime.Evidence(
        entries, timestamps(candidate.rfc3161Timestamp()), binding, signature);
  }

  /** {@code {"SignedRFC3161Timestamp":"<base64 DER TimeStampResp>"}}. */
  static List<byte[]> timestamps(Optional<String> annotation) throws Rejection {
    if (annotation.isEmpty()) {
      return List.of();
    }
    String what = "dev.sigstore.cosign/rfc3161timestamp annotation";
    JsonNode root =
        StrictJson.parseObject(
            annotation.get().getBytes(StandardCharsets.UTF_8), 2 * Rfc3161Check.MAX_BYTES, what);
    return List.of(
        Encodings.standardBase64(
            StrictJson.text(root, "SignedRFC3161Timestamp", what + " SignedRFC3161Timestamp"),
            what + " SignedRFC3161Timestamp"));
  }
}
