package dev.sigaudit.policy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Who a signature must come from: a public key, or a keyless (Fulcio certificate) identity. */
public sealed interface Authority {

  /** A stable identifier: verdicts are cached and shared under it. */
  String id();

  /** For messages. */
  String describe();

  /**
   * A public key.
   *
   * @param requireTlog the signature must also carry a transparency-log entry that verifies against
   *     the trusted root (Kyverno's default for keys)
   */
  record Key(TrustedKey key, boolean requireTlog) implements Authority {
    public Key {
      Objects.requireNonNull(key);
    }

    public Key(TrustedKey key) {
      this(key, false);
    }

    @Override
    public String id() {
      // The acceptance is part of the identity: one key read by two engines' rules may verify
      // under one reading and not the other (a P-384 signature hashed with SHA-384).
      return key.fingerprint() + key.acceptance().idSuffix() + (requireTlog ? "+tlog" : "");
    }

    @Override
    public String describe() {
      return "key " + key.fingerprint();
    }
  }

  /**
   * Whoever the policy trusts through something sigaudit cannot verify (a KMS key, a certificate
   * attestor, a key in an unread Secret). Only the <em>presence</em> of signatures is asked: with
   * none in a format the policy's engine reads, the engine fails the image whatever the signer
   * would have been; with some, the answer is could-not-check ({@link
   * dev.sigaudit.model.Verdict.CheckError}), never a pass.
   *
   * @param what the signer, for the could-not-check message
   */
  record Presence(String what) implements Authority {
    /** The cause of the could-not-check answer when signatures exist (not a failed lookup). */
    public static final String SIGNED = "signed, but sigaudit cannot verify who signed";

    public Presence {
      Objects.requireNonNull(what);
    }

    @Override
    public String id() {
      // The verdict does not depend on who: only on whether any signature is there.
      return "presence";
    }

    @Override
    public String describe() {
      return what;
    }
  }

  /** A keyless signer, as a policy describes it (identities, roots, logs). */
  record Keyless(AttestorEntry.Keyless entry) implements Authority {
    public Keyless {
      Objects.requireNonNull(entry);
    }

    @Override
    public String id() {
      // Records print every component, so equal entries give equal ids.
      return "keyless:"
          + Digest.sha256(entry.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    @Override
    public String describe() {
      return entry.describe();
    }
  }
}
