package dev.sigaudit.policy.cip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.FakeVerdicts;
import dev.sigaudit.policy.Fixtures;
import dev.sigaudit.policy.PodInfo;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyEvaluator;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Translated ClusterImagePolicies judging containers, end to end through the evaluator. */
class CipEvaluationTest {
  private static final TrustedKey RELEASE = Fixtures.key("release");
  private static final TrustedKey OTHER = Fixtures.key("other");
  private static final Digest RUNNING = Digest.sha256("app".getBytes());
  private static final Map<String, String> OPTED_IN = Map.of("policy.sigstore.dev/include", "true");

  private final FakeVerdicts verdicts = new FakeVerdicts();
  private final PolicyEvaluator evaluator = new PolicyEvaluator(verdicts);

  private static List<Policy> policies(String... fixtures) {
    return new CipTranslator(Fixtures.KEYS)
        .translate(Arrays.stream(fixtures).map(f -> Fixtures.object("cip/" + f + ".json")).toList())
        .policies();
  }

  private static AuditTarget target(
      Map<String, String> nsLabels, String image, Map<String, String> podLabels) {
    return new AuditTarget(
        "shop",
        nsLabels,
        ImageRef.parse(image),
        Optional.of(RUNNING),
        PodInfo.of("web-1", podLabels, ContainerType.REGULAR, image));
  }

  private List<org.assertj.core.groups.Tuple> judge(List<Policy> p, AuditTarget t) {
    return evaluator.evaluate(p, t).stream()
        .map(f -> tuple(f.policy(), f.rule(), f.result()))
        .toList();
  }

  @Test
  void anyAuthorityThatVerifiesPassesEvenBesideAStaticFail() {
    List<Policy> p = policies("authorities");
    AuditTarget t = target(OPTED_IN, "ghcr.io/acme/team/app:1", Map.of("tier", "frontend"));

    // Unsigned: no authority can verify, whatever the Secret's key is (policy-controller fails).
    assertThat(judge(p, t))
        .containsExactly(tuple("ClusterImagePolicy/acme-release", "authorities", Result.FAIL));
    assertThat(evaluator.evaluate(p, t).get(0).message())
        .contains("key in Secret cosign-system/backup-key (its only entry): no signature found");

    // Signed by someone: the Secret's key might be theirs.
    verdicts.signed(RUNNING, OTHER);
    assertThat(judge(p, t))
        .containsExactly(tuple("ClusterImagePolicy/acme-release", "authorities", Result.ERROR));
    Finding unsure = evaluator.evaluate(p, t).get(0);
    assertThat(unsure.message())
        .contains("0 of 3 entries verified, 1 required, 1 could not be checked")
        .contains("key in Secret cosign-system/backup-key (its only entry): could not check")
        .contains("static fail: authority break-glass rejects every image");

    verdicts.signed(RUNNING, RELEASE);
    assertThat(judge(p, t))
        .containsExactly(tuple("ClusterImagePolicy/acme-release", "authorities", Result.PASS));
    assertThat(verdicts.asked)
        .filteredOn(
            r -> r.key().filter(k -> k.fingerprint().equals(RELEASE.fingerprint())).isPresent())
        .extracting(r -> r.signatureRepository().orElseThrow().name())
        .containsOnly("ghcr.io/acme/signatures");
  }

  @Test
  void withNoAuthorityThatCanPassTheImageFails() {
    List<Policy> p = policies("seed-require-cosign-keypair");
    AuditTarget t = target(OPTED_IN, "ghcr.io/sf-matt/hello-flask-signed:v1", Map.of());

    assertThat(judge(p, t))
        .containsExactly(
            tuple("ClusterImagePolicy/require-cosign-keypair", "authorities", Result.FAIL));
  }

