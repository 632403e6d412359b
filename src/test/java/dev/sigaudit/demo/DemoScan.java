package dev.sigaudit.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code sigaudit scan} the way a user does: the launcher {@code bin/sigaudit} when the tree
 * has one, else the packaged {@code target/sigaudit.jar} in its own JVM — never in-process, so the
 * demo exercises the artifact people run.
 */
final class DemoScan {
  /** One scan: exit code, the terminal summary (stdout) and the log (stderr). */
  record Result(int exitCode, String stdout, String stderr, Duration wall) {}

  /** Where the scan wrote its files. */
  record Outputs(Path dir) {
    Path resultsCsv() {
      return dir.resolve("results.csv");
    }

    Path readinessCsv() {
      return dir.resolve("enforce-readiness.csv");
    }

    Path metrics() {
      return dir.resolve("metrics.prom");
    }
  }

  private DemoScan() {}

  static List<String> command(Path projectRoot) {
    Path launcher = projectRoot.resolve("bin/sigaudit");
    if (Files.isExecutable(launcher)) {
      return List.of(launcher.toString());
    }
    Path jar = projectRoot.resolve("target/sigaudit.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with mvn -o -q package -DskipTests (scripts/demo does)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-jar", jar.toString());
  }

  static Result run(Path projectRoot, DemoCluster.Built cluster, Outputs outputs)
      throws IOException, InterruptedException {
    Files.createDirectories(outputs.dir());
    List<String> cmd = new ArrayList<>(command(projectRoot));
    cmd.addAll(
        List.of(
            "scan",
            "--kubeconfig",
            cluster.kubeconfig().toString(),
            "--policy",
            cluster.policyFile().toString(),
            "--cluster-name",
            "demo",
            "--csv-dir",
            outputs.dir().toString(),
            "--metrics-file",
            outputs.metrics().toString(),
            "--insecure-registry",
            cluster.distribution().hostPort(),
            "--insecure-registry",
            cluster.referrers().hostPort(),
            "--progress-interval",
            "0"));
    Path stdout = outputs.dir().resolve("scan.out");
    Path stderr = outputs.dir().resolve("scan.log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(projectRoot.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    pb.environment().remove("KUBECONFIG");
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("sigaudit scan did not finish in 5 minutes; its log: " + stderr);
    }
    return new Result(
        p.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8),
        Duration.ofNanos(System.nanoTime() - t0));
  }
}
