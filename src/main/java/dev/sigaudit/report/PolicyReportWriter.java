package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.sigaudit.model.ScanResult;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Writes namespaced {@code wgpolicyk8s.io/v1alpha2} PolicyReports by server-side apply.
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
  static final int MAX_RETRIES = 10;
  static final int WRITE_CONCURRENCY = 8;

  /** What one write did, for logs and metrics. */
  public record Stats(int written, int unchanged, int deleted, List<String> errors) {}

  private final DynamicKubernetesApi reports;
  private final int maxResults;
  private final int maxBytes;
  private final PrintStream dryRun;

  /**
   * @param dryRun when not null, nothing is written: the reports that would be applied or deleted
   *     are printed there instead
   */
  public PolicyReportWriter(ApiClient client, int maxResults, int maxBytes, PrintStream dryRun) {
    this.reports = new DynamicKubernetesApi("wgpolicyk8s.io", "v1alpha2", "policyreports", client);
    this.maxResults = maxResults;
    this.maxBytes = maxBytes;
    this.dryRun = dryRun;
  }

  /**
   * Makes the cluster's sigaudit reports match {@code scan}.
   *
   * @param scanned which namespaces this scan covered; reports elsewhere are left alone
   */
  public Stats write(ScanResult scan, Predicate<String> scanned) {
    List<String> errors = new ArrayList<>();
    Map<String, String> existing = existingHashes(errors);
    if (!errors.isEmpty()) {
      return new Stats(0, 0, 0, errors);
    }
    Set<String> wanted = new HashSet<>();
    List<Runnable> writes = new ArrayList<>();
    AtomicInteger written = new AtomicInteger();
    AtomicInteger deleted = new AtomicInteger();
    int unchanged = 0;
    List<String> failures = java.util.Collections.synchronizedList(errors);
    var byNs = ReportResults.byNamespace(scan.rows(), scan.started());
    for (var e : byNs.entrySet()) {
      String ns = e.getKey();
      for (JsonObject doc : ReportSplitter.split(ns, e.getValue(), maxResults, maxBytes)) {
        String name = doc.getAsJsonObject("metadata").get("name").getAsString();
        String hash =
            doc.getAsJsonObject("metadata").getAsJsonObject("annotations").get(HASH).getAsString();
        wanted.add(ns + "/" + name);
        if (hash.equals(existing.get(ns + "/" + name))) {
          unchanged++;
        } else {
          writes.add(
              () -> {
                if (apply(ns, name, doc, failures)) {
                  written.incrementAndGet();
                }
              });
        }
      }
    }
    for (String key : existing.keySet()) {
      String ns = key.substring(0, key.indexOf('/'));
      if (!wanted.contains(key) && scanned.test(ns)) {
        writes.add(
            () -> {
              if (delete(ns, key.substring(key.indexOf('/') + 1), failures)) {
                deleted.incrementAndGet();
              }
            });
      }
    }
    runConcurrently(writes);
    return new Stats(written.get(), unchanged, deleted.get(), List.copyOf(failures));
  }

  /**
   * Each report is its own object, so writes are independent; a few at a time keeps a scan of
   * hundreds of namespaces from waiting on one round trip after another, without flooding the
   * apiserver (its priority-and-fairness 429s are retried anyway).
   */
  private void runConcurrently(List<Runnable> writes) {
    if (dryRun != null) {
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

  private boolean apply(String ns, String name, JsonObject doc, List<String> errors) {
    if (dryRun != null) {
      dryRun.println("would apply PolicyReport " + ns + "/" + name + ":\n" + doc);
      return true;
    }
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager("sigaudit");
    opts.setForce(true);
    KubernetesApiResponse<DynamicKubernetesObject> r =
        retrying(
            () ->
                reports.patch(
                    ns, name, V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(doc.toString()), opts));
    if (!r.isSuccess()) {
      errors.add("applying PolicyReport " + ns + "/" + name + " failed: " + describe(r));
      return false;
    }
    return true;
  }

  private boolean delete(String ns, String name, List<String> errors) {
    if (dryRun != null) {
      dryRun.println("would delete PolicyReport " + ns + "/" + name);
      return true;
    }
    var r = retrying(() -> reports.delete(ns, name));
    if (!r.isSuccess() && r.getHttpStatusCode() != 404) {
      errors.add("deleting PolicyReport " + ns + "/" + name + " failed: " + describe(r));
      return false;
    }
    return true;
  }

  /** ns/name → content hash of every sigaudit-managed report, with one paged list. */
  private Map<String, String> existingHashes(List<String> errors) {
    Map<String, String> out = new HashMap<>();
    String token = null;
    do {
      ListOptions opts = new ListOptions();
      opts.setLabelSelector(MANAGED_BY + "=" + NAME);
      opts.setLimit(500);
      opts.setContinue(token);
      var r = retrying(() -> reports.list(opts));
      if (!r.isSuccess()) {
        errors.add("listing PolicyReports failed: " + describe(r));
        return out;
      }
      for (DynamicKubernetesObject o : r.getObject().getItems()) {
        var meta = o.getMetadata();
        String hash =
            meta.getAnnotations() == null ? "" : meta.getAnnotations().getOrDefault(HASH, "");
        out.put(meta.getNamespace() + "/" + meta.getName(), hash);
      }
      token = r.getObject().getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    return out;
  }

  /**
   * Retries 429 answers: the apiserver sends them while a CRD's storage is (re)initializing and
   * under API priority and fairness limits, and asks the client to come back a second later.
   */
  private static <T extends io.kubernetes.client.common.KubernetesType>
      KubernetesApiResponse<T> retrying(
          java.util.function.Supplier<KubernetesApiResponse<T>> call) {
    KubernetesApiResponse<T> r = call.get();
    for (int i = 0; i < MAX_RETRIES && r.getHttpStatusCode() == 429; i++) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
      r = call.get();
    }
    return r;
  }

  private static String describe(KubernetesApiResponse<?> r) {
    var s = r.getStatus();
    return r.getHttpStatusCode() + (s == null ? "" : " " + s.getReason() + ": " + s.getMessage());
  }

  /** Builds the report documents of one namespace. */
  static final class ReportSplitter {
    private ReportSplitter() {}

    static List<JsonObject> split(
        String ns, List<ReportResults.Entry> entries, int maxResults, int maxBytes) {
      List<List<JsonObject>> chunks = new ArrayList<>();
      List<JsonObject> current = new ArrayList<>();
      int bytes = 0;
      for (var e : entries) {
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
      List<JsonObject> docs = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        docs.add(document(ns, i == 0 ? NAME : NAME + "-" + (i + 1), chunks.get(i)));
      }
      return docs;
    }

    private static JsonObject document(String ns, String name, List<JsonObject> results) {
      JsonArray arr = new JsonArray();
      JsonObject summary = new JsonObject();
      for (String k : List.of("pass", "fail", "warn", "error", "skip")) {
        summary.addProperty(k, 0);
      }
      for (JsonObject r : results) {
        arr.add(r);
        String k = r.get("result").getAsString();
        summary.addProperty(k, summary.get(k).getAsInt() + 1);
      }
      JsonObject doc = new JsonObject();
      doc.addProperty("apiVersion", "wgpolicyk8s.io/v1alpha2");
      doc.addProperty("kind", "PolicyReport");
      JsonObject meta = new JsonObject();
      meta.addProperty("name", name);
      meta.addProperty("namespace", ns);
      JsonObject labels = new JsonObject();
      labels.addProperty(MANAGED_BY, NAME);
      meta.add("labels", labels);
      JsonObject annotations = new JsonObject();
      annotations.addProperty(HASH, ContentHash.of(arr));
      meta.add("annotations", annotations);
      doc.add("metadata", meta);
      doc.add("summary", summary);
      doc.add("results", arr);
      return doc;
    }
  }
}
