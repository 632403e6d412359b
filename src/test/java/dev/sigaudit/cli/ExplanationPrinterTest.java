package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.scan.Explanation;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.TestKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What {@code verify} and {@code explain} print for each stage's answer. */
class ExplanationPrinterTest {
  static final ImageRef APP = ImageRef.parse("registry.test/acme/app:1.0");
  static final Digest DIGEST = Digests.of("app");
  static final Digest SIG_MANIFEST = Digests.of("sig-manifest");
  static final Digest BUNDLE_MANIFEST = Digests.of("bundle-manifest");

  final dev.sigaudit.model.TrustedKey key = TestKeys.p256().trustedKey();

  static RunningContainer container(String pod) {
    return new RunningContainer(
        new WorkloadRef("apps/v1", "Deployment", "shop", "app", "uid"),
        pod,
        Map.of(),
        "app",
        ContainerType.REGULAR,
        APP.toString(),
        Optional.of(APP),
        Optional.empty(),
        Optional.empty(),
        Optional.of("no imageID"),
        "default",
        List.of());
  }

  static Finding finding(Result result, String message) {
    return new Finding(
        "ClusterPolicy/require-release",
        "release-key",
        result,
        message,
        Severity.MEDIUM,
        "Image Signatures",
        "kyverno",
        List.of());
  }

