package dev.sigaudit.verify;

import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import java.util.Objects;

/**
 * The verdict for one trusted key, so that a policy can count how many of its keys signed ("at
 * least N of these keys").
 */
record KeyVerdict(TrustedKey key, Verdict verdict) {
  public KeyVerdict {
    Objects.requireNonNull(key);
    Objects.requireNonNull(verdict);
  }
}
