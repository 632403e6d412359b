package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.model.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A fail or error message starts with the short cause, then says what was found, and ends with what
 * to do: the key or identity the image needs and where the policy got it.
 */
class FindingMessagesTest {
  private static final Digest RUNNING = Digest.sha256("running".getBytes());
  private static final TrustedKey RELEASE = TestKeys.trusted();
  private static final TrustedKey OTHER = TestKeys.trusted();
  private static final String SUBJECT =
      "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main";
  private static final String ISSUER = "https://token.actions.githubusercontent.com";

  private static AuditTarget target() {
    return new AuditTarget(
        "prod", Map.of(), ImageRef.parse("ghcr.io/acme/app:1.0"), Optional.of(RUNNING));
  }

  private static Policy policy(AttestorEntry... entries) {
    return policy(1, entries);
  }

  private static Policy policy(int count, AttestorEntry... entries) {
    return new Policy(
        "ClusterPolicy/verify-images",
        PolicySource.KYVERNO,
        Mode.AUDIT,
        Severity.HIGH,
        "Supply Chain",
        NamespaceSelector.ALL,
        List.of(
            new Rule(
                "check-signature",
                ImageMatcher.of("ghcr.io/acme/*"),
                new Check.Signatures(
                    List.of(new Attestors(count, List.of(entries))), Optional.empty()))));
  }

  private static Finding only(Policy p, VerdictSource verdicts) {
    List<Finding> f = new PolicyEvaluator(verdicts).evaluate(p, target());
    assertThat(f).hasSize(1);
    return f.get(0);
  }

  private static final KeyOrigin INLINE =
      new KeyOrigin.Inline("ClusterPolicy/verify-images", "rule check-signature");

  @Test
  void anUnsignedImageSaysUnsignedFirstAndEndsWithTheInlineKeyToSignWith() {
    var entry = AttestorEntry.Key.of(RELEASE).withOrigin(INLINE);

    Finding f = only(policy(entry), r -> new Verdict.Unsigned());

    assertThat(f.result()).isEqualTo(Result.FAIL);
    assertThat(f.cause()).contains(Cause.UNSIGNED);
    assertThat(f.message())
        .startsWith("unsigned: ghcr.io/acme/app@" + RUNNING.shortForm() + ": ")
        .contains("no signature found")
        .endsWith(
            ". To pass: sign it with key "
                + RELEASE.fingerprint()
                + " (inline in ClusterPolicy/verify-images, rule check-signature).");
  }

  @Test
  void aSignatureByAnotherKeyNamesTheSecretTheRequiredKeyIsIn() {
    var entry =
        AttestorEntry.Key.of(RELEASE)
            .withOrigin(
                new KeyOrigin.Secret("cosign-system", "release-key", Optional.of("cosign.pub")));

    Finding f =
        only(
            policy(entry),
            r ->
                new Verdict.Rejected(
                    List.of("legacy-sig: signed by key " + OTHER.fingerprint()), Cause.WRONG_KEY));

    assertThat(f.message())
        .startsWith("signed by another key: ghcr.io/acme/app@")
        .endsWith(
            ". To pass: sign it with key "
                + RELEASE.fingerprint()
                + " (from Secret cosign-system/release-key, key cosign.pub).");
  }

  @Test
  void aKeyFromAPolicyFileNamesTheFile() {
    var inline =
        AttestorEntry.Key.of(RELEASE)
            .withOrigin(new KeyOrigin.File(Path.of("policies/prod.yaml"), Optional.empty()));
    var fromKeyFile =
        AttestorEntry.Key.of(OTHER)
            .withOrigin(
                new KeyOrigin.File(
                    Path.of("policies/prod.yaml"), Optional.of(Path.of("keys/backup.pub"))));

    Finding f = only(policy(inline, fromKeyFile), r -> new Verdict.Unsigned());

    assertThat(f.message())
        .startsWith("unsigned: ")
        .endsWith(
            ". To pass: sign it with one of key "
                + RELEASE.fingerprint()
                + " (from file policies/prod.yaml), key "
                + OTHER.fingerprint()
                + " (from file keys/backup.pub, named in policies/prod.yaml).");
  }

