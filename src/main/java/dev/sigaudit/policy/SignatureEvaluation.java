package dev.sigaudit.policy;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a {@link Check.Signatures} with three-valued logic: a check that could not run is unknown,
 * not a failure.
 *
 * <p>Each entry answers verified, not verified, or could-not-check: a key or a keyless identity
 * asks the {@link VerdictSource} (a verified signature is could-not-check when the entry has {@link
 * AttestorEntry.Key#unchecked() unchecked} requirements); a {@link AttestorEntry.Static static}
 * entry answers itself; a {@link AttestorEntry.Nested nested} set answers with its own result; a
 * signer sigaudit cannot verify (an {@link AttestorEntry.Unverifiable unverifiable} entry, a key in
 * a Secret not read yet) asks only whether the image has signatures the engine would read: with
 * none it is not verified (the engine fails such an image whoever the signer), else
 * could-not-check; other unsupported entries are could-not-check. For one set needing {@code n} of
 * its entries, with {@code v} verified and {@code e} that could not be checked: PASS if {@code v >=
 * n}; FAIL if {@code v + e < n} (even if every unknown entry had verified, too few would have);
 * otherwise ERROR. Sets combine with AND: any FAIL is FAIL (decided whatever the unknowns), else
 * any ERROR is ERROR, else PASS.
 */
final class SignatureEvaluation {
  /** Stands in for an unknown digest where no entry will look signatures up. */
  private static final Digest PLACEHOLDER = Digest.sha256(new byte[0]);

  private SignatureEvaluation() {}

  static Outcome evaluate(Check.Signatures check, AuditTarget target, VerdictSource source) {
    var digest = target.digest();
    // Static and unsupported entries are decided without the digest; entries that look up
    // signatures need it.
    if (digest.isEmpty() && !requests(check, target.image().atDigest(PLACEHOLDER)).isEmpty()) {
      return Outcome.of(
          Result.ERROR,
          "cannot check signatures of "
              + target.image()
              + ": its running digest is unknown and the spec names no digest",
          Cause.DIGEST_UNKNOWN);
    }
    ImageRef subject = target.image().atDigest(digest.orElse(PLACEHOLDER));
    String label = digest.isPresent() ? describe(subject) : target.image().toString();
    List<SetOutcome> sets = new ArrayList<>();
    for (Attestors set : check.attestors()) {
      sets.add(evaluateSet(set, check.signatureRepository(), subject, source));
    }
    Result result = combine(sets);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < sets.size(); i++) {
      String prefix = sets.size() == 1 ? "" : "attestors[" + i + "]: ";
      parts.add(prefix + sets.get(i).message());
    }
    String head =
        switch (result) {
          case PASS -> "signed: ";
          case FAIL -> "not signed as required: ";
          default -> "could not check signatures: ";
        };
    List<Evidence> evidence = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (result == Result.PASS) {
      sets.forEach(s -> evidence.addAll(s.evidence()));
      // Only a pass rests on what the engine accepted: a note explains that pass.
      sets.forEach(s -> s.notes().stream().filter(n -> !notes.contains(n)).forEach(notes::add));
    }
    // The cause of the first set that decided the result.
    Optional<Cause> cause =
        sets.stream().filter(s -> s.result() == result).findFirst().flatMap(SetOutcome::cause);
    // What the policy requires, whichever entries went wrong: the signer the image needs.
    Optional<String> toDo =
        result == Result.PASS
            ? Optional.empty()
            : Remedies.signWith(check.attestors(), formatHint(check, cause));
    return new Outcome(
        result, label + ": " + head + String.join("; ", parts), evidence, notes, cause, toDo);
  }

  /**
   * Every request the check makes for {@code subject}, in the order {@link #evaluate} makes them.
   */
  static List<VerificationRequest> requests(Check.Signatures check, ImageRef subject) {
    List<VerificationRequest> out = new ArrayList<>();
    for (Attestors set : check.attestors()) {
      collect(set, check.signatureRepository(), subject, out);
    }
    return out;
  }

  private static void collect(
      Attestors set, Optional<ImageRef> ruleRepo, ImageRef subject, List<VerificationRequest> out) {
    for (AttestorEntry entry : set.entries()) {
      switch (entry) {
        case AttestorEntry.Key k -> out.add(request(k, ruleRepo, subject));
        case AttestorEntry.Keyless k -> out.add(request(k, ruleRepo, subject));
        case AttestorEntry.Unverifiable u ->
            out.add(presence(u.what(), u.signatureRepository(), u.formats(), ruleRepo, subject));
        case AttestorEntry.SecretKey s ->
            out.add(
                presence(
                    "key in " + s.describe(),
                    s.signatureRepository(),
                    s.formats(),
                    ruleRepo,
                    subject));
        case AttestorEntry.Nested n -> collect(n.attestors(), ruleRepo, subject, out);
        default -> {
          // Nothing to look up: the entry is decided without signatures.
        }
      }
    }
  }

  private record SetOutcome(
      Result result,
      String message,
      List<Evidence> evidence,
      List<String> notes,
      Optional<Cause> cause) {}

  /**
   * One entry's answer: PASS (verified), FAIL (does not verify) or ERROR (could not check), and for
   * the latter two, why.
   */
  private record EntryOutcome(
      Result result,
      String text,
      List<Evidence> evidence,
      List<String> notes,
      Optional<Cause> cause) {
    static EntryOutcome of(Result result, String text, Cause cause) {
      return new EntryOutcome(result, text, List.of(), List.of(), Optional.of(cause));
    }
  }

  private static SetOutcome evaluateSet(
      Attestors set, Optional<ImageRef> ruleRepo, ImageRef subject, VerdictSource source) {
    List<String> verified = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Optional<Cause> failCause = Optional.empty();
    Optional<Cause> errorCause = Optional.empty();
    for (AttestorEntry entry : set.entries()) {
      EntryOutcome o = entry(entry, ruleRepo, subject, source);
      switch (o.result()) {
        case PASS -> {
          verified.add(o.text());
          evidence.addAll(o.evidence());
          notes.addAll(o.notes());
        }
        case FAIL -> {
          failed.add(o.text());
          failCause = failCause.or(o::cause);
        }
        default -> {
          unknown.add(o.text());
          errorCause = errorCause.or(o::cause);
        }
      }
    }
    int v = verified.size();
    int e = unknown.size();
    int n = set.count();
    Result result = v >= n ? Result.PASS : v + e < n ? Result.FAIL : Result.ERROR;
    boolean keysOnly = set.entries().stream().allMatch(x -> x instanceof AttestorEntry.Key);
    int size = set.entries().size();
    StringBuilder msg =
        new StringBuilder()
            .append(v)
            .append(" of ")
            .append(size)
            .append(keysOnly ? (size == 1 ? " key" : " keys") : (size == 1 ? " entry" : " entries"))
            .append(" verified, ")
            .append(n)
            .append(" required");
    if (e > 0) {
      msg.append(", ").append(e).append(" could not be checked");
    }
    // Show what explains the result: what verified for a pass, what went wrong otherwise.
    List<String> details = new ArrayList<>();
    if (result == Result.PASS) {
      details.addAll(verified);
    } else {
      details.addAll(unknown);
      details.addAll(failed);
    }
    for (String d : details) {
      msg.append("; ").append(d);
    }
    Optional<Cause> cause =
        switch (result) {
          case FAIL -> failCause;
          case ERROR -> errorCause;
          default -> Optional.empty();
        };
    return new SetOutcome(result, msg.toString(), evidence, notes, cause);
  }

  private static EntryOutcome entry(
      AttestorEntry entry, Optional<ImageRef> ruleRepo, ImageRef subject, VerdictSource source) {
    return switch (entry) {
      case AttestorEntry.Key k -> key(k, ruleRepo, subject, source);
      case AttestorEntry.SecretKey s ->
          unverifiable(
              "key in " + s.describe(),
              "the Secret has not been read",
              presence(
                  "key in " + s.describe(),
                  s.signatureRepository(),
                  s.formats(),
                  ruleRepo,
                  subject),
              source);
      case AttestorEntry.Unverifiable u ->
          unverifiable(
              u.what(),
              "not supported by sigaudit",
              presence(u.what(), u.signatureRepository(), u.formats(), ruleRepo, subject),
              source);
      case AttestorEntry.Keyless k -> {
        VerificationRequest request = request(k, ruleRepo, subject);
        yield outcome(k.describe() + where(request), request, List.of(), source);
      }
      case AttestorEntry.Static s ->
          EntryOutcome.of(
              s.pass() ? Result.PASS : Result.FAIL,
              (s.pass() ? "static pass" : "static fail") + ": " + s.message(),
              Cause.POLICY_FAILED);
      case AttestorEntry.Nested n -> {
        SetOutcome o = evaluateSet(n.attestors(), ruleRepo, subject, source);
        yield new EntryOutcome(
            o.result(), "nested set (" + o.message() + ")", o.evidence(), o.notes(), o.cause());
      }
      case AttestorEntry.Unsupported u ->
          EntryOutcome.of(
              Result.ERROR,
              u.what() + ": could not check: not supported by sigaudit",
              Cause.UNSUPPORTED);
    };
  }

  /**
   * A signer sigaudit cannot verify: not verified when the image has no signature the engine would
   * read (the engine fails it whoever the signer), could-not-check otherwise.
   */
  private static EntryOutcome unverifiable(
      String who, String why, VerificationRequest presence, VerdictSource source) {
    return switch (ask(source, presence)) {
      case Verdict.Unsigned u ->
          EntryOutcome.of(
              Result.FAIL, who + ": no signature found" + formats(presence), Cause.UNSIGNED);
      case Verdict.Rejected r ->
          EntryOutcome.of(Result.FAIL, who + ": " + String.join("; ", r.reasons()), r.kind());
      case Verdict.CheckError e ->
          EntryOutcome.of(
              Result.ERROR, who + ": could not check (" + why + "): " + e.cause(), e.kind());
      // A presence request never verifies anything; should a source say so, it proves nothing.
      case Verdict.Verified v ->
          EntryOutcome.of(
              Result.ERROR, who + ": could not check: " + why, Cause.SIGNER_NOT_CHECKABLE);
    };
  }

  private static VerificationRequest presence(
      String what,
      Optional<ImageRef> entryRepo,
      Set<SignatureFormat> formats,
      Optional<ImageRef> ruleRepo,
      ImageRef subject) {
    return new VerificationRequest(
        subject, new Authority.Presence(what), entryRepo.or(() -> ruleRepo), formats);
  }

  private static EntryOutcome key(
      AttestorEntry.Key k, Optional<ImageRef> ruleRepo, ImageRef subject, VerdictSource source) {
    VerificationRequest request = request(k, ruleRepo, subject);
    return outcome("key " + k.key().fingerprint() + where(request), request, k.unchecked(), source);
  }

  /**
   * One entry's verdict as an outcome; {@code unchecked} lists requirements of the policy's engine
   * that sigaudit does not verify (a verified signature is then "could not check").
   */
  private static EntryOutcome outcome(
      String who, VerificationRequest request, List<String> unchecked, VerdictSource source) {
    return switch (ask(source, request)) {
      case Verdict.Verified v -> {
        if (!unchecked.isEmpty()) {
          // The signature is necessary but not sufficient: the policy's engine also demands
          // things sigaudit does not verify, so this is "could not check", never a pass.
          yield EntryOutcome.of(
              Result.ERROR,
              who
                  + ": signature verified ("
                  + v.format().label()
                  + "), but could not check that the policy's further requirements hold: "
                  + String.join("; ", unchecked),
              Cause.UNSUPPORTED);
        }
        yield new EntryOutcome(
            Result.PASS,
            who + " (" + v.format().label() + ")",
            List.of(new Evidence(v.format(), v.signer())),
            v.notes(),
            Optional.empty());
      }
      case Verdict.Unsigned u ->
          EntryOutcome.of(
              Result.FAIL, who + ": no signature found" + formats(request), Cause.UNSIGNED);
      case Verdict.Rejected r ->
          EntryOutcome.of(
              Result.FAIL,
              who
                  + ": "
                  + r.reasons().size()
                  + (r.reasons().size() == 1 ? " signature" : " signatures")
                  + " rejected: "
                  + String.join("; ", r.reasons()),
              r.kind());
      case Verdict.CheckError e ->
          EntryOutcome.of(Result.ERROR, who + ": could not check: " + e.cause(), e.kind());
    };
  }

  private static Result combine(List<SetOutcome> sets) {
    if (sets.stream().anyMatch(s -> s.result() == Result.FAIL)) {
      return Result.FAIL;
    }
    if (sets.stream().anyMatch(s -> s.result() == Result.ERROR)) {
      return Result.ERROR;
    }
    return Result.PASS;
  }

  private static VerificationRequest request(
      AttestorEntry.Key k, Optional<ImageRef> ruleRepo, ImageRef subject) {
    return new VerificationRequest(
        subject,
        new Authority.Key(k.key(), k.requireTlog()),
        k.signatureRepository().or(() -> ruleRepo),
        k.formats());
  }

  private static VerificationRequest request(
      AttestorEntry.Keyless k, Optional<ImageRef> ruleRepo, ImageRef subject) {
    return new VerificationRequest(
        subject, new Authority.Keyless(k), k.signatureRepository().or(() -> ruleRepo), k.formats());
  }

  /**
   * For a signature the policy's engine does not read, the formats it does read: signing again with
   * the same key is not enough, the format matters.
   */
  private static Optional<String> formatHint(Check.Signatures check, Optional<Cause> cause) {
    if (cause.filter(c -> c == Cause.BUNDLE_NOT_READ || c == Cause.LEGACY_NOT_READ).isEmpty()) {
      return Optional.empty();
    }
    Set<SignatureFormat> read = EnumSet.noneOf(SignatureFormat.class);
    for (Attestors set : check.attestors()) {
      readFormats(set, read);
    }
    List<String> labels = new ArrayList<>();
    for (SignatureFormat f : SignatureFormat.values()) {
      if (read.contains(f)) {
        labels.add(f.label());
      }
    }
    return labels.isEmpty()
        ? Optional.empty()
        : Optional.of("in a format the policy reads (" + String.join(", ", labels) + ")");
  }

  private static void readFormats(Attestors set, Set<SignatureFormat> out) {
    for (AttestorEntry e : set.entries()) {
      switch (e) {
        case AttestorEntry.Key k -> out.addAll(k.formats());
        case AttestorEntry.SecretKey k -> out.addAll(k.formats());
        case AttestorEntry.Keyless k -> out.addAll(k.formats());
        case AttestorEntry.Unverifiable u -> out.addAll(u.formats());
        case AttestorEntry.Nested n -> readFormats(n.attestors(), out);
        default -> {}
      }
    }
  }

  private static String formats(VerificationRequest r) {
    if (r.acceptsAllFormats()) {
      return "";
    }
    List<String> labels = new ArrayList<>();
    for (SignatureFormat f : SignatureFormat.values()) {
      if (r.formats().contains(f)) {
        labels.add(f.label());
      }
    }
    return " in an accepted format (" + String.join(", ", labels) + ")";
  }

  /** Asks the source; a throwing or silent source is a check that could not run, never a pass. */
  private static Verdict ask(VerdictSource source, VerificationRequest request) {
    try {
      Verdict v = source.verdict(request);
      return v != null ? v : new Verdict.CheckError("no verdict was produced");
    } catch (RuntimeException e) {
      return new Verdict.CheckError("verification failed unexpectedly: " + e);
    }
  }

  private static String where(VerificationRequest r) {
    return r.signatureRepository().map(repo -> " (signatures in " + repo.name() + ")").orElse("");
  }

  static String describe(ImageRef subject) {
    return subject.name() + "@" + subject.digest().shortForm();
  }
}
