package dev.sigaudit.report;

import com.google.gson.JsonObject;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Result;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How much a new PolicyReport costs the apiserver written by server-side apply and by a plain
 * create, side by side on a private apiserver (docs/benchmarks.md, "Writing PolicyReports"). Not
 * part of the suite (its name does not end in IT):
 *
 * <pre>
 * scripts/test -Dit.test=ReportWriteBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>Each round writes {@code sigaudit.bench.reports} (default 1,000) one-workload reports into
 * fresh namespaces, 8 at a time as {@link PolicyReportWriter} does, alternating the two ways so
 * that the shared machine's load falls on both ({@code -Dsigaudit.bench.ways=create@8,create@32}
 * compares other ways or numbers in flight, {@code -Dsigaudit.bench.rounds} sets the rounds); it
 * prints the wall time and the CPU the apiserver and its etcd used (from /proc: the youngest
 * kube-apiserver and etcd processes are the private ones).
 */
@RealEnvironment
class ReportWriteBenchmark {
  @Test
  void applyAgainstCreate(TestEnvironment env) throws Exception {
    KubeApiServer kube = env.startPrivateKube();
    var client = kube.adminClient();
    int n = Integer.getInteger("sigaudit.bench.reports", 1000);
    var applier = new ReportApplier(client, Optional.empty());
    int rounds = Integer.getInteger("sigaudit.bench.rounds", 3);
    List<String> ways =
        List.of(System.getProperty("sigaudit.bench.ways", "server-side apply,create").split(","));
    for (int round = 0; round < rounds; round++) {
      for (String wayAndWidth : ways) {
        // "create@32": the way, and how many writes are in flight (default: the writer's).
        String way = wayAndWidth.split("@")[0];
        int width =
            wayAndWidth.contains("@")
                ? Integer.parseInt(wayAndWidth.split("@")[1])
                : PolicyReportWriter.WRITE_CONCURRENCY;
        List<JsonObject> docs = reports(kube, n);
        AtomicInteger errors = new AtomicInteger();
        long cpu0 = apiserverCpuMillis();
        long t0 = System.nanoTime();
        Semaphore permits = new Semaphore(width);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (JsonObject doc : docs) {
            permits.acquireUninterruptibly();
            pool.submit(
                () -> {
                  try {
                    boolean ok =
                        way.equals("create")
                            ? applier.create(ReportFlavor.POLICY_REPORT, doc).isEmpty()
                            : applier.apply(ReportFlavor.POLICY_REPORT, doc).isEmpty();
                    if (!ok) {
                      errors.incrementAndGet();
                    }
                  } finally {
                    permits.release();
                  }
                });
          }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long cpu = apiserverCpuMillis() - cpu0;
        System.out.printf(
            "round %d, %-20s: %d reports in %d ms (%.0f/s), apiserver+etcd CPU %d ms (%.2f ms"
                + " per report), %d errors [load %s]%n",
            round + 1,
            wayAndWidth,
            docs.size(),
            ms,
            docs.size() * 1000.0 / ms,
            cpu,
            cpu / (double) docs.size(),
            errors.get(),
            Files.readString(Path.of("/proc/loadavg")).trim());
      }
    }
  }

  private static List<JsonObject> reports(KubeApiServer kube, int n) {
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      namespaces.add(kube.createNamespaceUnchecked("bench"));
    }
    List<AuditRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(
          Rows.row(
              namespaces.get(i % namespaces.size()),
              "w" + i,
              "w" + i + "-1",
              "ghcr.io/acme/w" + i + ":1",
              i % 3 == 0 ? Result.FAIL : Result.PASS,
              "a message of typical length for workload " + i));
    }
    List<JsonObject> docs = new ArrayList<>();
    for (var w : ReportResults.byWorkload(rows, Instant.now())) {
      docs.addAll(
          PolicyReportWriter.ReportSplitter.split(ReportFlavor.POLICY_REPORT, w, 1000, 1 << 20));
    }
    return docs;
  }

  private static long apiserverCpuMillis() throws Exception {
    long total = 0;
    for (String comm : List.of("kube-apiserver", "etcd")) {
      Process p =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  "ps -eo pid,etimes,comm --sort=etimes | awk '$3 ~ /^"
                      + comm
                      + "/ {print $1; exit}'")
              .start();
      String pid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // 100 ticks a second
    }
    return total;
  }
}
