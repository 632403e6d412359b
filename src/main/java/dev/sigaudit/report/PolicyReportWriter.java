package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sigaudit.model.ApiAccess;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ScanResult;
import io.kubernetes.client.openapi.ApiClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Writes sigaudit's namespaced reports (by default {@code wgpolicyk8s.io/v1alpha2} PolicyReports)
 * through the shared {@link ReportApplier}.
 *
 * <ul>
 *   <li>A report whose results did not change is not rewritten: each report carries a hash of its
 *       content (timestamps excluded) in an annotation, compared with one list call per scan.
 *   <li>A namespace's results are split into reports of at most {@code maxResults} results and
 *       {@code maxBytes} bytes (etcd rejects objects over ~1.5 MiB).
 *   <li>sigaudit's reports in scanned namespaces that are no longer wanted are deleted, so results
 *       of workloads that are gone disappear and an empty namespace loses its report.
 * </ul>
 */
public final class PolicyReportWriter {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String HASH = "sigaudit.dev/content-hash";
  static final String NAME = "sigaudit";
  static final int WRITE_CONCURRENCY = 16;

  /**
   * What one write did, for logs and metrics.
   *
   * @param written writes that created or replaced a report, {@code writtenEarly} of them while the
   *     scan ran: a report written then and corrected at the end (a lookup the deadline cut short)
   *     counts twice, as it was written twice
   */
  public record Stats(
      int written, int unchanged, int deleted, List<String> errors, int writtenEarly) {}

  private final ReportApplier applier;
  private final ReportFlavor flavor;
  private final int maxResults;
  private final int maxBytes;

  /**
   * PolicyReports through a writer of their own.
   *
   * @param dryRun when not null, nothing is written: the reports that would be applied or deleted
   *     are printed there instead
   */
  public PolicyReportWriter(ApiClient client, int maxResults, int maxBytes, PrintStream dryRun) {
    this(
        new ReportApplier(client, Optional.ofNullable(dryRun)),
        ReportFlavor.POLICY_REPORT,
        maxResults,
        maxBytes);
  }

  /**
   * @param flavor a namespaced report flavor
   */
  public PolicyReportWriter(
      ReportApplier applier, ReportFlavor flavor, int maxResults, int maxBytes) {
    if (!flavor.namespaced()) {
      throw new IllegalArgumentException(flavor.kind() + " is not namespaced");
    }
    this.applier = applier;
    this.flavor = flavor;
    this.maxResults = maxResults;
    this.maxBytes = maxBytes;
  }

  /**
   * What writing reports of {@code flavor} does with the API: one {@code list} per scan (metadata
   * only) finds unchanged and stale reports; a new report is a {@code create}, a changed one an
   * {@code update} of the listed version (a server-side apply, {@code patch}, when it changed since
   * the list); {@code delete} removes stale ones. Never {@code get}.
   */
  public static ApiAccess access(ReportFlavor flavor) {
    return ApiAccess.of(
        flavor.group(), flavor.plural(), "list", "create", "update", "patch", "delete");
  }

  /** The kind written, for log lines. */
  public String kind() {
    return flavor.kind();
  }

  /** Whether reports are printed instead of written. */
  public boolean dryRun() {
    return applier.dryRun();
  }

  /**
   * Makes the cluster's sigaudit reports match {@code scan}, all of them written now.
   *
   * @param scanned which namespaces this scan covered; reports elsewhere are left alone
   */
  public Stats write(ScanResult scan, Predicate<String> scanned) {
    return session().finish(scan, scanned);
  }

  /**
   * The writing of one scan's reports, which can start while the scan still runs: {@link
   * Session#offer} writes a workload's reports as soon as its results are final, {@link
   * Session#finish} then makes everything match the scan's result.
   */
  public Session session() {
    return new Session();
  }