  String print(List<Explanation.Container> containers, List<String> problems) {
    var bytes = new ByteArrayOutputStream();
    ScanResult result =
        new ScanResult("id", "c", Instant.EPOCH, Duration.ZERO, 1, 1, 3, List.of(), problems);
    new ExplanationPrinter(
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Map.of(
                "ClusterPolicy/require-release",
                "Kyverno ClusterPolicy from policies.yaml document 1"))
        .print(new Explanation(result, containers));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  Explanation.Container rejected(String pod) {
    var legacy =
        new SignatureCandidate.Legacy(
            SIG_MANIFEST,
            new byte[] {1},
            "c2ln",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    var bundle =
        new SignatureCandidate.Bundle(
            BUNDLE_MANIFEST, new byte[] {2}, SignatureFormat.BUNDLE_REFERRER);
    var found =
        new Discovery.Found(
            List.of(legacy, bundle),
            List.of("skipped a layer of another media type"),
            new SignatureState(Map.of(SignatureRoute.LEGACY_TAG, "t")));
    var request =
        new VerificationRequest(
            APP.atDigest(DIGEST),
            new Authority.Key(key),
            Optional.empty(),
            java.util.Set.of(SignatureFormat.LEGACY_TAG));
    var verdict =
        new Verdict.Rejected(
            List.of("legacy-sig " + SIG_MANIFEST.shortForm() + ": signature does not verify"));
    var signers =
        List.of(
            new InventorySignature(
                SignatureFormat.LEGACY_TAG,
                "key (a .sig signature does not name its key)",
                Optional.empty(),
                false,
                false,
                Optional.empty()),
            new InventorySignature(
                SignatureFormat.BUNDLE_REFERRER,
                "keyless:dev@example.com",
                Optional.of("https://accounts.example.com"),
                true,
                true,
                Optional.empty()));
    RunningContainer c = container(pod);
    return new Explanation.Container(
        c,
        "tag-resolved",
        Optional.of(APP.atDigest(DIGEST)),
        Optional.empty(),
        List.of(
            new Explanation.Lookup(
                APP.atDigest(DIGEST),
                found,
                signers,
                List.of(new Explanation.CheckVerdict(request, verdict)))),
        List.of(
            new AuditRow(
                c,
                finding(Result.FAIL, "not signed as required"),
                Optional.of(APP.atDigest(DIGEST)),
                "tag-resolved")));
  }

  @Test
  void everyStageIsPrintedInPipelineOrder() {
    String out = print(List.of(rejected("app-1")), List.of());

    assertThat(out)
        .contains("container app (regular) image " + APP)
        .contains(
            "digest: " + DIGEST + " (resolved: tag 1.0 names this digest in the registry now)")
        .contains("signatures in " + APP.atDigest(DIGEST) + ": 2 found")
        .contains(
            "1. legacy-sig "
                + SIG_MANIFEST.shortForm()
                + " via the legacy .sig tag; signer: key (a .sig signature does not name its key)")
        .contains(
            "2. bundle-referrer "
                + BUNDLE_MANIFEST.shortForm()
                + " via the referrers API; signer: keyless:dev@example.com (issuer"
                + " https://accounts.example.com)")
        .contains("note: skipped a layer of another media type")
        .contains("[legacy-sig only]: rejected, no signature verified:")
        .contains("- legacy-sig " + SIG_MANIFEST.shortForm() + ": signature does not verify")
        .contains("FAIL  ClusterPolicy/require-release rule release-key: not signed as required")
        .contains("(Kyverno ClusterPolicy from policies.yaml document 1)");
    assertThat(out.indexOf("digest:")).isLessThan(out.indexOf("signatures in"));
    assertThat(out.indexOf("signatures in")).isLessThan(out.indexOf("checks:"));
    assertThat(out.indexOf("checks:")).isLessThan(out.indexOf("verdicts:"));
  }

  @Test
  void replicasRunningTheSameImageArePrintedOnce() {
    String out = print(List.of(rejected("app-1"), rejected("app-2")), List.of());

    assertThat(out.split("container app ", -1)).hasSize(2);
  }

  @Test
  void policyProblemsComeFirst() {
    String out =
        print(List.of(rejected("app-1")), List.of("policy error: p.yaml: document 2: kind: bad"));

    assertThat(out).startsWith("problems:\n  policy error: p.yaml: document 2: kind: bad");
  }

  @Test
  void eachVerdictSaysWhatItMeans() {
    var signer = new dev.sigaudit.model.Signer("SHA256:abc", Optional.empty());

    assertThat(
            ExplanationPrinter.verdict(
                new Verdict.Verified(SignatureFormat.BUNDLE_FALLBACK_TAG, signer, DIGEST)))
        .isEqualTo("verified (bundle-fallback-tag, signed by SHA256:abc)");
    assertThat(ExplanationPrinter.verdict(new Verdict.Unsigned()))
        .isEqualTo("not signed: no signature found");
    assertThat(ExplanationPrinter.verdict(new Verdict.CheckError("401 Unauthorized")))
        .isEqualTo("could not check: 401 Unauthorized");
    assertThat(ExplanationPrinter.route(SignatureFormat.BUNDLE_FALLBACK_TAG))
        .isEqualTo("the referrers fallback tag");
    assertThat(AttestorEntry.ALL_FORMATS).hasSize(SignatureFormat.values().length);
  }

  @Test
  void aPresenceCheckSaysItOnlyAsksWhetherAnySignatureExists() {
    var presence =
        new VerificationRequest(
            APP.atDigest(DIGEST),
            new Authority.Presence("the KMS key gcpkms://k"),
            Optional.empty(),
            java.util.Set.of(SignatureFormat.LEGACY_TAG));

    assertThat(ExplanationPrinter.check(presence))
        .isEqualTo("presence of any signature (for the KMS key gcpkms://k) [legacy-sig only]");
  }

  @Test
  void anImageWithoutDigestSaysWhyNothingWasChecked() {
    RunningContainer c = container("p");
    var unchecked =
        new Explanation.Container(
            c,
            "unresolved",
            Optional.empty(),
            Optional.of("resolving tag " + APP + " failed: manifest unknown"),
            List.of(),
            List.of(
                new AuditRow(
                    c, finding(Result.ERROR, "could not check"), Optional.empty(), "unresolved")));

    String out = print(List.of(unchecked), List.of());

    assertThat(out)
        .contains("digest: none checked: resolving tag " + APP + " failed: manifest unknown")
        .contains("ERROR ClusterPolicy/require-release rule release-key: could not check");
  }
}
