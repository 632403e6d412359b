package dev.sigaudit.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The "what to do" sentence that ends a fail or error message: for a signature requirement, which
 * keys or identities must sign the image and where the policy got them ({@link KeyOrigin}), so that
 * whoever reads a report knows whom to ask without reading the policy.
 */
public final class Remedies {
  /** Signers listed before "… and N more": a message names what to do, it does not list a set. */
  static final int SHOWN = 3;

  /** How a keyless signer's description starts. */
  public static final String KEYLESS = "keyless as ";

  private Remedies() {}

  /**
   * {@code To pass: sign it with …} for every attestor set of a check (all are required).
   *
   * @param how how the signature must be made, when that is what went wrong ({@code in a format the
   *     policy reads (legacy-sig)}); empty otherwise
   */
  static Optional<String> signWith(List<Attestors> sets, Optional<String> how) {
    List<String> parts = new ArrayList<>();
    for (Attestors set : sets) {
      List<String> signers = signers(set);
      if (!signers.isEmpty()) {
        parts.add(choice(signers, Math.min(set.count(), signers.size())));
      }
    }
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "To pass: sign it "
            + String.join("; and ", parts)
            + how.map(h -> ", " + h).orElse("")
            + ".");
  }

  /**
   * {@code To pass: sign it with …} for signers of which {@code needed} must verify.
   *
   * @param signers each as {@link #signer} describes it
   */
  public static Optional<String> signWith(List<String> signers, int needed) {
    if (signers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("To pass: sign it " + choice(signers, needed) + ".");
  }

  /**
   * {@code To pass: sign it as <by> require, with …}: for signers whose combination is decided by
   * something the message cannot summarize (an ImageValidatingPolicy's expressions).
   */
  public static Optional<String> signAsRequired(String by, List<String> signers) {
    if (signers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("To pass: sign it as " + by + " require, with " + listed(signers) + ".");
  }

  /** {@code what (origin)}, or {@code what} when the origin is unstated. */
  public static String signer(String what, KeyOrigin origin) {
    String where = origin.describe();
    return where.isEmpty() ? what : what + " (" + where + ")";
  }

  /** {@code key SHA256:… (origin)}. */
  static String key(AttestorEntry.Key k) {
    return signer("key " + k.key().fingerprint(), k.origin());
  }

  /** {@code keyless as subject S issued by I (origin)}. */
  static String keyless(AttestorEntry.Keyless k) {
    List<String> ids = new ArrayList<>();
    for (AttestorEntry.Keyless.Identity i : k.identities()) {
      ids.add(identity(i));
    }
    String who = ids.isEmpty() ? "any keyless identity" : String.join(" or ", ids);
    return signer(KEYLESS + who, k.origin());
  }

  private static String identity(AttestorEntry.Keyless.Identity i) {
    String subject =
        i.subject()
            .map(s -> "subject " + s)
            .or(() -> i.subjectRegExp().map(r -> "a subject matching " + r))
            .orElse("any subject");
    return subject
        + i.issuer()
            .map(s -> " issued by " + s)
            .or(() -> i.issuerRegExp().map(r -> " issued by an issuer matching " + r))
            .orElse("");
  }

  private static String listed(List<String> signers) {
    List<String> shown = signers.subList(0, Math.min(SHOWN, signers.size()));
    return String.join(", ", shown)
        + (signers.size() > shown.size()
            ? " … and " + (signers.size() - shown.size()) + " more"
            : "");
  }

  private static String choice(List<String> signers, int needed) {
    String list = listed(signers);
    if (signers.size() == 1) {
      // "sign it keyless as subject S", but "sign it with key K".
      return list.startsWith(KEYLESS) ? list : "with " + list;
    }
    if (needed == 1) {
      return "with one of " + list;
    }
    return "with " + (needed == signers.size() ? "all of " : needed + " of ") + list;
  }

  /** What can vouch for the image in {@code set}: static answers are not signers. */
  private static List<String> signers(Attestors set) {
    List<String> out = new ArrayList<>();
    for (AttestorEntry e : set.entries()) {
      switch (e) {
        case AttestorEntry.Key k -> out.add(key(k));
        case AttestorEntry.SecretKey s -> out.add("the key " + s.secret().describe());
        case AttestorEntry.Keyless k -> out.add(keyless(k));
        case AttestorEntry.Unverifiable u -> out.add(u.what());
        case AttestorEntry.Nested n -> {
          List<String> inner = signers(n.attestors());
          if (!inner.isEmpty()) {
            out.add("(" + choice(inner, Math.min(n.attestors().count(), inner.size())) + ")");
          }
        }
        case AttestorEntry.Static st -> {}
        case AttestorEntry.Unsupported u -> {}
      }
    }
    return out;
  }
}
