package dev.sigaudit.policy;

import dev.sigaudit.model.Verdict;

/**
 * Answers signature checks for the evaluator; supplied by the scanner, which does the registry I/O
 * and verification beforehand so that evaluation stays pure.
 */
@FunctionalInterface
public interface VerdictSource {
  /**
   * The verdict for {@code request}. Returns {@link Verdict.CheckError} (never throws) when the
   * check could not be made; an exception or {@code null} is treated the same way.
   */
  Verdict verdict(VerificationRequest request);
}
