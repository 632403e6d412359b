package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The normalization of the demo's outputs: what varies between runs goes, what is judged stays. */
class DemoExamplesTest {
  private static final String IMAGE_DIGEST =
      "sha256:d0fbd2a2bd722b81a1033a318f12df886092a40eb3981d0889abd9b87c063859";
  private final DemoExamples.Normalizer n =
      new DemoExamples.Normalizer(
          Map.of(
              "127.0.0.1:40887", "registry.demo:5000", "127.0.0.1:36879", "referrers.demo:5000"));

  @Test
  void textReplacesPortsIdsTimesAndSignatureDigestsButKeepsImageDigests() {
    String s =
        "e2eb8c59-79bf-4e52-bb04-cad1b7bc7556,2026-12-03T10:11:12.345Z,127.0.0.1:40887/demo/a@"
            + IMAGE_DIGEST
            + ": 1 signature rejected: legacy-sig sha256:9818c41b98dd: bad; bundle-referrer"
            + " sha256:aca63d65f821 from 127.0.0.1:36879";
    assertThat(n.text(s))
        .isEqualTo(
            "00000000-0000-0000-0000-000000000000,2026-01-01T00:00:00Z,registry.demo:5000/demo/a@"
                + IMAGE_DIGEST
                + ": 1 signature rejected: legacy-sig sha256:<signature>: bad; bundle-referrer"
                + " sha256:<signature> from referrers.demo:5000");
  }

  @Test
  void csvKeepsTheHeaderFirstAndSortsTheRows() {
    assertThat(n.csv("scan_id,pod\nx,b\nx,a\n")).isEqualTo("scan_id,pod\nx,a\nx,b\n");
  }

  @Test
  void metricsFixTheRunsOwnGaugesAndSortEachFamilyAfterReplacingPorts() {
    String in =
        """
        # TYPE sigaudit_results gauge
        sigaudit_results{registry="127.0.0.1:40887"} 2.0
        sigaudit_results{registry="127.0.0.1:36879"} 1.0
        # TYPE sigaudit_scan_duration_seconds gauge
        sigaudit_scan_duration_seconds 2.216
        # TYPE sigaudit_pods gauge
        sigaudit_pods 6.0
        """;
    assertThat(n.metrics(in))
        .isEqualTo(
            """
            # TYPE sigaudit_results gauge
            sigaudit_results{registry="referrers.demo:5000"} 1.0
            sigaudit_results{registry="registry.demo:5000"} 2.0
            # TYPE sigaudit_scan_duration_seconds gauge
            sigaudit_scan_duration_seconds 0
            # TYPE sigaudit_pods gauge
            sigaudit_pods 6.0
            """);
  }

  @Test
  void summaryDropsResourceUsageAndFixesTheWallTime() {
    String in =
        """

        sigaudit scan e2eb8c59-79bf-4e52-bb04-cad1b7bc7556 — cluster demo — 6 pods, 18 registry requests, 2.2s
        resources: cpu 5.6s, peak heap 53 MiB
        POLICY  PASS
        """;
    assertThat(n.summary(in))
        .isEqualTo(
            "sigaudit scan 00000000-0000-0000-0000-000000000000 — cluster demo — 6 pods, 18"
                + " registry requests, 1.0s\nPOLICY  PASS\n");
  }

  @Test
  void reportsLoseApiserverBookkeepingAndKeepResultsInAStableOrder() throws Exception {
    var report =
        new ObjectMapper()
            .readTree(
                """
                {"kind":"PolicyReport","metadata":{"name":"sigaudit-deployment-web","namespace":"shop","uid":"u",
                  "resourceVersion":"42","creationTimestamp":"2026-12-03T10:00:00Z","managedFields":[{}],
                  "annotations":{"sigaudit.dev/content-hash":"da2f"}},
                 "scope":{"kind":"Deployment","name":"web","namespace":"shop"},
                 "results":[
                  {"policy":"p","rule":"r","result":"fail","timestamp":{"seconds":1764756000,"nanos":5},
                   "properties":{"container":"z"}},
                  {"policy":"p","rule":"r","result":"pass","timestamp":{"seconds":1764756000,"nanos":5},
                   "properties":{"container":"a"}}]}
                """);
    assertThat(n.report(report))
        .isEqualTo(
            """
            kind: PolicyReport
            metadata:
              name: sigaudit-deployment-web
              namespace: shop
              annotations:
                sigaudit.dev/content-hash: <content-hash>
            scope:
              kind: Deployment
              name: web
              namespace: shop
            results:
            - policy: p
              rule: r
              result: pass
              timestamp:
                nanos: 0
                seconds: 0
              properties:
                container: a
            - policy: p
              rule: r
              result: fail
              timestamp:
                nanos: 0
                seconds: 0
              properties:
                container: z
            """);
  }
}
