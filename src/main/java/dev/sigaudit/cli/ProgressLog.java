package dev.sigaudit.cli;

import dev.sigaudit.scan.ScanListener;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Periodic progress lines on stderr for long scans: pods listed, digests checked, errors. */
final class ProgressLog implements ScanListener, AutoCloseable {
  private final AtomicInteger pods = new AtomicInteger();
  private final AtomicInteger planned = new AtomicInteger(-1);
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final PrintStream out;
  private final ScheduledExecutorService timer;

  ProgressLog(PrintStream out, int intervalSeconds) {
    this.out = out;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sigaudit-progress");
              t.setDaemon(true);
              return t;
            });
    if (intervalSeconds > 0) {
      timer.scheduleAtFixedRate(this::print, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }
  }

  @Override
  public void podsListed(int count) {
    pods.addAndGet(count);
  }

  @Override
  public void inventoryDone(int podCount, int containers) {
    Log.info(out, "listed %d pods, %d containers", podCount, containers);
  }

  @Override
  public void lookupsPlanned(int distinctDigests) {
    planned.set(distinctDigests);
    Log.info(out, "checking signatures of %d distinct digests", distinctDigests);
  }

  @Override
  public void lookupDone(boolean error) {
    done.incrementAndGet();
    if (error) {
      failed.incrementAndGet();
    }
  }

  @Override
  public void lookupRoundTrips(dev.sigaudit.scan.RoundTrips roundTrips) {
    if (roundTrips.lookups() > 0) {
      Log.info(out, "signatures: sequential registry round trips per lookup: %s", roundTrips);
    }
  }

  @Override
  public void lookupNotes(String image, java.util.List<String> notes) {
    Log.info(out, "signatures of %s: %s", image, String.join("; ", notes));
  }

  @Override
  public void stageDone(String stage, java.time.Duration took) {
    Log.info(out, "%s done in %.1fs", stage, took.toMillis() / 1000.0);
  }

  private void print() {
    if (planned.get() < 0) {
      Log.info(out, "listing pods: %d so far", pods.get());
    } else {
      Log.info(
          out,
          "signatures: %d/%d digests looked up, %d registry errors",
          done.get(),
          planned.get(),
          failed.get());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