  /** One scan's reports being written; see {@link #session()}. */
  public final class Session {
    private final Object lock = new Object();
    private final Semaphore permits = new Semaphore(WRITE_CONCURRENCY);
    private final Map<String, Decided> decided = new ConcurrentHashMap<>();
    private final AtomicInteger writtenEarly = new AtomicInteger();
    private final Map<String, Offered> offered = new ConcurrentHashMap<>();
    private ExecutorService early;
    private CompletableFuture<Listing> listing;
    private boolean finishing;

    private Session() {}

    /**
     * Writes the reports of one workload whose results are final ({@code rows}: all of its rows),
     * in the background, {@value #WRITE_CONCURRENCY} at a time. The scan's one list of reports is
     * taken at the first offer. A write that fails here is tried again by {@link #finish}; a dry
     * run prints everything there, in order.
     */
    public void offer(Instant started, List<AuditRow> rows) {
      if (applier.dryRun() || rows.isEmpty()) {
        return;
      }
      List<JsonObject> docs = new ArrayList<>();
      for (var w : ReportResults.byWorkload(rows, started)) {
        docs.addAll(ReportSplitter.split(flavor, w, maxResults, maxBytes));
      }
      synchronized (lock) {
        if (finishing) {
          return; // finish writes it with the rest
        }
        if (early == null) {
          early = Executors.newVirtualThreadPerTaskExecutor();
          listing = CompletableFuture.supplyAsync(PolicyReportWriter.this::list, early);
        }
        CompletableFuture<Listing> listed = listing;
        docs.forEach(doc -> early.submit(() -> writeEarly(doc, listed)));
        offered.put(
            rows.get(0).container().workload().identity(),
            new Offered(rows, docs.stream().map(d -> new DocRef(key(d), hash(d))).toList()));
      }
    }

    /** Whether an early write left {@code doc} in the cluster as it is. */
    private boolean decidedAs(DocRef doc) {
      Decided d = decided.get(doc.key());
      return d != null && d.hash().equals(doc.hash());
    }

    private void writeEarly(JsonObject doc, CompletableFuture<Listing> listed) {
      permits.acquireUninterruptibly();
      try {
        Listing l = listed.join();
        if (l.error().isPresent()) {
          return; // finish lists again and reports the error
        }
        String key = key(doc);
        String hash = hash(doc);
        Listed then = l.existing().get(key);
        if (then != null && hash.equals(then.hash())) {
          decided.put(key, new Decided(hash, false));
          return;
        }
        Optional<String> error =
            then == null
                ? applier.create(flavor, doc)
                : applier.replace(flavor, doc, then.resourceVersion());
        if (error.isEmpty()) {
          decided.put(key, new Decided(hash, true));
          writtenEarly.incrementAndGet();
        }
      } finally {
        permits.release();
      }
    }

