package dev.sigaudit.scan;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How many <em>sequential</em> registry round trips the signature lookups of a scan took: for each
 * looked-up digest, the longest chain of requests each of which started only after the previous one
 * had answered (concurrent requests count once). With the registry 50 ms away, a digest cannot be
 * checked in less than that many times 50 ms, whatever the concurrency: this, not the number of
 * requests, is what latency multiplies.
 *
 * @param digests lookups by the length of their longest chain
 */
public record RoundTrips(SortedMap<Integer, Long> digests) {
  public static final RoundTrips NONE = new RoundTrips(new TreeMap<>());

  public RoundTrips {
    digests = new TreeMap<>(digests);
  }

  /** From chain lengths, one per lookup. */
  static RoundTrips of(Iterable<Integer> chains) {
    SortedMap<Integer, Long> h = new TreeMap<>();
    chains.forEach(c -> h.merge(c, 1L, Long::sum));
    return new RoundTrips(h);
  }

  public long lookups() {
    return digests.values().stream().mapToLong(Long::longValue).sum();
  }

  public double mean() {
    long n = lookups();
    return n == 0
        ? 0
        : digests.entrySet().stream().mapToDouble(e -> (double) e.getKey() * e.getValue()).sum()
            / n;
  }

  public int max() {
    return digests.isEmpty() ? 0 : digests.lastKey();
  }

  /** E.g. {@code mean 2.20, max 3 (1×200, 2×600, 3×200)}. */
  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "mean %.2f, max %d (%s)",
        mean(),
        max(),
        digests.entrySet().stream()
            .map((Map.Entry<Integer, Long> e) -> e.getKey() + "×" + e.getValue())
            .collect(Collectors.joining(", ")));
  }
}
