package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestPods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The verification cache across runs, against a real registry and real cosign signatures: reuse
 * without downloading signatures, and no stale pass when a signature is deleted.
 */
@RealEnvironment
class VerificationCacheIT {

  @Test
  void cachedVerdictsFollowSignaturesThatAreDeletedOrAdded(TestEnvironment env, KubeApiServer kube)
      throws Exception {
    OciRegistry registry = env.distributionRegistry();
    RegistryHttp http = new RegistryHttp(registry);
    Path dir = env.newDirectory("cache-");
    var v2 = env.cosignV2();
    var v3 = env.cosignV3();
    v2.generateKeyPair(dir, "k");
    var legacy = TestImages.push(registry, "cache/legacy", "1");
    v2.sign(dir.resolve("k.key"), legacy.byDigest()).requireSuccess("sign legacy");
    var bundle = TestImages.push(registry, "cache/bundle", "1");
    v3.sign(dir.resolve("k.key"), bundle.byDigest()).requireSuccess("sign bundle");
    var later = TestImages.push(registry, "cache/later", "1");

    String ns = kube.createNamespace("cache", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    for (var img : List.of(legacy, bundle, later)) {
      String name = img.repository().replace("cache/", "");
      pods.create(ns, name, Map.of("app", img.byTag()));
      pods.reportRunning(ns, name, Map.of("app", img.imageId()));
    }
    CsvScan.keyPolicy(dir, "k");
    String[] args = CsvScan.cachedKeyPolicyScan(ns, dir, registry.hostPort());

    var cold = CsvScan.scan(kube, dir, args);
    assertThat(results(dir))
        .containsEntry("legacy", "pass")
        .containsEntry("bundle", "pass")
        .containsEntry("later", "fail");
    assertThat(Files.exists(dir.resolve("cache.json"))).isTrue();

    long logBefore = Files.readAllLines(registry.log()).size();
    var warm = CsvScan.scan(kube, dir, args);
    List<String> warmRequests =
        Files.readAllLines(registry.log())
            .subList((int) logBefore, Files.readAllLines(registry.log()).size());
    assertThat(results(dir))
        .containsEntry("legacy", "pass")
        .containsEntry("bundle", "pass")
        .containsEntry("later", "fail");
    assertThat(requests(warm.stdout())).as("cheap checks only").isLessThan(requests(cold.stdout()));
    // legacy pass: HEAD .sig; bundle pass: the referrers API (404), HEAD fallback tag; fail: the
    // referrers API and the repository's tag list, which lists neither of its tags: no HEAD
    assertThat(requests(warm.stdout())).isEqualTo(1 + 2 + 2);
    assertThat(warmRequests).anyMatch(l -> l.contains("GET /v2/cache/later/tags/list"));
    assertThat(warmRequests).noneMatch(l -> l.contains("HEAD /v2/cache/later/"));
    assertThat(warmRequests).noneMatch(l -> l.contains("GET /v2/cache/") && l.contains("/blobs/"));

    // The legacy signature is deleted: the cached pass must not survive.
    Digest sigManifest =
        Digest.sha256(
            http.manifest(
                "cache/legacy", legacy.digest().tagForm() + ".sig", RegistryHttp.OCI_MANIFEST));
    http.deleteManifest("cache/legacy", sigManifest);
    // A signature appears for the unsigned image: the cached fail must not survive either.
    v2.sign(dir.resolve("k.key"), later.byDigest()).requireSuccess("sign later");
    CsvScan.scan(kube, dir, args);
    assertThat(results(dir))
        .containsEntry("legacy", "fail")
        .containsEntry("bundle", "pass")
        .containsEntry("later", "pass");
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