  @Test
  void aKeyedBundleIsNotWhatPolicyControllerReads() {
    List<Policy> p = policies("seed-require-cosign-keypair");
    TrustedKey seed = Fixtures.KEYS.parse(seedKey());
    verdicts.signed(RUNNING, seed, SignatureFormat.BUNDLE_REFERRER);

    Finding f =
        evaluator
            .evaluate(p, target(OPTED_IN, "ghcr.io/sf-matt/hello-flask-signed:v1", Map.of()))
            .get(0);

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.message()).contains("a signature format the policy does not read");
  }

  @Test
  void onlyOptedInNamespacesAreJudged() {
    List<Policy> p = policies("seed-require-cosign-keypair");

    assertThat(evaluator.evaluate(p, target(Map.of(), "ghcr.io/sf-matt/hello-flask:1", Map.of())))
        .isEmpty();
    assertThat(
            evaluator.evaluate(
                p,
                target(
                    Map.of("policy.sigstore.dev/include", "false"),
                    "ghcr.io/sf-matt/hello-flask:1",
                    Map.of())))
        .isEmpty();
  }

  @Test
  void anImageNoPolicyMatchesFailsTheNoMatchPolicyAndOnlyThatOne() {
    List<Policy> p = policies("seed-require-cosign-keypair", "authorities");

    assertThat(judge(p, target(OPTED_IN, "quay.io/other/app:1", Map.of())))
        .containsExactly(
            tuple("ClusterImagePolicy/require-cosign-keypair", "", Result.SKIP),
            tuple(CipTranslator.NO_MATCH_POLICY, "no-match-policy", Result.FAIL));
    // Matched by a glob, but the policy's match[] does not select this Pod: still no match.
    assertThat(judge(p, target(OPTED_IN, "ghcr.io/acme/app:1", Map.of("tier", "backend"))))
        .containsExactly(
            tuple("ClusterImagePolicy/require-cosign-keypair", "", Result.SKIP),
            tuple(CipTranslator.NO_MATCH_POLICY, "no-match-policy", Result.FAIL));
    // Matched: the no-match policy says nothing.
    assertThat(judge(p, target(OPTED_IN, "ghcr.io/sf-matt/hello-flask:1", Map.of())))
        .extracting(x -> x.toList().get(0))
        .doesNotContain(CipTranslator.NO_MATCH_POLICY);
  }

  @Test
  void globsUsePolicyControllersSemanticsNotKyvernos() {
    List<Policy> p = policies("authorities");
    Map<String, String> frontend = Map.of("tier", "frontend");

    // registry.io/acme/* does not cross '/', ghcr.io/acme/** does.
    assertThat(judge(p, target(OPTED_IN, "registry.io/acme/team/app:1", frontend)))
        .contains(tuple(CipTranslator.NO_MATCH_POLICY, "no-match-policy", Result.FAIL));
    verdicts.signed(RUNNING, OTHER);
    assertThat(judge(p, target(OPTED_IN, "registry.io/acme/app:1", frontend)))
        .contains(tuple("ClusterImagePolicy/acme-release", "authorities", Result.ERROR));
    // "*" alone means Docker Hub official images.
    List<Policy> k8s = policies("static-and-bad");
    assertThat(judge(k8s, target(OPTED_IN, "nginx:1.27", Map.of())))
        .containsExactly(tuple("ClusterImagePolicy/allow-k8s-system", "authorities", Result.PASS));
    assertThat(judge(k8s, target(OPTED_IN, "bitnami/redis:7", Map.of())))
        .contains(tuple(CipTranslator.NO_MATCH_POLICY, "no-match-policy", Result.FAIL));
  }

  @Test
  void unknownPodLabelsMakeTheSelectorAndTheNoMatchPolicyUnsure() {
    List<Policy> p = policies("authorities");
    AuditTarget t =
        new AuditTarget(
            "shop",
            OPTED_IN,
            ImageRef.parse("ghcr.io/acme/app:1"),
            Optional.of(RUNNING),
            PodInfo.UNKNOWN);

    List<Finding> f = evaluator.evaluate(p, t);

    assertThat(f)
        .extracting(Finding::policy, Finding::result)
        .containsExactly(
            tuple("ClusterImagePolicy/acme-release", Result.ERROR),
            tuple(CipTranslator.NO_MATCH_POLICY, Result.ERROR));
    assertThat(f.get(1).message())
        .isEqualTo(
            "could not check: cannot tell whether rule no-match-policy applies to image"
                + " ghcr.io/acme/app:1: the Pod's labels are not known"
                + ". "
                + Cause.CHECK_FAILED.remedy().orElseThrow());
  }

  @Test
  void aStaticOnlyPolicyNeedsNoDigest() {
    List<Policy> p = policies("static-and-bad");
    AuditTarget t =
        new AuditTarget(
            "shop",
            OPTED_IN,
            ImageRef.parse("registry.k8s.io/pause:3.9"),
            Optional.empty(),
            PodInfo.UNKNOWN);

    List<Finding> f = evaluator.evaluate(p, t);

    assertThat(f).extracting(Finding::result).containsExactly(Result.PASS);
    assertThat(f.get(0).message())
        .isEqualTo(
            "registry.k8s.io/pause:3.9: signed: 1 of 1 entry verified, 1 required; static pass:"
                + " authority authority-0 admits every image");
  }

  private static String seedKey() {
    return """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEoYIRqyJPEOGk84mh9W3XWA42dOPm
        UE03IhLs2sLnRPegfWAO+6mSy8pbEO8R5orKIXqHWq2fz8s6UG9iTXbaRQ==
        -----END PUBLIC KEY-----
        """;
  }
}
