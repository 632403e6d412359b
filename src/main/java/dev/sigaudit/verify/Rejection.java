package dev.sigaudit.verify;

import dev.sigaudit.model.Cause;

/**
 * Why one signature candidate does not verify. Thrown inside this package while checking a
 * candidate and turned into a reason string at the candidate's boundary, so that bad input from a
 * registry never escapes as an exception.
 *
 * <p>Checked on purpose: every parse step must either handle it or declare it. No stack trace is
 * recorded because the message is the whole story and rejections are routine.
 */
final class Rejection extends Exception {
  private static final long serialVersionUID = 1L;

  /** What this rejection means for the image, when it is more than "signature rejected". */
  private final transient Cause kind;

  Rejection(String message) {
    this(message, Cause.SIGNATURE_REJECTED);
  }

  Rejection(String message, Cause kind) {
    super(message, null, false, false);
    this.kind = kind;
  }

  Cause kind() {
    return kind;
  }
}
