package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.Manifest;
import dev.sigaudit.registry.OciSource;
import dev.sigaudit.registry.ReferrersAnswer;
import dev.sigaudit.registry.RegistryException;
import dev.sigaudit.registry.TagList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * An {@link OciSource} that notes when each of its requests started and answered, to measure a
 * lookup's critical path ({@link RoundTrips}). One instance per lookup; thread-safe, since a
 * lookup's routes run concurrently.
 */
final class TimedSource implements OciSource {
  /** A call that sent {@code exchanges} HTTP exchanges one after another. */
  private record Span(long start, long end, int exchanges) {}

  private final OciSource source;
  private final LongSupplier exchangesOnThisThread;
  private final List<Span> spans = new ArrayList<>();

  /**
   * @param exchangesOnThisThread HTTP exchanges the calling thread has made so far: the registry
   *     client makes its exchanges on the caller's thread, so the difference across a call is what
   *     that call sent — zero for an answer the client already knew (a registry remembered to lack
   *     the referrers API), several for a retry or a token fetch; an answer another thread was
   *     fetching and this one waited for counts too (see {@link
   *     dev.sigaudit.registry.RegistryListener#onAwaited})
   */
  TimedSource(OciSource source, LongSupplier exchangesOnThisThread) {
    this.source = source;
    this.exchangesOnThisThread = exchangesOnThisThread;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws RegistryException;
  }

  private <T> T timed(Call<T> call) throws RegistryException {
    long sentBefore = exchangesOnThisThread.getAsLong();
    long start = System.nanoTime();
    try {
      return call.run();
    } finally {
      note(sentBefore, start);
    }
  }

  private void note(long sentBefore, long start) {
    long end = System.nanoTime();
    int sent = (int) (exchangesOnThisThread.getAsLong() - sentBefore);
    if (sent > 0) {
      synchronized (spans) {
        spans.add(new Span(start, end, sent));
      }
    }
  }

  /**
   * The longest chain of exchanges each started after the previous one answered: the number of
   * sequential round trips this lookup waited for. Calls that overlap in time were concurrent and
   * count once.
   */
  int chain() {
    List<Span> sorted;
    synchronized (spans) {
      sorted = new ArrayList<>(spans);
    }
    sorted.sort(Comparator.comparingLong(Span::start));
    int[] depth = new int[sorted.size()];
    int longest = 0;
    for (int i = 0; i < sorted.size(); i++) {
      int before = 0;
      for (int j = 0; j < i; j++) {
        if (sorted.get(j).end() <= sorted.get(i).start()) {
          before = Math.max(before, depth[j]);
        }
      }
      depth[i] = before + sorted.get(i).exchanges();
      longest = Math.max(longest, depth[i]);
    }
    return longest;
  }

  @Override
  public Manifest manifest(ImageRef repo, Digest digest) throws RegistryException {
    return timed(() -> source.manifest(repo, digest));
  }

  @Override
  public Optional<Manifest> manifestByTag(ImageRef repo, String tag) throws RegistryException {
    return timed(() -> source.manifestByTag(repo, tag));
  }

  @Override
  public byte[] blob(ImageRef repo, Digest digest, long maxBytes) throws RegistryException {
    return timed(() -> source.blob(repo, digest, maxBytes));
  }

  @Override
  public Digest resolveTag(ImageRef ref) throws RegistryException {
    return timed(() -> source.resolveTag(ref));
  }

  /**
   * A repository's tag list is read once per scan: the lookup that reads it counts its pages, one
   * that waited for them counts one round trip, one that came later counts none.
   */
  @Override
  public TagList tags(ImageRef repo) {
    long sentBefore = exchangesOnThisThread.getAsLong();
    long start = System.nanoTime();
    try {
      return source.tags(repo);
    } finally {
      note(sentBefore, start);
    }
  }

  @Override
  public ReferrersAnswer referrers(ImageRef repo, Digest subject) throws RegistryException {
    return timed(() -> source.referrers(repo, subject));
  }
}