    /**
     * Waits for the reports offered so far, then writes each of {@code scan}'s reports that is not
     * already as the result says (the deadline may have cut a lookup short after its workload was
     * offered, and a failed early write is tried again) and deletes sigaudit's reports of workloads
     * gone from the scanned namespaces.
     *
     * @param scanned which namespaces this scan covered; reports elsewhere are left alone
     */
    public Stats finish(ScanResult scan, Predicate<String> scanned) {
      ExecutorService ex;
      CompletableFuture<Listing> listed;
      synchronized (lock) {
        finishing = true;
        ex = early;
        listed = listing;
      }
      if (ex != null) {
        ex.close(); // waits for the early writes
      }
      Listing l = usable(listed).orElseGet(PolicyReportWriter.this::list);
      if (l.error().isPresent()) {
        return new Stats(0, 0, 0, List.of(l.error().get()), 0);
      }
      Map<String, Listed> existing = l.existing();
      Set<String> wanted = new HashSet<>();
      List<Runnable> writes = new ArrayList<>();
      AtomicInteger written = new AtomicInteger(writtenEarly.get());
      AtomicInteger deleted = new AtomicInteger();
      int unchanged = 0;
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      // A workload whose rows are those offered has the reports built then: only their content
      // hashes are compared, without building them again.
      List<AuditRow> rebuild = new ArrayList<>();
      for (List<AuditRow> rows : byWorkload(scan.rows())) {
        Offered then = offered.get(rows.get(0).container().workload().identity());
        // Not when an early write failed: it is tried again below.
        if (then == null
            || !scan.inventory().isEmpty()
            || !then.rows().equals(rows)
            || !then.docs().stream().allMatch(this::decidedAs)) {
          rebuild.addAll(rows);
          continue;
        }
        for (DocRef doc : then.docs()) {
          wanted.add(doc.key());
          unchanged += decided.get(doc.key()).written() ? 0 : 1;
        }
      }
      for (var w : ReportResults.byWorkload(rebuild, scan.inventory(), scan.started())) {
        for (JsonObject doc : ReportSplitter.split(flavor, w, maxResults, maxBytes)) {
          String key = key(doc);
          String hash = hash(doc);
          wanted.add(key);
          Decided before = decided.get(key);
          Listed then = existing.get(key);
          if (before != null && before.hash().equals(hash)) {
            unchanged += before.written() ? 0 : 1;
          } else if (then == null) {
            writes.add(() -> count(applier.create(flavor, doc), written, failures));
          } else if (before == null && hash.equals(then.hash())) {
            unchanged++;
          } else {
            // Written differently during the scan, the listed version is stale: the replacement
            // conflicts and is applied instead.
            writes.add(
                () ->
                    count(applier.replace(flavor, doc, then.resourceVersion()), written, failures));
          }
        }
      }
      // A report written during the scan and wanted no longer (its workload's results split
      // differently at the end) is deleted as a listed one is.
      Set<String> ours = new HashSet<>(existing.keySet());
      decided.forEach((key, d) -> ours.add(key));
      for (String key : ours) {
        String ns = key.substring(0, key.indexOf('/'));
        if (!wanted.contains(key) && scanned.test(ns)) {
          String name = key.substring(key.indexOf('/') + 1);
          writes.add(() -> count(applier.delete(flavor, ns, name), deleted, failures));
        }
      }
      runConcurrently(writes);
      return new Stats(
          written.get(), unchanged, deleted.get(), List.copyOf(failures), writtenEarly.get());
    }
  }

  /** The list taken during the scan, unless it failed (then the writer lists again). */
  private static Optional<Listing> usable(CompletableFuture<Listing> listed) {
    if (listed == null) {
      return Optional.empty();
    }
    try {
      Listing l = listed.join();
      return l.error().isPresent() ? Optional.empty() : Optional.of(l);
    } catch (java.util.concurrent.CompletionException e) {
      return Optional.empty();
    }
  }

  /** A workload's rows as offered during the scan, and the reports built from them. */
  private record Offered(List<AuditRow> rows, List<DocRef> docs) {}

  /** A report by {@code namespace/name}, with its content hash. */
  private record DocRef(String key, String hash) {}

  /** {@code rows} grouped by workload ({@link dev.sigaudit.model.WorkloadRef#identity()}). */
  private static java.util.Collection<List<AuditRow>> byWorkload(List<AuditRow> rows) {
    Map<String, List<AuditRow>> grouped = new java.util.LinkedHashMap<>();
    for (AuditRow r : rows) {
      grouped.computeIfAbsent(r.container().workload().identity(), k -> new ArrayList<>()).add(r);
    }
    return grouped.values();
  }

  /** What an early write found or did: the content it left, and whether it wrote it. */
  private record Decided(String hash, boolean written) {}

  /** The scan's one list of sigaudit's reports, or why it failed. */
  private record Listing(Map<String, Listed> existing, Optional<String> error) {}

  private Listing list() {
    Map<String, Listed> existing = new HashMap<>();
    Optional<String> error =
        applier.listMetadata(flavor, MANAGED_BY + "=" + NAME, o -> remember(o, existing));
    return new Listing(Map.copyOf(existing), error);
  }

  private static String key(JsonObject doc) {
    JsonObject meta = doc.getAsJsonObject("metadata");
    return meta.get("namespace").getAsString() + "/" + meta.get("name").getAsString();
  }

