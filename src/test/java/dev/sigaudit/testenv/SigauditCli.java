package dev.sigaudit.testenv;

import dev.sigaudit.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Runs {@code sigaudit} in-process, capturing what it prints. */
public final class SigauditCli {
  private SigauditCli() {}

  /** What one run returned and printed. */
  public record Run(int exitCode, String stdout, String stderr, Duration wall) {}

  public static synchronized Run run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    PrintStream origOut = System.out;
    PrintStream origErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    long t0 = System.nanoTime();
    int exit;
    try {
      exit = Main.run(args);
    } finally {
      System.setOut(origOut);
      System.setErr(origErr);
    }
    Run r =
        new Run(
            exit,
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8),
            Duration.ofNanos(System.nanoTime() - t0));
    origOut.printf(
        "sigaudit %s -> exit %d in %dms%n%s%s%n",
        String.join(" ", args), exit, r.wall().toMillis(), r.stderr(), r.stdout());
    return r;
  }
}
