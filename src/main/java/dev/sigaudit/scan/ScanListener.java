package dev.sigaudit.scan;

import java.util.List;

/**
 * Progress of a scan, for logs and metrics. Methods may be called from many threads; the defaults
 * do nothing, so a listener implements only what it needs.
 */
public interface ScanListener {
  ScanListener NOOP = new ScanListener() {};

  default void podsListed(int count) {}

  default void inventoryDone(int pods, int containers) {}

  default void lookupsPlanned(int distinctDigests) {}

  default void lookupDone(boolean failed) {}

  /**
   * The signatures stage is over: how many sequential registry round trips each looked-up digest
   * waited for (what registry latency multiplies).
   */
  default void lookupRoundTrips(RoundTrips roundTrips) {}

  /**
   * What a lookup of {@code image} ({@code repository@digest}) skipped or found odd: malformed
   * layers, signatures for another subject, a second failure. Diagnostics, not results.
   */
  default void lookupNotes(String image, List<String> notes) {}

  /**
   * A stage finished: {@code inventory}, {@code plan}, {@code signatures}, {@code verification}
   * (not in inventory mode), {@code evaluation}.
   */
  default void stageDone(String stage, java.time.Duration took) {}
}
