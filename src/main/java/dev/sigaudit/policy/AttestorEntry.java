package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of an {@link Attestors} set: one thing that can vouch for an image.
 *
 * <p>Sealed so that every {@code switch} handles every kind. Only {@link Key} and {@link Static}
 * can make an entry pass today; the others exist so that a translated policy keeps its exact
 * structure (and so its count semantics) while sigaudit reports "could not check" for what it
 * cannot verify yet, never a pass.
 */
public sealed interface AttestorEntry {

  /** Every signature format sigaudit discovers. */
  Set<SignatureFormat> ALL_FORMATS = Set.of(SignatureFormat.values());

  /**
   * A signature verifiable with a public key.
   *
   * @param key the trusted key
   * @param signatureRepository where to look for signatures instead of the rule's repository (like
   *     Kyverno's per-attestor {@code repository}); empty to use the rule's
   * @param formats the signature formats the policy's engine accepts: a Kyverno {@code Cosign} rule
   *     or a policy-controller {@code legacy} authority reads only the legacy {@code .sig} tag, so
   *     a bundle signature must not make it pass
   * @param unchecked further requirements of the policy that sigaudit does not check (a
   *     transparency-log entry, a timestamp, payload annotations); a verified signature then only
   *     proves the entry <em>might</em> pass, and the entry counts as could-not-check
   * @param origin where the key was written down, for messages; not part of equality
   */
  record Key(
      TrustedKey key,
      Optional<ImageRef> signatureRepository,
      Set<SignatureFormat> formats,
      List<String> unchecked,
      boolean requireTlog,
      KeyOrigin origin)
      implements AttestorEntry {
    /** A key of unstated origin. */
    public Key(
        TrustedKey key,
        Optional<ImageRef> signatureRepository,
        Set<SignatureFormat> formats,
        List<String> unchecked,
        boolean requireTlog) {
      this(key, signatureRepository, formats, unchecked, requireTlog, KeyOrigin.UNSTATED);
    }

    /** A key whose signatures need no transparency-log entry. */
    public Key(
        TrustedKey key,
        Optional<ImageRef> signatureRepository,
        Set<SignatureFormat> formats,
        List<String> unchecked) {
      this(key, signatureRepository, formats, unchecked, false);
    }

    public Key {
      Objects.requireNonNull(key);
      Objects.requireNonNull(signatureRepository);
      formats = Set.copyOf(formats);
      unchecked = List.copyOf(unchecked);
      Objects.requireNonNull(origin);
      if (formats.isEmpty()) {
        throw new IllegalArgumentException("a key entry accepts at least one signature format");
      }
    }

    /** The same entry, written down at {@code where}. */
    public Key withOrigin(KeyOrigin where) {
      return new Key(key, signatureRepository, formats, unchecked, requireTlog, where);
    }

    // The origin is provenance, not a requirement: the same key named in two places is the same
    // entry (keyless compilation, request sets and counting must not tell them apart).
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && key.equals(k.key)
          && signatureRepository.equals(k.signatureRepository)
          && formats.equals(k.formats)
          && unchecked.equals(k.unchecked)
          && requireTlog == k.requireTlog;
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, signatureRepository, formats, unchecked, requireTlog);
    }

    /** A key accepting every format, with nothing unchecked. */
    public Key(TrustedKey key, Optional<ImageRef> signatureRepository) {
      this(key, signatureRepository, ALL_FORMATS, List.of());
    }

    /** A key whose signatures are stored where the rule says. */
    public static Key of(TrustedKey key) {
      return new Key(key, Optional.empty());
    }
  }

  /**
   * A public key stored in a Kubernetes Secret, which a translator cannot read: it evaluates as
   * could-not-check until {@link SecretKeys#resolve} replaces it with a {@link Key}.
   *
   * @param namespace the Secret's namespace
   * @param name the Secret's name
   * @param dataKey the data entry holding the PEM key ({@code cosign.pub} for Kyverno); empty for
   *     "the only entry" (policy-controller refuses a Secret with several)
   * @param signatureRepository as {@link Key#signatureRepository()}
   * @param formats as {@link Key#formats()}
   * @param unchecked as {@link Key#unchecked()}
   */
  record SecretKey(
      String namespace,
      String name,
      Optional<String> dataKey,
      Optional<ImageRef> signatureRepository,
      Set<SignatureFormat> formats,
      List<String> unchecked,
      boolean requireTlog,
      KeyAcceptance acceptance,
      KeyOrigin origin)
      implements AttestorEntry {
    /** A Secret reference of unstated origin. */
    public SecretKey(
        String namespace,
        String name,
        Optional<String> dataKey,
        Optional<ImageRef> signatureRepository,
        Set<SignatureFormat> formats,
        List<String> unchecked,
        boolean requireTlog,
        KeyAcceptance acceptance) {
      this(
          namespace,
          name,
          dataKey,
          signatureRepository,
          formats,
          unchecked,
          requireTlog,
          acceptance,
          KeyOrigin.UNSTATED);
    }

    public SecretKey(
        String namespace,
        String name,
        Optional<String> dataKey,
        Optional<ImageRef> signatureRepository,
        Set<SignatureFormat> formats,
        List<String> unchecked) {
      this(
          namespace,
          name,
          dataKey,
          signatureRepository,
          formats,
          unchecked,
          false,
          KeyAcceptance.COSIGN);
    }

    public SecretKey {
      Objects.requireNonNull(namespace);
      Objects.requireNonNull(name);
      Objects.requireNonNull(dataKey);
      Objects.requireNonNull(signatureRepository);
      formats = Set.copyOf(formats);
      unchecked = List.copyOf(unchecked);
      Objects.requireNonNull(acceptance);
      Objects.requireNonNull(origin);
    }

    /**
     * The entry once the Secret's key is known, read as the policy's engine reads it; the key's
     * origin is then the Secret itself.
     */
    public Key resolve(TrustedKey key) {
      return new Key(
          key.withAcceptance(acceptance),
          signatureRepository,
          formats,
          unchecked,
          requireTlog,
          secret());
    }

    /** Where the key is to be read: this Secret and its data entry. */
    public KeyOrigin.Secret secret() {
      return new KeyOrigin.Secret(namespace, name, dataKey);
    }

    /** The same entry with the transparency-log requirement set. */
    public SecretKey withTlog() {
      return new SecretKey(
          namespace,
          name,
          dataKey,
          signatureRepository,
          formats,
          unchecked,
          true,
          acceptance,
          origin);
    }

    /** The same entry, named at {@code where} (the policy that refers to the Secret). */
    public SecretKey withOrigin(KeyOrigin where) {
      return new SecretKey(
          namespace,
          name,
          dataKey,
          signatureRepository,
          formats,
          unchecked,
          requireTlog,
          acceptance,
          where);
    }

    // As for Key: where the reference was written is not part of what it requires.
    @Override
    public boolean equals(Object o) {
      return o instanceof SecretKey k
          && namespace.equals(k.namespace)
          && name.equals(k.name)
          && dataKey.equals(k.dataKey)
          && signatureRepository.equals(k.signatureRepository)
          && formats.equals(k.formats)
          && unchecked.equals(k.unchecked)
          && requireTlog == k.requireTlog
          && acceptance.equals(k.acceptance);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          namespace,
          name,
          dataKey,
          signatureRepository,
          formats,
          unchecked,
          requireTlog,
          acceptance);
    }

    /** {@code Secret ns/name} and the data entry, for messages. */
    public String describe() {
      return "Secret "
          + namespace
          + "/"
          + name
          + dataKey.map(k -> " (entry " + k + ")").orElse(" (its only entry)");
    }
  }

  /**
   * A keyless (Fulcio certificate) signer, verified offline against the scan's Sigstore trusted
   * root (docs/decisions/0006-keyless-verification.md): certificate chain, SCT and transparency log
   * or timestamp evidence as the policy's engine requires, then the identities.
   *
   * @param identities the accepted identities; any one suffices
   * @param roots PEM roots to verify the certificate with, when the policy names them
   * @param certificateAuthority where the policy gets its CA otherwise (a Fulcio URL, a TrustRoot)
   * @param transparencyLog the Rekor URL the signature must be logged in, when required
   * @param extensions further certificate extensions that must match (Kyverno)
   * @param signatureRepository as {@link Key#signatureRepository()}
   * @param formats the signature formats the policy's engine reads (a Kyverno {@code Cosign} rule
   *     reads {@code .sig} only)
   */
  record Keyless(
      List<Identity> identities,
      Optional<String> roots,
      Optional<String> certificateAuthority,
      Optional<String> transparencyLog,
      Map<String, String> extensions,
      Optional<ImageRef> signatureRepository,
      Set<SignatureFormat> formats,
      boolean ignoreTlog,
      boolean ignoreSct,
      KeyOrigin origin)
      implements AttestorEntry {
    /** A keyless entry of unstated origin. */
    public Keyless(
        List<Identity> identities,
        Optional<String> roots,
        Optional<String> certificateAuthority,
        Optional<String> transparencyLog,
        Map<String, String> extensions,
        Optional<ImageRef> signatureRepository,
        Set<SignatureFormat> formats,
        boolean ignoreTlog,
        boolean ignoreSct) {
      this(
          identities,
          roots,
          certificateAuthority,
          transparencyLog,
          extensions,
          signatureRepository,
          formats,
          ignoreTlog,
          ignoreSct,
          KeyOrigin.UNSTATED);
    }

    /** A keyless entry with cosign's defaults: transparency-log evidence and an SCT required. */
    public Keyless(
        List<Identity> identities,
        Optional<String> roots,
        Optional<String> certificateAuthority,
        Optional<String> transparencyLog,
        Map<String, String> extensions,
        Optional<ImageRef> signatureRepository,
        Set<SignatureFormat> formats) {
      this(
          identities,
          roots,
          certificateAuthority,
          transparencyLog,
          extensions,
          signatureRepository,
          formats,
          false,
          false);
    }

    /** A keyless entry that reads every signature format. */
    public Keyless(
        List<Identity> identities,
        Optional<String> roots,
        Optional<String> certificateAuthority,
        Optional<String> transparencyLog,
        Map<String, String> extensions,
        Optional<ImageRef> signatureRepository) {
      this(
          identities,
          roots,
          certificateAuthority,
          transparencyLog,
          extensions,
          signatureRepository,
          ALL_FORMATS);
    }

    public Keyless {
      formats = Set.copyOf(formats);
      identities = List.copyOf(identities);
      Objects.requireNonNull(roots);
      Objects.requireNonNull(certificateAuthority);
      Objects.requireNonNull(transparencyLog);
      extensions = Map.copyOf(extensions);
      Objects.requireNonNull(signatureRepository);
      Objects.requireNonNull(origin);
    }

    /** The same entry, written down at {@code where}. */
    public Keyless withOrigin(KeyOrigin where) {
      return new Keyless(
          identities,
          roots,
          certificateAuthority,
          transparencyLog,
          extensions,
          signatureRepository,
          formats,
          ignoreTlog,
          ignoreSct,
          where);
    }

    // The origin is provenance: it must not split one identity into two verification requests.
    @Override
    public boolean equals(Object o) {
      return o instanceof Keyless k
          && identities.equals(k.identities)
          && roots.equals(k.roots)
          && certificateAuthority.equals(k.certificateAuthority)
          && transparencyLog.equals(k.transparencyLog)
          && extensions.equals(k.extensions)
          && signatureRepository.equals(k.signatureRepository)
          && formats.equals(k.formats)
          && ignoreTlog == k.ignoreTlog
          && ignoreSct == k.ignoreSct;
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          identities,
          roots,
          certificateAuthority,
          transparencyLog,
          extensions,
          signatureRepository,
          formats,
          ignoreTlog,
          ignoreSct);
    }

    /** The identities, for messages: {@code issuer … subject …}, several joined by " or ". */
    public String describe() {
      if (identities.isEmpty()) {
        return "keyless (any identity)";
      }
      List<String> ids = new ArrayList<>();
      for (Identity i : identities) {
        ids.add(i.describe());
      }
      return "keyless (" + String.join(" or ", ids) + ")";
    }

    /**
     * One accepted certificate identity; exact values or regular expressions, each optional.
     *
     * @param issuer the OIDC issuer
     * @param issuerRegExp a regular expression for the issuer
     * @param subject the subject (SAN)
     * @param subjectRegExp a regular expression for the subject
     */
    public record Identity(
        Optional<String> issuer,
        Optional<String> issuerRegExp,
        Optional<String> subject,
        Optional<String> subjectRegExp) {
      public Identity {
        Objects.requireNonNull(issuer);
        Objects.requireNonNull(issuerRegExp);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(subjectRegExp);
      }

      String describe() {
        List<String> parts = new ArrayList<>();
        issuer.ifPresent(s -> parts.add("issuer " + s));
        issuerRegExp.ifPresent(s -> parts.add("issuer ~ " + s));
        subject.ifPresent(s -> parts.add("subject " + s));
        subjectRegExp.ifPresent(s -> parts.add("subject ~ " + s));
        return parts.isEmpty() ? "any identity" : String.join(", ", parts);
      }
    }
  }

  /**
   * A fixed answer, without looking at signatures: policy-controller's {@code static} authority, or
   * a configuration that makes an engine always reject.
   *
   * @param pass whether the entry verifies
   * @param message why, for reports
   */
  record Static(boolean pass, String message) implements AttestorEntry {
    public Static {
      Objects.requireNonNull(message);
    }
  }

  /** A nested set (Kyverno's {@code entries[].attestor}): the entry verifies if the set does. */
  record Nested(Attestors attestors) implements AttestorEntry {
    public Nested {
      Objects.requireNonNull(attestors);
    }
  }

  /**
   * A cosign signer sigaudit cannot verify (a KMS key, a certificate attestor, a key given by a
   * variable or that sigaudit cannot parse). The engine would look for cosign signatures in {@code
   * formats} and fail when there are none, whoever the signer; so does sigaudit. When signatures
   * exist, it could-not-check: they may be this signer's.
   *
   * @param what the signer, naming the policy field
   * @param signatureRepository as {@link Key#signatureRepository()}
   * @param formats the signature formats the policy's engine reads
   */
  record Unverifiable(
      String what, Optional<ImageRef> signatureRepository, Set<SignatureFormat> formats)
      implements AttestorEntry {
    public Unverifiable {
      Objects.requireNonNull(what);
      Objects.requireNonNull(signatureRepository);
      formats = Set.copyOf(formats);
      if (formats.isEmpty()) {
        throw new IllegalArgumentException("an entry reads at least one signature format");
      }
    }
  }

  /**
   * Something a policy requires that sigaudit cannot verify (a KMS key, a certificate, a Notary
   * signature, in-toto attestations). Always could-not-check: it can neither pass nor fail an
   * image, so a set still passes when enough other entries verify.
   *
   * @param what the requirement, naming the policy field
   */
  record Unsupported(String what) implements AttestorEntry {
    public Unsupported {
      Objects.requireNonNull(what);
    }
  }
}
