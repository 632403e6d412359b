package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A warm scan of unchanged digests against the real registries: one tag list per repository stands
 * for the signature-tag HEADs of every unsigned digest, and a signature added since the cache was
 * written is still found. Request counts are read from the scan's own count and from the registry's
 * access log.
 */
@RealEnvironment
class TagListWarmIT {
  /** Unsigned digests of the repository, besides one signed with a .sig and one signed later. */
  private static final int UNSIGNED = 4;

  @Test
  void distributionWarmScanOfUnchangedDigests(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    Counts warm = warmScan(env, kube, env.distributionRegistry(), "tl-dist");
    // The HEAD of the signed digest's .sig tag, one tag list for the fallback and .sig tags of
    // all unsigned digests, and the referrers API's 404 (remembered for the registry once it
    // answered: lookups in flight before that each ask once). Before: two HEADs per unsigned
    // digest.
    assertThat(warm.tagLists()).isEqualTo(1);
    assertThat(warm.unsignedHeads()).isZero();
    assertThat(warm.referrers()).isBetween(1L, UNSIGNED + 1L);
    assertThat(warm.total()).isEqualTo(1 + 1 + warm.referrers());
  }

  @Test
  void referrersApiRegistryWarmScanOfUnchangedDigests(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    Counts warm = warmScan(env, kube, env.referrersRegistry(), "tl-ggcr");
    // The referrers API answers each unsigned digest's bundle route (one request each, as
    // before); one tag list answers the .sig route of all of them. Before: two requests each.
    assertThat(warm.tagLists()).isEqualTo(1);
    assertThat(warm.unsignedHeads()).isZero();
    assertThat(warm.referrers()).isEqualTo(UNSIGNED + 1L);
    assertThat(warm.total()).isEqualTo(1 + 1 + (UNSIGNED + 1));
  }

  /** Requests of one scan: all of them, and those of the access log that matter here. */
  record Counts(long total, long tagLists, long unsignedHeads, long referrers) {}

  private Counts warmScan(TestEnvironment env, KubeApiServer kube, OciRegistry registry, String ns0)
      throws Exception {
    Path dir = env.newDirectory(ns0 + "-");
    var v2 = env.cosignV2();
    v2.generateKeyPair(dir, "k");
    String repo = ns0 + "/app";
    var signed = TestImages.push(registry, repo, "signed");
    v2.sign(dir.resolve("k.key"), signed.byDigest()).requireSuccess("sign");
    List<TestImages.Pushed> unsigned = new ArrayList<>();
    for (int i = 0; i < UNSIGNED; i++) {
      unsigned.add(TestImages.push(registry, repo, "u" + i));
    }
    var later = TestImages.push(registry, repo, "later");

    String ns = kube.createNamespace(ns0, Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    Map<String, TestImages.Pushed> byPod = new HashMap<>();
    byPod.put("signed", signed);
    byPod.put("later", later);
    for (int i = 0; i < UNSIGNED; i++) {
      byPod.put("u" + i, unsigned.get(i));
    }
    for (var e : byPod.entrySet()) {
      pods.create(ns, e.getKey(), Map.of("app", e.getValue().byTag()));
      pods.reportRunning(ns, e.getKey(), Map.of("app", e.getValue().imageId()));
    }
    CsvScan.keyPolicy(dir, "k");
    String[] args = CsvScan.cachedKeyPolicyScan(ns, dir, registry.hostPort());

    CsvScan.scan(kube, dir, args);
    Map<String, String> cold = results(dir);
    assertThat(cold).containsEntry("signed", "pass").containsEntry("later", "fail");

    int logBefore = Files.readAllLines(registry.log()).size();
    var warm = CsvScan.scan(kube, dir, args);
    List<String> log = Files.readAllLines(registry.log());
    List<String> warmLog = log.subList(logBefore, log.size());
    assertThat(results(dir)).isEqualTo(cold);
    long total = requests(warm.stdout());
    long digests = byPod.size();
    System.out.printf(
        "%s warm: %d registry requests for %d unchanged digests (%.2f per digest)%n",
        registry, total, digests, (double) total / digests);
    List<String> unsignedTags = new ArrayList<>();
    unsigned.forEach(u -> unsignedTags.add(u.digest().tagForm()));
    unsignedTags.add(later.digest().tagForm());
    Counts counts =
        new Counts(
            total,
            warmLog.stream().filter(l -> l.contains("/v2/" + repo + "/tags/list")).count(),
            warmLog.stream()
                .filter(l -> l.contains("HEAD") && unsignedTags.stream().anyMatch(l::contains))
                .count(),
            warmLog.stream().filter(l -> l.contains("/v2/" + repo + "/referrers/")).count());

    // A signature appears for an unsigned digest: its tag is listed, read, and the cached fail
    // does not survive.
    v2.sign(dir.resolve("k.key"), later.byDigest()).requireSuccess("sign later");
    CsvScan.scan(kube, dir, args);
    assertThat(results(dir)).containsEntry("later", "pass").containsEntry("u0", "fail");
    return counts;
  }

  private static long requests(String stdout) {
    Matcher m = Pattern.compile("(\\d+) registry requests").matcher(stdout);
    assertThat(m.find()).as(stdout).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static Map<String, String> results(Path dir) throws Exception {
    Map<String, String> out = new HashMap<>();
    CsvScan.rows(dir.resolve("results.csv"))
        .forEach(rec -> out.put(rec.get("workload_name"), rec.get("status")));
    return out;
  }
}
