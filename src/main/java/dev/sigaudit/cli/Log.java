package dev.sigaudit.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One-line, timestamped log messages on stderr (a CronJob's log is read with kubectl logs). */
final class Log {
  private Log() {}

  static void info(PrintStream out, String format, Object... args) {
    out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + String.format(format, args));
  }
}
