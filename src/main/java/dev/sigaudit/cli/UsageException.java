package dev.sigaudit.cli;

/**
 * The command line or configuration cannot be used (exit code {@link ExitCodes#USAGE}). The message
 * is one line naming the flag or file and what is wrong with it.
 */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }

  /** A flag whose value is out of range or malformed. */
  static UsageException flag(String flag, String problem, Object value) {
    return new UsageException(flag + ": " + problem + " (got " + value + ")");
  }
}
