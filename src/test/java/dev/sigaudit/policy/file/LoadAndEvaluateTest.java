package dev.sigaudit.policy.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.PolicyEvaluator;
import dev.sigaudit.policy.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy file as an operator writes it, judged on a few containers. */
class LoadAndEvaluateTest {
  private static final KeyPair RELEASE = TestKeys.ec("secp256r1");
  private static final Digest RUNNING = Digest.sha256("app".getBytes());

  @TempDir Path dir;

  @Test
  void aLoadedFileJudgesContainersAsWritten() throws IOException {
    Files.writeString(dir.resolve("release.pub"), TestKeys.publicPem(RELEASE));
    Path file = dir.resolve("policies.yaml");
    Files.writeString(
        file,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: prod-signed}
        spec:
          severity: high
          namespaces: {include: [prod-*]}
          rules:
            - name: signed
              images: ["ghcr.io/acme/*"]
              attestors:
                entries:
                  - publicKeyFile: release.pub
            - name: registries
              images: ["*"]
              allowedRegistries: [ghcr.io/acme/]
        """);
    LoadedPolicies loaded = new PolicyFileLoader(new PemKeyParser()).load(file);
    String fingerprint = PemKeyParser.fingerprint(RELEASE.getPublic());
    var evaluator =
        new PolicyEvaluator(
            r ->
                r.authority().id().equals(fingerprint)
                    ? new Verdict.Verified(
                        SignatureFormat.BUNDLE_REFERRER, Signer.key(fingerprint), RUNNING)
                    : new Verdict.Unsigned());

    List<Finding> app =
        evaluator.evaluate(
            loaded.policies(),
            new AuditTarget(
                "prod-eu", Map.of(), ImageRef.parse("ghcr.io/acme/app:1"), Optional.of(RUNNING)));
    List<Finding> nginx =
        evaluator.evaluate(
            loaded.policies(),
            new AuditTarget("prod-eu", Map.of(), ImageRef.parse("nginx"), Optional.of(RUNNING)));
    List<Finding> dev =
        evaluator.evaluate(
            loaded.policies(),
            new AuditTarget("dev", Map.of(), ImageRef.parse("nginx"), Optional.of(RUNNING)));

    assertThat(loaded.problems()).isEmpty();
    assertThat(app)
        .extracting(Finding::rule, Finding::result)
        .containsExactly(tuple("signed", Result.PASS), tuple("registries", Result.PASS));
    assertThat(app.get(0).evidence())
        .containsExactly(
            new Finding.Evidence(SignatureFormat.BUNDLE_REFERRER, Signer.key(fingerprint)));
    assertThat(nginx)
        .extracting(Finding::rule, Finding::result)
        .containsExactly(tuple("registries", Result.FAIL));
    assertThat(dev).isEmpty();
  }
}
