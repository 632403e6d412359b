package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.cip.CipOptions;
import dev.sigaudit.policy.cip.CipTranslator;
import dev.sigaudit.policy.cip.NoMatchPolicy;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.policy.kyverno.KyvernoTranslator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One requirement written three ways — a sigaudit policy file, a Kyverno ClusterPolicy and a
 * policy-controller ClusterImagePolicy ({@code policies/equivalent/}): images under {@code
 * ghcr.io/acme/} must be signed by the release or the backup key, in namespaces labelled {@code
 * policy.sigstore.dev/include=true}. The same containers get the same results from all three.
 */
class EquivalentPoliciesTest {
  private static final TrustedKey RELEASE = Fixtures.key("release");
  private static final TrustedKey BACKUP = Fixtures.key("backup");
  private static final Map<String, String> OPTED_IN = Map.of("policy.sigstore.dev/include", "true");

  private final FakeVerdicts verdicts = new FakeVerdicts();
  private final PolicyEvaluator evaluator = new PolicyEvaluator(verdicts);
  private final Map<String, Policy> sources = new LinkedHashMap<>();

  @BeforeEach
  void load() throws URISyntaxException {
    Path file = Path.of(Fixtures.class.getResource("/policies/equivalent/sigaudit.yaml").toURI());
    sources.put("file", single(new PolicyFileLoader(Fixtures.KEYS).load(file)));
    sources.put(
        "kyverno",
        single(
            new KyvernoTranslator(Fixtures.KEYS)
                .translate(List.of(Fixtures.object("equivalent/kyverno.json")))));
    // The no-match policy is policy-controller's extra (see cip tests); here: allow.
    sources.put(
        "cip",
        single(
            new CipTranslator(
                    Fixtures.KEYS, CipOptions.DEFAULT.withNoMatchPolicy(NoMatchPolicy.ALLOW))
                .translate(List.of(Fixtures.object("equivalent/cip.json")))));
  }

  private static Policy single(LoadedPolicies l) {
    assertThat(l.problems()).isEmpty();
    assertThat(l.policies()).hasSize(1);
    return l.policies().get(0);
  }

  private static AuditTarget container(String image, Map<String, String> nsLabels) {
    Digest running = Digest.sha256(image.getBytes());
    return new AuditTarget(
        "shop",
        nsLabels,
        ImageRef.parse(image),
        Optional.of(running),
        PodInfo.of("web-1", Map.of(), ContainerType.REGULAR, image));
  }

  private static Digest digest(String image) {
    return Digest.sha256(image.getBytes());
  }

  /** The results of each source for one container: result per rule, in order. */
  private Map<String, List<Result>> judge(AuditTarget t) {
    Map<String, List<Result>> out = new LinkedHashMap<>();
    sources.forEach(
        (name, p) ->
            out.put(name, evaluator.evaluate(p, t).stream().map(Finding::result).toList()));
    return out;
  }

  private void assertAllThree(AuditTarget t, List<Result> expected) {
    Map<String, List<Result>> results = judge(t);
    assertThat(results)
        .as("results for %s", t.image())
        .containsEntry("file", expected)
        .containsEntry("kyverno", expected)
        .containsEntry("cip", expected);
  }

  @Test
  void theSameContainersGetTheSameResults() {
    verdicts
        .signed(digest("ghcr.io/acme/app:1"), RELEASE)
        .signed(digest("ghcr.io/acme/api:2"), BACKUP)
        .signed(digest("ghcr.io/acme/team/web:3"), RELEASE)
        .failing(digest("ghcr.io/acme/flaky:1"), RELEASE, "401 from ghcr.io")
        .failing(digest("ghcr.io/acme/flaky:1"), BACKUP, "401 from ghcr.io")
        .signed(digest("ghcr.io/acme/half:1"), BACKUP)
        .failing(digest("ghcr.io/acme/half:1"), RELEASE, "timeout");

    assertAllThree(container("ghcr.io/acme/app:1", OPTED_IN), List.of(Result.PASS));
    assertAllThree(container("ghcr.io/acme/api:2", OPTED_IN), List.of(Result.PASS));
    // Below a nested path: Kyverno's '*' and policy-controller's '**' both cross '/'.
    assertAllThree(container("ghcr.io/acme/team/web:3", OPTED_IN), List.of(Result.PASS));
    assertAllThree(container("ghcr.io/acme/unsigned:1", OPTED_IN), List.of(Result.FAIL));
    assertAllThree(container("ghcr.io/acme/flaky:1", OPTED_IN), List.of(Result.ERROR));
    // One key verified is enough, even when the other could not be checked.
    assertAllThree(container("ghcr.io/acme/half:1", OPTED_IN), List.of(Result.PASS));
    assertAllThree(container("quay.io/other/app:1", OPTED_IN), List.of(Result.SKIP));
    assertAllThree(container("ghcr.io/acme/app:1", Map.of()), List.of());
  }

  @Test
  void aPassReadsTheSameWhateverTheSource() {
    verdicts.signed(digest("ghcr.io/acme/app:1"), RELEASE);
    AuditTarget t = container("ghcr.io/acme/app:1", OPTED_IN);

    List<String> messages = new ArrayList<>();
    sources.values().forEach(p -> messages.add(evaluator.evaluate(p, t).get(0).message()));

    assertThat(messages).containsOnly(messages.get(0));
    assertThat(messages.get(0))
        .isEqualTo(
            "ghcr.io/acme/app@"
                + digest("ghcr.io/acme/app:1").shortForm()
                + ": signed: 1 of 2 keys verified, 1 required; key "
                + RELEASE.fingerprint()
                + " (legacy-sig)");
  }

  @Test
  void aBundleSignatureDiffersOnPurposeKyvernoAndPolicyControllerDoNotReadIt() {
    verdicts.signed(digest("ghcr.io/acme/v3:1"), RELEASE, SignatureFormat.BUNDLE_REFERRER);

    Map<String, List<Result>> results = judge(container("ghcr.io/acme/v3:1", OPTED_IN));

    // sigaudit's own policies accept every format; Kyverno's Cosign type and policy-controller's
    // legacy format do not see cosign v3 bundles, and their translations say so.
    assertThat(results)
        .containsEntry("file", List.of(Result.PASS))
        .containsEntry("kyverno", List.of(Result.FAIL))
        .containsEntry("cip", List.of(Result.FAIL));
  }
}
