package dev.sigaudit.cli;

import dev.sigaudit.report.FinishedScan;
import dev.sigaudit.report.OutputStatus;
import dev.sigaudit.report.ScanOutput;
import dev.sigaudit.scan.VerificationCache;
import java.io.IOException;
import java.nio.file.Path;

/** Saving the verification cache for the next scan, as an output. */
final class CacheOutput implements ScanOutput {
  private final VerificationCache cache;
  private final Path file;

  CacheOutput(VerificationCache cache, Path file) {
    this.cache = cache;
    this.file = file;
  }

  @Override
  public OutputStatus write(FinishedScan scan) {
    try {
      cache.save(file);
      return OutputStatus.written(
          "verification cache",
          String.format("verification cache: %d entries saved to %s", cache.size(), file));
    } catch (IOException e) {
      return OutputStatus.failed(
          "verification cache",
          String.format("saving the verification cache to %s failed: %s", file, e.getMessage()));
    }
  }
}
