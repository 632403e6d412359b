package dev.sigaudit.signature;

/**
 * Bounds on what one discovery reads, so a hostile or broken repository cannot make the scanner
 * download without end.
 *
 * @param maxEntries layers of a {@code .sig} manifest, or referrers, considered per route
 * @param maxBlobBytes size limit of one signature payload or bundle
 */
public record DiscoveryLimits(int maxEntries, long maxBlobBytes) {
  /** 64 entries, 1 MiB per payload/bundle (real ones are a few KiB). */
  public static final DiscoveryLimits DEFAULT = new DiscoveryLimits(64, 1L << 20);

  public DiscoveryLimits {
    if (maxEntries < 1 || maxBlobBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