  private static String hash(JsonObject doc) {
    return doc.getAsJsonObject("metadata").getAsJsonObject("annotations").get(HASH).getAsString();
  }

  /** A report as the list showed it: its content hash and the version a replacement updates. */
  private record Listed(String hash, String resourceVersion) {}

  private static void remember(ReportApplier.Listed o, Map<String, Listed> listed) {
    listed.put(
        o.namespace() + "/" + o.name(),
        new Listed(o.annotations().getOrDefault(HASH, ""), o.resourceVersion()));
  }

  private static void count(Optional<String> error, AtomicInteger done, List<String> failures) {
    error.ifPresentOrElse(failures::add, done::incrementAndGet);
  }

  /**
   * Each report is its own object, so writes are independent; {@value #WRITE_CONCURRENCY} at a time
   * keeps a scan of thousands of workloads from waiting on one round trip after another, without
   * flooding the apiserver (its priority-and-fairness 429s are retried anyway). On the benchmark's
   * apiserver 16 in flight created 2,200 reports in 5.3–6.3 s against 6.0–10.5 s with 8, and 32
   * gained little more ({@code ReportWriteBenchmark}, docs/benchmarks.md).
   */
  private void runConcurrently(List<Runnable> writes) {
    if (applier.dryRun()) {
      writes.forEach(Runnable::run); // keep the printed order stable
      return;
    }
    Semaphore permits = new Semaphore(WRITE_CONCURRENCY);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Runnable w : writes) {
        permits.acquireUninterruptibly();
        pool.submit(
            () -> {
              try {
                w.run();
              } finally {
                permits.release();
              }
            });
      }
    }
  }

  /**
   * The name of a workload's report: {@code sigaudit-KIND-NAME} (lowercase kind), which is a valid
   * object name since the workload's name is one. A name too long to carry the kind, the prefix and
   * a split suffix is cut and made unique with a hash of the full one.
   */
  static String reportName(dev.sigaudit.model.WorkloadRef w) {
    String name = NAME + "-" + w.kind().toLowerCase(java.util.Locale.ROOT) + "-" + w.name();
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash =
        dev.sigaudit.model.Digest.sha256(name.getBytes(StandardCharsets.UTF_8))
            .hex()
            .substring(0, HASH_CHARS);
    String cut = name.substring(0, MAX_NAME - HASH_CHARS - 1).replaceAll("[.-]+$", "");
    return cut + "-" + hash;
  }

  /** Object names are at most 253 characters; room is left for a split suffix ({@code -99}). */
  static final int MAX_NAME = 240;

  private static final int HASH_CHARS = 10;

  /** Builds the report documents of one workload. */
  static final class ReportSplitter {
    private ReportSplitter() {}

    static List<JsonObject> split(
        ReportFlavor flavor, ReportResults.WorkloadResults w, int maxResults, int maxBytes) {
      List<List<JsonObject>> chunks = new ArrayList<>();
      List<JsonObject> current = new ArrayList<>();
      int bytes = 0;
      for (var e : w.entries()) {
        int size = e.result().toString().getBytes(StandardCharsets.UTF_8).length;
        if (!current.isEmpty() && (current.size() >= maxResults || bytes + size > maxBytes)) {
          chunks.add(current);
          current = new ArrayList<>();
          bytes = 0;
        }
        current.add(e.result());
        bytes += size;
      }
      if (!current.isEmpty()) {
        chunks.add(current);
      }
      String base = reportName(w.workload());
      List<JsonObject> docs = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        JsonArray results = new JsonArray();
        chunks.get(i).forEach(results::add);
        docs.add(
            ReportDocument.build(
                flavor,
                i == 0 ? base : base + "-" + (i + 1),
                Optional.of(w.workload().namespace()),
                Map.of(MANAGED_BY, NAME),
                Map.of(HASH, ContentHash.of(results)),
                Optional.of(ReportResults.objectRef(w.workload())),
                results));
      }
      return docs;
    }
  }
}
