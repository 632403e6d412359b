package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sigaudit.model.ApiAccess;
import dev.sigaudit.model.ScanResult;
import io.kubernetes.client.openapi.ApiClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /** What one write did, for logs and metrics. */
  public record Stats(int written, int unchanged, int deleted, List<String> errors) {}

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
   * Makes the cluster's sigaudit reports match {@code scan}.
   *
   * @param scanned which namespaces this scan covered; reports elsewhere are left alone
   */
  public Stats write(ScanResult scan, Predicate<String> scanned) {
    Map<String, Listed> existing = new HashMap<>();
    Optional<String> listError =
        applier.listMetadata(flavor, MANAGED_BY + "=" + NAME, o -> remember(o, existing));
    if (listError.isPresent()) {
      return new Stats(0, 0, 0, List.of(listError.get()));
    }
    Set<String> wanted = new HashSet<>();
    List<Runnable> writes = new ArrayList<>();
    AtomicInteger written = new AtomicInteger();
    AtomicInteger deleted = new AtomicInteger();
    int unchanged = 0;
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    for (var w : ReportResults.byWorkload(scan.rows(), scan.inventory(), scan.started())) {
      String ns = w.workload().namespace();
      for (JsonObject doc : ReportSplitter.split(flavor, w, maxResults, maxBytes)) {
        String name = doc.getAsJsonObject("metadata").get("name").getAsString();
        String hash =
            doc.getAsJsonObject("metadata").getAsJsonObject("annotations").get(HASH).getAsString();
        wanted.add(ns + "/" + name);
        Listed then = existing.get(ns + "/" + name);
        if (then == null) {
          writes.add(() -> count(applier.create(flavor, doc), written, failures));
        } else if (hash.equals(then.hash())) {
          unchanged++;
        } else {
          writes.add(
              () -> count(applier.replace(flavor, doc, then.resourceVersion()), written, failures));
        }
      }
    }
    for (String key : existing.keySet()) {
      String ns = key.substring(0, key.indexOf('/'));
      if (!wanted.contains(key) && scanned.test(ns)) {
        String name = key.substring(key.indexOf('/') + 1);
        writes.add(() -> count(applier.delete(flavor, ns, name), deleted, failures));
      }
    }
    runConcurrently(writes);
    return new Stats(written.get(), unchanged, deleted.get(), List.copyOf(failures));
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
