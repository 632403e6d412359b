package dev.sigaudit.policy;

import dev.sigaudit.verify.IdentityMatch;
import dev.sigaudit.verify.KeylessIdentity;
import dev.sigaudit.verify.Requirement;
import dev.sigaudit.verify.SctPolicy;
import dev.sigaudit.verify.TlogPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the keyless attestors of loaded policies into what the verifier checks, once, before any
 * image is looked at: the identities (issuer and subject, exact, wildcard or regular expression, as
 * the policy's engine matches them) with cosign's defaults (transparency-log evidence and SCT
 * required) and the waivers the policy states.
 *
 * <p>What cannot be expressed is refused, as a {@link PolicyProblem} of the policy, and every image
 * the entry applies to gets "could not check", never a pass: roots given inline in the policy,
 * certificate-extension requirements, and Kyverno's "issuer and issuerRegExp both set" (both must
 * match).
 */
public final class KeylessCompiler {
  private KeylessCompiler() {}

  /** An entry compiled: the requirement, or why sigaudit cannot check it. */
  public sealed interface Compiled {
    record Supported(Requirement.Keyless requirement) implements Compiled {
      public Supported {
        Objects.requireNonNull(requirement);
      }
    }

    record Unsupported(String reason) implements Compiled {
      public Unsupported {
        Objects.requireNonNull(reason);
      }
    }
  }

  /**
   * Every keyless entry of {@code policies}, compiled.
   *
   * @param byEntry one answer per distinct entry
   * @param problems one per policy and unsupported entry
   */
  public record Table(Map<AttestorEntry.Keyless, Compiled> byEntry, List<PolicyProblem> problems) {
    public Table {
      byEntry = Map.copyOf(byEntry);
      problems = List.copyOf(problems);
    }

    /** The compiled form of {@code entry}; an entry of no compiled policy is unsupported. */
    public Compiled of(AttestorEntry.Keyless entry) {
      return byEntry.getOrDefault(
          entry, new Compiled.Unsupported("internal: keyless entry not compiled with its policy"));
    }
  }

  /** Compiles every keyless entry of {@code policies}; an unsupported one is a problem. */
  public static Table compileAll(List<Policy> policies) {
    Map<AttestorEntry.Keyless, Compiled> byEntry = new LinkedHashMap<>();
    List<PolicyProblem> problems = new ArrayList<>();
    for (Policy p : policies) {
      List<AttestorEntry.Keyless> entries = new ArrayList<>();
      for (Rule r : p.rules()) {
        if (r.check() instanceof Check.Signatures s) {
          s.attestors().forEach(a -> collect(a, entries));
        }
      }
      for (AttestorEntry.Keyless k : entries.stream().distinct().toList()) {
        Compiled c = byEntry.computeIfAbsent(k, KeylessCompiler::compile);
        if (c instanceof Compiled.Unsupported u) {
          problems.add(
              new PolicyProblem(
                  p.source().label(), p.name(), "", k.describe() + ": " + u.reason()));
        }
      }
    }
    return new Table(byEntry, problems);
  }

  private static void collect(Attestors set, List<AttestorEntry.Keyless> out) {
    for (AttestorEntry e : set.entries()) {
      if (e instanceof AttestorEntry.Keyless k) {
        out.add(k);
      } else if (e instanceof AttestorEntry.Nested n) {
        collect(n.attestors(), out);
      }
    }
  }

  /** The requirement of one entry, or why sigaudit cannot verify it. */
  public static Compiled compile(AttestorEntry.Keyless k) {
    if (k.roots().isPresent()) {
      return new Compiled.Unsupported(
          "roots given in the policy are not supported yet (use --trusted-root)");
    }
    if (!k.extensions().isEmpty()) {
      return new Compiled.Unsupported("certificate extension requirements are not supported yet");
    }
    List<KeylessIdentity> ids = new ArrayList<>();
    for (AttestorEntry.Keyless.Identity i : k.identities()) {
      if (i.issuer().isPresent() && i.issuerRegExp().isPresent()) {
        return new Compiled.Unsupported("issuer and issuerRegExp together are not supported yet");
      }
      try {
        IdentityMatch issuer =
            i.issuerRegExp()
                .map(IdentityMatch::regexp)
                .orElse(i.issuer().map(KeylessCompiler::plain).orElse(IdentityMatch.any()));
        // Kyverno: subject or subjectRegExp may match; two identities express "either".
        if (i.subject().isPresent()) {
          ids.add(new KeylessIdentity(issuer, plain(i.subject().get())));
        }
        if (i.subjectRegExp().isPresent()) {
          ids.add(new KeylessIdentity(issuer, IdentityMatch.regexp(i.subjectRegExp().get())));
        }
        if (i.subject().isEmpty() && i.subjectRegExp().isEmpty()) {
          ids.add(new KeylessIdentity(issuer, IdentityMatch.any()));
        }
      } catch (IllegalArgumentException e) {
        return new Compiled.Unsupported("invalid identity: " + e.getMessage());
      }
    }
    if (ids.isEmpty()) {
      ids.add(new KeylessIdentity(IdentityMatch.any(), IdentityMatch.any()));
    }
    Requirement.Keyless r = Requirement.Keyless.of(ids);
    // What the policy itself waives (Kyverno rekor.ignoreTlog, ctlog.ignoreSCT).
    return new Compiled.Supported(
        new Requirement.Keyless(
            r.identities(),
            k.ignoreTlog() ? TlogPolicy.IGNORE : r.tlog(),
            k.ignoreSct() ? SctPolicy.IGNORE : r.sct(),
            r.timestamp()));
  }

  /**
   * An issuer or subject without a regular expression: Kyverno matches it with wildcards ({@code
   * *}, {@code ?}); a value without them is matched exactly, as policy-controller does.
   */
  private static IdentityMatch plain(String value) {
    return value.contains("*") || value.contains("?")
        ? IdentityMatch.wildcard(value)
        : IdentityMatch.exact(value);
  }
}
