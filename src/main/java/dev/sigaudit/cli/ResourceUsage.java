package dev.sigaudit.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the scan cost this process: CPU time, peak heap, peak resident memory. Printed with the
 * summary so that CronJob requests and limits can be sized from measurements.
 */
record ResourceUsage(double cpuSeconds, long peakHeapBytes, Optional<Long> peakRssBytes) {

  static ResourceUsage now() {
    double cpu = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      cpu = os.getProcessCpuTime() / 1e9;
    }
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    return new ResourceUsage(cpu, heap, peakRss());
  }

  /** VmHWM of /proc/self/status (Linux): the resident set's high-water mark. */
  private static Optional<Long> peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux, or no procfs: leave it out.
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return String.format(
        "cpu %.1fs, peak heap %d MiB%s",
        cpuSeconds,
        peakHeapBytes >> 20,
        peakRssBytes.map(r -> ", peak RSS " + (r >> 20) + " MiB").orElse(""));
  }
}
