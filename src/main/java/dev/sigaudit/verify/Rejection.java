package dev.sigaudit.verify;

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

  Rejection(String message) {
    super(message, null, false, false);
  }
}
