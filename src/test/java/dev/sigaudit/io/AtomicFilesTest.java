package dev.sigaudit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writtenFilesHaveThePermissionsTheUmaskGivesAnyNewFile() throws Exception {
    Path reference = dir.resolve("reference");
    Files.newOutputStream(reference, StandardOpenOption.CREATE_NEW).close();
    Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);

    Path target = dir.resolve("results.csv");
    AtomicFiles.write(target, out -> out.write("a,b\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(expected);
    // Under the usual umask (022) that is readable by the group and others, as exports must be.
    assertThat(expected).contains(PosixFilePermission.OWNER_READ);
  }

  @Test
  void replacesTheOldContentAndLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("metrics.prom");
    AtomicFiles.write(target, out -> out.write(1));
    AtomicFiles.write(target, out -> out.write(new byte[] {2, 3}));

    assertThat(Files.readAllBytes(target)).containsExactly(2, 3);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws Exception {
    Path target = dir.resolve("cache.json");
    AtomicFiles.write(target, out -> out.write(7));

    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write(8);
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");

    assertThat(Files.readAllBytes(target)).containsExactly(7);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }
}
