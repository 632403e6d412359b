package dev.sigaudit.policy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.verify.Requirement;
import dev.sigaudit.verify.TlogPolicy;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

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
      return requirement().id();
    }

    /** What the verifier checks: the key, with a tlog entry when the policy requires one. */
    public Requirement.Key requirement() {
      return new Requirement.Key(key, requireTlog ? TlogPolicy.REQUIRE : TlogPolicy.IGNORE);
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
   * @param imageMustExist the engine reads the image itself before anything else and errors when
   *     the registry does not have it (Kyverno's ImageValidatingPolicy prefetches the image's
   *     data): the answer is then could-not-check whatever the signatures
   */
  record Presence(String what, boolean imageMustExist) implements Authority {
    /** The cause of the could-not-check answer when signatures exist (not a failed lookup). */
    public static final String SIGNED = "signed, but sigaudit cannot verify who signed";

    public Presence {
      Objects.requireNonNull(what);
    }

    /** Only whether signatures are there. */
    public Presence(String what) {
      this(what, false);
    }

    @Override
    public String id() {
      // The verdict does not depend on who: only on whether any signature is there (and, when
      // asked, whether the image is).
      return imageMustExist ? "presence+image" : "presence";
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

    /**
     * A hash of the entry's canonical text: every component, sets and maps sorted and identities
     * sorted (any one suffices), each value length-prefixed. Not {@code toString()}: a record
     * prints its {@code Set}s in hash order, which differs between JVMs, and the id names cached
     * verdicts from one run to the next.
     */
    @Override
    public String id() {
      StringBuilder c = new StringBuilder();
      entry.identities().stream()
          .map(
              i ->
                  part(i.issuer())
                      + part(i.issuerRegExp())
                      + part(i.subject())
                      + part(i.subjectRegExp()))
          .sorted()
          .forEach(i -> c.append("identity:").append(i));
      c.append("roots:").append(part(entry.roots()));
      c.append("ca:").append(part(entry.certificateAuthority()));
      c.append("tlog:").append(part(entry.transparencyLog()));
      new TreeMap<>(entry.extensions())
          .forEach(
              (k, v) -> c.append("ext:").append(part(Optional.of(k))).append(part(Optional.of(v))));
      c.append("repo:").append(part(entry.signatureRepository().map(ImageRef::toString)));
      entry.formats().stream().map(Enum::name).sorted().forEach(f -> c.append("format:").append(f));
      c.append(";ignoreTlog=")
          .append(entry.ignoreTlog())
          .append(";ignoreSct=")
          .append(entry.ignoreSct());
      return "keyless:"
          + Digest.sha256(c.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    private static String part(Optional<String> value) {
      return value.map(v -> v.length() + ":" + v + ";").orElse("-;");
    }

    @Override
    public String describe() {
      return entry.describe();
    }
  }
}
