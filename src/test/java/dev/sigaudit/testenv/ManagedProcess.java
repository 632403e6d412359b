package dev.sigaudit.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A child process started by the test environment, with its output in a log file. Only processes
 * started here are ever stopped here.
 */
final class ManagedProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ManagedProcess start(
      String name, List<String> command, Path logDir, Map<String, String> env) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    ManagedProcess p = new ManagedProcess(name, pb.start(), log);
    Runtime.getRuntime().addShutdownHook(new Thread(p::close, "stop-" + name));
    return p;
  }

  /** Polls {@code ready} until it holds, failing with the log's tail if the process dies first. */
  void awaitReady(Duration timeout, BooleanSupplier ready) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (ready.getAsBoolean()) {
          return;
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + name, e);
      }
    }
    throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail());
  }

  Path log() {
    return log;
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
