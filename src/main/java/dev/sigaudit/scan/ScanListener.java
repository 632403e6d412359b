package dev.sigaudit.scan;

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

  /** A stage finished: {@code inventory}, {@code tags}, {@code signatures}, {@code evaluation}. */
  default void stageDone(String stage, java.time.Duration took) {}
}
