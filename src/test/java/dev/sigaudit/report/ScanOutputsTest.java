package dev.sigaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanOutputsTest {
  private static final FinishedScan SCAN =
      new FinishedScan(
          Rows.scan(List.of(Rows.row("ns", "web", "web-1", "ghcr.io/a/web:1", Result.FAIL, "m"))),
          List.of(),
          List.of());

  @Test
  void writesEveryOutputInOrderEvenAfterOneFailed() {
    List<String> log = new ArrayList<>();
    List<String> calls = new ArrayList<>();
    var statuses =
        ScanOutputs.writeAll(
            List.of(
                fixed(calls, OutputStatus.failed("first", "first failed: disk full")),
                fixed(calls, OutputStatus.written("second", "wrote second"))),
            SCAN,
            log::add);

    assertThat(calls).containsExactly("first", "second");
    assertThat(log).containsExactly("first failed: disk full", "wrote second");
    assertThat(statuses).extracting(OutputStatus::ok).containsExactly(false, true);
    assertThat(ScanOutputs.allWritten(statuses)).isFalse();
  }

  @Test
  void everyOutputWrittenIsAllWritten() {
    var statuses =
        ScanOutputs.writeAll(List.of(s -> OutputStatus.written("a", "wrote a")), SCAN, line -> {});
    assertThat(ScanOutputs.allWritten(statuses)).isTrue();
  }

  @Test
  void laterOutputsSeeTheFailedReportWritesBeforeThem() {
    List<Integer> seen = new ArrayList<>();
    ScanOutputs.writeAll(
        List.of(
            s ->
                new OutputStatus("PolicyReports", true, List.of(), List.of("a failed", "b failed")),
            s -> OutputStatus.failed("results.csv", "not a report"),
            s -> {
              seen.add(s.reportErrors());
              return OutputStatus.written("metrics", "pushed");
            }),
        SCAN,
        line -> {});
    assertThat(seen).as("only report writes count").containsExactly(2);
  }

  @Test
  void aCsvDirectoryThatIsAFileFailsThatOutputWithItsPath(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    var status = CsvOutput.results(file).write(SCAN);
    assertThat(status.ok()).isFalse();
    assertThat(status.errors())
        .singleElement()
        .asString()
        .startsWith("writing results.csv to " + file + " failed: ");
  }

  @Test
  void aCsvOutputNamesTheFileItWrote(@TempDir Path tmp) {
    var status = CsvOutput.results(tmp).write(SCAN);
    assertThat(status.ok()).isTrue();
    assertThat(status.notes()).containsExactly("wrote " + tmp.resolve("results.csv"));
    assertThat(tmp.resolve("results.csv")).exists();
  }

  @Test
  void aMetricsFileThatCannotBeWrittenFailsThatOutput(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("blocked"));
    Path file = dir.resolve("sub/metrics.prom"); // parent does not exist
    Files.writeString(dir.resolve("sub"), "a file where the directory should be");
    var status = MetricsOutput.file(file, "c", java.time.Clock.systemUTC()).write(SCAN);
    assertThat(status.ok()).isFalse();
    assertThat(status.errors())
        .singleElement()
        .asString()
        .startsWith("publishing metrics to metrics file " + file + " failed: ");
  }

  private static ScanOutput fixed(List<String> calls, OutputStatus status) {
    return s -> {
      calls.add(status.output());
      return status;
    };
  }
}
