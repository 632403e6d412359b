package dev.sigaudit.verify;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

/**
 * Verifies <a href="https://www.rfc-editor.org/rfc/rfc3161">RFC 3161</a> timestamps over a
 * signature against the timestamping authorities of the trusted root, as sigstore's {@code
 * timestamp-authority pkg/verification VerifyTimestampResponse} does: the signer certificate chains
 * to a trusted TSA at the timestamp's time, has the time-stamping EKU (critical, alone), signed the
 * token, the TSA's {@code validFor} window contains the time, and the message imprint is the hash
 * (SHA-256/384/512; SHA-1 refused) of the signature bytes.
 *
 * <p>BouncyCastle parses the CMS structure and checks the signer info (using the JDK's own
 * algorithms; no provider is registered). Certificate paths use the trusted root's certificates
 * only; certificates embedded in the token are used to find the signer, never as intermediates.
 */
final class Rfc3161Check {
  /** sigstore-go's limit ({@code internal/limits MaxAllowedTimestamps}). */
  static final int MAX_TIMESTAMPS = 32;

  static final int MAX_BYTES = 64 * 1024;

  private static final Map<String, String> IMPRINT_HASHES =
      Map.of(
          NISTObjectIdentifiers.id_sha256.getId(), "SHA-256",
          NISTObjectIdentifiers.id_sha384.getId(), "SHA-384",
          NISTObjectIdentifiers.id_sha512.getId(), "SHA-512");

  private Rfc3161Check() {}

  /** A verified timestamp. */
  record Verified(Instant time, String tsa) {}

  /**
   * @param verified timestamps that verified
   * @param skipped why other timestamps were not used (signer not from a trusted TSA)
   */
  record Outcome(List<Verified> verified, List<String> skipped) {}

