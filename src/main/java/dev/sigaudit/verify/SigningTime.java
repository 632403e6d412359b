package dev.sigaudit.verify;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves when a keyless signature was made, and that the certificate was valid then.
 *
 * <p>A Fulcio certificate is valid for about ten minutes, so checking it against today's clock
 * would reject every real signature, and not checking times at all would accept a signature made
 * with a leaked key long after the certificate expired. Sigstore's answer (the "hybrid model" of
 * the Sigstore client spec) is signed evidence of the signing time: the integrated time of a Rekor
 * entry whose signed entry timestamp verifies, or an RFC 3161 timestamp over the signature. Every
 * such time must lie within the leaf's validity, within the validity of the CA certificates, and
 * within the CA's {@code validFor} window in the trusted root (sigstore-go {@code
 * VerifyLeafCertificate} at each verified timestamp; cosign {@code CheckExpiry}).
 */
final class SigningTime {
  private SigningTime() {}

  /** A proven signing time and where the proof came from, for messages. */
  record Proof(Instant time, String source) {}

  /**
   * What the signature carries as evidence.
   *
   * @param tlogEntries the Rekor entries (parsed lazily by the caller only when needed)
   * @param timestamps the RFC 3161 timestamps
   * @param binding what a tlog entry must log
   * @param signature the signature bytes timestamps are over
   */
  record Evidence(
      List<TlogEntry> tlogEntries,
      List<byte[]> timestamps,
      TlogCheck.Binding binding,
      byte[] signature) {}

  /** The proven signing times, after applying the requirements' tlog and timestamp policies. */
  static List<Proof> prove(Evidence evidence, KeylessRequirements req) throws Rejection {
    List<Proof> proofs = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (req.tlog() == TlogPolicy.REQUIRE) {
      TlogCheck.Outcome tlog =
          TlogCheck.check(evidence.tlogEntries(), evidence.binding(), req.trustedRoot());
      if (tlog.verified().isEmpty()) {
        throw new Rejection(
            "no verified transparency-log entry ("
                + (evidence.tlogEntries().isEmpty()
                    ? "the signature has none"
                    : String.join("; ", tlog.skipped()))
                + "); the policy requires one");
      }
      for (TlogCheck.Verified v : tlog.verified()) {
        if (v.integratedTime().isPresent()) {
          proofs.add(new Proof(v.integratedTime().get(), "integrated time of " + v.describe()));
        } else {
          notes.add(v.describe() + " has an inclusion proof but no signed entry timestamp");
        }
      }
    } else {
      notes.add("transparency-log entries are ignored by policy");
    }
    Rfc3161Check.Outcome tsa =
        Rfc3161Check.check(evidence.timestamps(), evidence.signature(), req.trustedRoot());
    for (Rfc3161Check.Verified v : tsa.verified()) {
      proofs.add(new Proof(v.time(), "RFC 3161 timestamp of " + v.tsa()));
    }
    notes.addAll(tsa.skipped());
    if (req.timestamp() == TimestampPolicy.REQUIRE && tsa.verified().isEmpty()) {
      throw new Rejection(
          "no verified RFC 3161 timestamp ("
              + (evidence.timestamps().isEmpty()
                  ? "the signature has none"
                  : String.join("; ", tsa.skipped()))
              + "); the policy requires one");
    }
    if (proofs.isEmpty()) {
      if (evidence.timestamps().isEmpty()) {
        notes.add("no RFC 3161 timestamp");
      }
      throw new Rejection(
          "no trusted signing time ("
              + String.join("; ", notes)
              + "): a keyless certificate is"
              + " only valid for minutes, so when the signature was made must be proven by a Rekor"
              + " signed entry timestamp or an RFC 3161 timestamp");
    }
    return List.copyOf(proofs);
  }

  /** Requires every proven time to be inside the validity of the leaf and of some chained CA. */
  static void requireCertificateValidAt(
      List<Proof> proofs, X509Certificate leaf, List<TrustedRoot.CertificateAuthority> cas)
      throws Rejection {
    for (Proof proof : proofs) {
      Instant t = proof.time();
      Instant notBefore = leaf.getNotBefore().toInstant();
      Instant notAfter = leaf.getNotAfter().toInstant();
      if (t.isBefore(notBefore) || t.isAfter(notAfter)) {
        throw new Rejection(
            "signing time "
                + t
                + " ("
                + proof.source()
                + ") is outside the certificate's validity"
                + " ["
                + notBefore
                + ", "
                + notAfter
                + "]");
      }
      List<String> problems = new ArrayList<>();
      boolean ok = false;
      for (TrustedRoot.CertificateAuthority ca : cas) {
        String problem = caProblemAt(ca, t);
        if (problem == null) {
          ok = true;
          break;
        }
        problems.add(problem);
      }
      if (!ok) {
        throw new Rejection(
            "signing time "
                + t
                + " ("
                + proof.source()
                + ") is outside the validity of the"
                + " Fulcio CA that issued the certificate: "
                + String.join("; ", problems));
      }
    }
  }

  private static String caProblemAt(TrustedRoot.CertificateAuthority ca, Instant t) {
    if (!ca.validFor().contains(t)) {
      return ca.uri() + " is trusted for " + ca.validFor() + " only";
    }
    for (X509Certificate cert : ca.chain()) {
      if (t.isBefore(cert.getNotBefore().toInstant())
          || t.isAfter(cert.getNotAfter().toInstant())) {
        return "CA certificate "
            + Certificates.subject(cert)
            + " of "
            + ca.uri()
            + " is valid ["
            + cert.getNotBefore().toInstant()
            + ", "
            + cert.getNotAfter().toInstant()
            + "] only";
      }
    }
    return null;
  }
}
