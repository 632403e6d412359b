package dev.sigaudit.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code cosign} CLI, the reference signer and verifier sigaudit must agree with. Runs
 * with an empty key password and its own HOME, so nothing of the developer's is read or written.
 */
public final class CosignCli {
  private final Path binary;
  private final int major;
  private final Path home;

  CosignCli(Path binary, int major, Path home) {
    this.binary = binary;
    this.major = major;
    this.home = home;
  }

  public int major() {
    return major;
  }

  public Path binary() {
    return binary;
  }

  /** Result of one cosign invocation. */
  public record Run(int exitCode, String output) {
    public Run requireSuccess(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + output);
      }
      return this;
    }
  }

  /** Generates {@code <dir>/<name>.key} and {@code <dir>/<name>.pub} (P-256, empty password). */
  public Path generateKeyPair(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    run(dir, List.of("generate-key-pair", "--output-key-prefix", name))
        .requireSuccess("cosign generate-key-pair");
    return dir.resolve(name + ".pub");
  }

  /** Runs {@code cosign ARGS…} in {@code workDir}. */
  public Run run(Path workDir, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().put("COSIGN_PASSWORD", "");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("COSIGN_YES", "true");
    Process p = pb.start();
    p.getOutputStream().close();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("cosign " + args + " timed out");
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "cosign v" + major + " (" + binary + ")";
  }
}