  @Test
  void aKeylessRequirementNamesSubjectIssuerAndOrigin() {
    var identity =
        new AttestorEntry.Keyless.Identity(
            Optional.of(ISSUER), Optional.empty(), Optional.of(SUBJECT), Optional.empty());
    var entry =
        new AttestorEntry.Keyless(
                List.of(identity),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Optional.empty())
            .withOrigin(INLINE);

    Finding f = only(policy(entry), r -> new Verdict.Unsigned());

    assertThat(f.message())
        .startsWith("unsigned: ")
        .endsWith(
            ". To pass: sign it keyless as subject "
                + SUBJECT
                + " issued by "
                + ISSUER
                + " (inline in ClusterPolicy/verify-images, rule check-signature).");
  }

  @Test
  void manyRequiredKeysAreCutAfterTheFirstFew() {
    List<AttestorEntry> keys = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      keys.add(AttestorEntry.Key.of(TestKeys.trusted()).withOrigin(INLINE));
    }

    Finding f = only(policy(2, keys.toArray(AttestorEntry[]::new)), r -> new Verdict.Unsigned());

    assertThat(f.message()).contains("To pass: sign it with 2 of key ").endsWith(" … and 2 more.");
  }

  @Test
  void anErrorEndsWithTheFixOfItsCause() {
    var entry = AttestorEntry.Key.of(RELEASE).withOrigin(INLINE);

    Finding f =
        only(
            policy(entry),
            r ->
                new Verdict.CheckError(
                    "ghcr.io answered plain HTTP to an HTTPS request", Cause.PLAIN_HTTP));

    assertThat(f.result()).isEqualTo(Result.ERROR);
    assertThat(f.message())
        .startsWith("registry unreachable: plain-HTTP registry: ghcr.io/acme/app@")
        .endsWith(". " + Cause.PLAIN_HTTP.remedy().orElseThrow())
        .contains("To fix: add --insecure-registry HOST:PORT");
  }

  @Test
  void anErrorEndsWithWhatWouldLetSigauditDecideNotWithSigningAgain() {
    var entry = AttestorEntry.Key.of(RELEASE).withOrigin(INLINE);

    Finding f = only(policy(entry), r -> new Verdict.CheckError("the registry answered 500"));

    assertThat(f.message())
        .startsWith(Cause.CHECK_FAILED.label() + ": ")
        .endsWith(". " + Cause.CHECK_FAILED.remedy().orElseThrow())
        .doesNotContain("To pass");
  }

  @Test
  void anErrorForWantOfTheDigestTakesTheCauseThatKeptItUnknown() {
    var entry = AttestorEntry.Key.of(RELEASE).withOrigin(INLINE);
    var unpinned =
        new AuditTarget("prod", Map.of(), ImageRef.parse("ghcr.io/acme/app:1.0"), Optional.empty());

    List<Finding> f =
        new PolicyEvaluator(
                r -> new Verdict.Unsigned(),
                Optional.of(
                    new PolicyEvaluator.UnknownDigest(
                        Cause.PLAIN_HTTP, "resolving the tag: plain HTTP")))
            .evaluate(policy(entry), unpinned);

    assertThat(f)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.cause()).contains(Cause.PLAIN_HTTP);
              assertThat(x.message())
                  .startsWith(
                      "registry unreachable: plain-HTTP registry: cannot check signatures of ")
                  .contains("(resolving the tag: plain HTTP)")
                  .endsWith(Cause.PLAIN_HTTP.remedy().orElseThrow());
            });
  }

  @Test
  void aPassKeepsItsShortMessage() {
    var entry = AttestorEntry.Key.of(RELEASE).withOrigin(INLINE);

    Finding f =
        only(
            policy(entry),
            r ->
                new Verdict.Verified(
                    SignatureFormat.LEGACY_TAG, Signer.key(RELEASE.fingerprint()), RUNNING));

    assertThat(f.result()).isEqualTo(Result.PASS);
    assertThat(f.message())
        .isEqualTo(
            "ghcr.io/acme/app@"
                + RUNNING.shortForm()
                + ": signed: 1 of 1 key verified, 1 required; key "
                + RELEASE.fingerprint()
                + " (legacy-sig)");
  }
}
