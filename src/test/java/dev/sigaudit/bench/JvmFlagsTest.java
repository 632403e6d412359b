package dev.sigaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark measures sigaudit started as users start it: the JVM flags it adds are the ones the
 * container image (jib's {@code jvmFlags}) and the {@code bin/sigaudit} launcher use.
 */
class JvmFlagsTest {
  @Test
  void theBenchmarkStartsTheJvmLikeTheImageAndTheLauncher() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    String launcher = Files.readString(Path.of("bin/sigaudit"));
    assertThat(ScaleRun.PRODUCT_JVM_FLAGS).isNotEmpty();
    for (String flag : ScaleRun.PRODUCT_JVM_FLAGS) {
      assertThat(pom).contains("<jvmFlag>" + flag + "</jvmFlag>");
      assertThat(launcher).contains("${SIGAUDIT_JAVA_OPTS-" + flag + "}");
    }
  }
}
