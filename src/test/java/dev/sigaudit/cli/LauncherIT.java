package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Quickstart's launcher, {@code bin/sigaudit}, on a machine whose default {@code java} is older
 * than 21 (this project's machines: Debian's 17, with a newer JDK beside it): it finds a JDK that
 * can run the jar by itself, whatever {@code PATH} and {@code JAVA_HOME} say.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("bin", "sigaudit");

  /** A JDK older than 21 on this machine, if there is one (the default java of our machines). */
  private static Path oldJdk() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return null;
    }
    try (Stream<Path> s = Files.list(jvms)) {
      return s.filter(p -> Files.isExecutable(p.resolve("bin/java")))
          .filter(p -> p.getFileName().toString().matches(".*(-|jdk)1[1-7][.-].*|.*-17-.*"))
          .findFirst()
          .orElse(null);
    }
  }

  private static Run launch(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  record Run(int exit, String output) {}

  @Test
  void runsTheJarWithAJdkOf21OrNewerWhenTheDefaultJavaIsOlder() throws Exception {
    assertThat(Path.of("target", "sigaudit.jar")).as("built by mvn package").exists();
    Path old = oldJdk();
    String path = (old == null ? "" : old.resolve("bin") + ":") + "/usr/bin:/bin";

    Run run = launch(Map.of("PATH", path), "--version");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).startsWith("sigaudit ");
    assertThat(run.output()).doesNotContain("UnsupportedClassVersionError");
  }

  @Test
  void anOldJavaHomeIsPassedOverForOneThatCanRunTheJar() throws Exception {
    Path old = oldJdk();
    Map<String, String> env =
        old == null ? Map.of() : Map.of("JAVA_HOME", old.toString(), "PATH", "/usr/bin:/bin");

    Run run = launch(env, "scan", "--help");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("Usage: sigaudit scan");
  }
}