  static Outcome check(List<byte[]> timestamps, byte[] signature, TrustedRoot root)
      throws Rejection {
    if (timestamps.size() > MAX_TIMESTAMPS) {
      throw new Rejection(timestamps.size() + " RFC 3161 timestamps, more than " + MAX_TIMESTAMPS);
    }
    List<Verified> verified = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < timestamps.size(); i++) {
      String what = "RFC 3161 timestamp " + (i + 1);
      Optional<Verified> one = verifyOne(timestamps.get(i), signature, root, what, skipped);
      one.ifPresent(verified::add);
    }
    return new Outcome(List.copyOf(verified), List.copyOf(skipped));
  }

  private static Optional<Verified> verifyOne(
      byte[] der, byte[] signature, TrustedRoot root, String what, List<String> skipped)
      throws Rejection {
    TimeStampToken token = parse(der, what);
    TimeStampTokenInfo info = token.getTimeStampInfo();
    Instant time = info.getGenTime().toInstant();
    List<String> tried = new ArrayList<>();
    for (TrustedRoot.CertificateAuthority tsa : root.timestampAuthorities()) {
      Optional<X509Certificate> signer = signerFor(token, tsa, what);
      if (signer.isEmpty()) {
        tried.add(tsa.uri() + ": signer certificate not found");
        continue;
      }
      List<X509Certificate> path = new ArrayList<>();
      path.add(signer.get());
      path.addAll(tsaIntermediates(tsa));
      Optional<String> pathProblem = CertificatePaths.validate(path, tsa.root(), time);
      if (pathProblem.isPresent()) {
        tried.add(tsa.uri() + ": " + pathProblem.get());
        continue;
      }
      // From here on the token claims to be from a TSA we trust: any failure is a forgery.
      verifySignature(token, signer.get(), what, tsa);
      checkImprint(info, signature, what);
      if (!tsa.validFor().contains(time)) {
        throw new Rejection(
            what
                + " time "
                + time
                + " is outside the validity "
                + tsa.validFor()
                + " of TSA "
                + tsa.uri()
                + " in the trusted root");
      }
      return Optional.of(new Verified(time, tsa.uri()));
    }
    skipped.add(
        what
            + " is not from a timestamping authority of the trusted root"
            + (tried.isEmpty() ? " (it has none)" : " (" + String.join("; ", tried) + ")"));
    return Optional.empty();
  }

  private static TimeStampToken parse(byte[] der, String what) throws Rejection {
    if (der.length > MAX_BYTES) {
      throw new Rejection(what + " is " + der.length + " bytes, too large");
    }
    try {
      TimeStampResponse response = new TimeStampResponse(der);
      TimeStampToken token = response.getTimeStampToken();
      if (token == null) {
        throw new Rejection(what + " has status " + response.getStatus() + " and no token");
      }
      return token;
    } catch (TSPException | IOException | RuntimeException notAResponse) {
      // A bare TimeStampToken (CMS ContentInfo) is accepted too: the status wrapper is unsigned.
      try {
        return new TimeStampToken(ContentInfo.getInstance(der));
      } catch (TSPException | IOException | RuntimeException e) {
        throw new Rejection(what + " is not a DER TimeStampResp or TimeStampToken");
      }
    }
  }

  /**
   * The certificate that signed the token, for this TSA: the TSA's own certificate from the trusted
   * root when it lists one (an embedded certificate must then be that one), otherwise the embedded
   * certificate the signer info names.
   */
  private static Optional<X509Certificate> signerFor(
      TimeStampToken token, TrustedRoot.CertificateAuthority tsa, String what) throws Rejection {
    SignerId sid = token.getSID();
    Optional<X509Certificate> trustedLeaf =
        tsa.chain().get(0).getBasicConstraints() < 0
            ? Optional.of(tsa.chain().get(0))
            : Optional.empty();
    if (trustedLeaf.isPresent()) {
      return holder(trustedLeaf.get()).filter(sid::match).map(h -> trustedLeaf.get());
    }
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> embedded = token.getCertificates().getMatches(sid);
    for (X509CertificateHolder h : embedded) {
      try {
        return Optional.of(new JcaX509CertificateConverter().getCertificate(h));
      } catch (CertificateException e) {
        throw new Rejection(what + " embeds an unreadable signer certificate");
      }
    }
    return Optional.empty();
  }

  private static Optional<X509CertificateHolder> holder(X509Certificate cert) {
    try {
      return Optional.of(new JcaX509CertificateHolder(cert));
    } catch (CertificateException e) {
      return Optional.empty();
    }
  }

  private static List<X509Certificate> tsaIntermediates(TrustedRoot.CertificateAuthority tsa) {
    List<X509Certificate> chain = tsa.intermediates();
    return chain.isEmpty() || chain.get(0).getBasicConstraints() >= 0
        ? chain
        : chain.subList(1, chain.size()); // first one is the TSA's own certificate
  }

  private static void verifySignature(
      TimeStampToken token,
      X509Certificate signer,
      String what,
      TrustedRoot.CertificateAuthority tsa)
      throws Rejection {
    try {
      // Checks the CMS signature, the ESS signing-certificate binding, the certificate's validity
      // at genTime and its critical, sole time-stamping EKU.
      token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
    } catch (TSPException | OperatorCreationException | RuntimeException e) {
      throw new Rejection(
          what
              + " does not verify with the certificate of TSA "
              + tsa.uri()
              + " ("
              + Texts.clip(e.getMessage())
              + ")");
    }
  }

  private static void checkImprint(TimeStampTokenInfo info, byte[] signature, String what)
      throws Rejection {
    String oid = info.getMessageImprintAlgOID().getId();
    String jca = IMPRINT_HASHES.get(oid);
    if (jca == null) {
      throw new Rejection(what + " hashes with " + oid + "; only SHA-256/384/512 are accepted");
    }
    byte[] expected;
    try {
      expected = MessageDigest.getInstance(jca).digest(signature);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + jca, e);
    }
    if (!MessageDigest.isEqual(expected, info.getMessageImprintDigest())) {
      throw new Rejection(what + " is over other data than this signature");
    }
  }
}
