package dev.sigaudit.policy.ivp;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.KeyOrigin;
import dev.sigaudit.policy.Remedies;
import dev.sigaudit.policy.VerificationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code spec.attestors}, as far as sigaudit can verify it. Attestors that cannot be
 * verified yet still load, so that a policy whose expressions never use them for an image still
 * judges it; using one makes the validation an error, never a pass or a fail.
 */
sealed interface Attestor {
  /** The name expressions use ({@code attestors.<name>}). */
  String name();

  /** The same attestor, written down at {@code where}; unchanged for one that signs nothing. */
  default Attestor withOrigin(KeyOrigin where) {
    return this;
  }

  /** Who must sign for this attestor to verify, with where the policy names it, for messages. */
  default Optional<String> signer() {
    return Optional.empty();
  }

  /**
   * A cosign public key ({@code cosign.key.data}).
   *
   * @param signatureRepository {@code cosign.source.repository}, when signatures are stored apart
   * @param requireTlog Kyverno also requires a transparency-log entry ({@code ctlog} without {@code
   *     insecureIgnoreTlog: true}), which sigaudit verifies against its trusted root
   * @param unchecked a requirement of the attestor that sigaudit cannot check (a Rekor key or TUF
   *     root of the policy's own): a verified signature then reads "could not check"
   * @param origin where the key is written, for messages (never part of a request)
   */
  record Key(
      String name,
      TrustedKey key,
      Optional<ImageRef> signatureRepository,
      boolean requireTlog,
      Optional<String> unchecked,
      KeyOrigin origin)
      implements Attestor {
    public Key {
      Objects.requireNonNull(name);
      Objects.requireNonNull(key);
      Objects.requireNonNull(signatureRepository);
      Objects.requireNonNull(unchecked);
      Objects.requireNonNull(origin);
    }

    /** A key of unstated origin. */
    Key(
        String name,
        TrustedKey key,
        Optional<ImageRef> signatureRepository,
        boolean requireTlog,
        Optional<String> unchecked) {
      this(name, key, signatureRepository, requireTlog, unchecked, KeyOrigin.UNSTATED);
    }

    @Override
    public Key withOrigin(KeyOrigin where) {
      return new Key(name, key, signatureRepository, requireTlog, unchecked, where);
    }

    @Override
    public Optional<String> signer() {
      return Optional.of(Remedies.signer("key " + key.fingerprint(), origin));
    }

    /** A key whose signatures need nothing else (no transparency log). */
    Key(String name, TrustedKey key, Optional<ImageRef> signatureRepository) {
      this(name, key, signatureRepository, false, Optional.empty());
    }

    /** The signature check this attestor needs for {@code subject} (a digest reference). */
    VerificationRequest request(ImageRef subject) {
      return new VerificationRequest(
          subject,
          new Authority.Key(key, requireTlog),
          signatureRepository,
          AttestorEntry.ALL_FORMATS,
          VerificationRequest.Reading.BUNDLES_WHEN_PRESENT);
    }
  }

  /**
   * A cosign keyless attestor ({@code cosign.keyless}): kept with its identities for when keyless
   * verification lands; until then using it is an error.
   *
   * @param identities {@code issuer|subject} pairs as written, for messages
   */
  record Keyless(String name, List<String> identities, KeyOrigin origin) implements Attestor {
    static final String NOT_SUPPORTED = "keyless verification not supported yet";

    public Keyless {
      Objects.requireNonNull(name);
      identities = List.copyOf(identities);
      Objects.requireNonNull(origin);
    }

    /** A keyless attestor of unstated origin. */
    Keyless(String name, List<String> identities) {
      this(name, identities, KeyOrigin.UNSTATED);
    }

    @Override
    public Keyless withOrigin(KeyOrigin where) {
      return new Keyless(name, identities, where);
    }

    @Override
    public Optional<String> signer() {
      List<String> who = new ArrayList<>();
      for (String id : identities) {
        // issuer|subject, as compiled; '*' where the policy leaves one open.
        int bar = id.indexOf('|');
        who.add("subject " + id.substring(bar + 1) + " issued by " + id.substring(0, bar));
      }
      return Optional.of(
          Remedies.signer(
              Remedies.KEYLESS + (who.isEmpty() ? "any identity" : String.join(" or ", who)),
              origin));
    }
  }

  /**
   * An attestor sigaudit cannot verify (Notary, KMS keys, keys from expressions, certificates…).
   *
   * @param field the field that makes it unverifiable ({@code spec.attestors[1].notary})
   * @param reason why, for the error message
   * @param cosign whether it is a cosign signer (a KMS key, a certificate…): then an image without
   *     any cosign signature is simply not verified by it
   * @param signatureRepository where its signatures are stored, when apart
   */
  record Unsupported(
      String name,
      String field,
      String reason,
      boolean cosign,
      Optional<ImageRef> signatureRepository)
      implements Attestor {
    public Unsupported {
      Objects.requireNonNull(name);
      Objects.requireNonNull(field);
      Objects.requireNonNull(reason);
      Objects.requireNonNull(signatureRepository);
    }

    /** An attestor that does not verify cosign signatures sigaudit discovers (Notary…). */
    Unsupported(String name, String field, String reason) {
      this(name, field, reason, false, Optional.empty());
    }

    /**
     * The presence check of a cosign attestor sigaudit cannot verify: Kyverno counts it 0 when the
     * image has no signature at all, whoever the signer; only with signatures is it unknown.
     */
    Optional<VerificationRequest> presence(ImageRef subject) {
      if (!cosign) {
        return Optional.empty();
      }
      return Optional.of(
          new VerificationRequest(
              subject,
              new Authority.Presence("attestor " + name),
              signatureRepository,
              AttestorEntry.ALL_FORMATS));
    }
  }
}
