package dev.sigaudit.policy;

import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Judges a {@link Check.Signatures} with three-valued logic: a check that could not run is unknown,
 * not a failure.
 *
 * <p>For one set needing {@code n} of its entries, with {@code v} verified and {@code e} that could
 * not be checked: PASS if {@code v >= n}; FAIL if {@code v + e < n} (even if every unknown entry
 * had verified, too few would have); otherwise ERROR. Sets combine with AND: any FAIL is FAIL
 * (decided whatever the unknowns), else any ERROR is ERROR, else PASS.
 */
final class SignatureEvaluation {
  private SignatureEvaluation() {}

  static Outcome evaluate(Check.Signatures check, AuditTarget target, VerdictSource source) {
    var digest = target.digest();
    if (digest.isEmpty()) {
      return new Outcome(
          Result.ERROR,
          "cannot check signatures of "
              + target.image()
              + ": its running digest is unknown and the spec names no digest",
          List.of());
    }
    ImageRef subject = target.image().atDigest(digest.get());
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
    if (result == Result.PASS) {
      sets.forEach(s -> evidence.addAll(s.evidence()));
    }
    return new Outcome(
        result, describe(subject) + ": " + head + String.join("; ", parts), evidence);
  }

  /**
   * Every request the check makes for {@code subject}, in the order {@link #evaluate} makes them.
   */
  static List<VerificationRequest> requests(Check.Signatures check, ImageRef subject) {
    List<VerificationRequest> out = new ArrayList<>();
    for (Attestors set : check.attestors()) {
      for (AttestorEntry entry : set.entries()) {
        out.add(request(entry, check.signatureRepository(), subject));
      }
    }
    return out;
  }

  private record SetOutcome(Result result, String message, List<Evidence> evidence) {}

  private static SetOutcome evaluateSet(
      Attestors set, Optional<ImageRef> ruleRepo, ImageRef subject, VerdictSource source) {
    List<String> verified = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    for (AttestorEntry entry : set.entries()) {
      VerificationRequest request = request(entry, ruleRepo, subject);
      String who = "key " + request.key().fingerprint() + where(request);
      switch (ask(source, request)) {
        case Verdict.Verified v -> {
          verified.add(who + " (" + v.format().label() + ")");
          evidence.add(new Evidence(v.format(), v.signer()));
        }
        case Verdict.Unsigned u -> failed.add(who + ": no signature found");
        case Verdict.Rejected r ->
            failed.add(
                who
                    + ": "
                    + r.reasons().size()
                    + (r.reasons().size() == 1 ? " signature" : " signatures")
                    + " rejected: "
                    + String.join("; ", r.reasons()));
        case Verdict.CheckError e -> unknown.add(who + ": could not check: " + e.cause());
      }
    }
    int v = verified.size();
    int e = unknown.size();
    int n = set.count();
    Result result = v >= n ? Result.PASS : v + e < n ? Result.FAIL : Result.ERROR;
    StringBuilder msg =
        new StringBuilder()
            .append(v)
            .append(" of ")
            .append(set.entries().size())
            .append(set.entries().size() == 1 ? " key" : " keys")
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
    return new SetOutcome(result, msg.toString(), evidence);
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
      AttestorEntry entry, Optional<ImageRef> ruleRepo, ImageRef subject) {
    return switch (entry) {
      case AttestorEntry.Key k ->
          new VerificationRequest(subject, k.key(), k.signatureRepository().or(() -> ruleRepo));
    };
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
