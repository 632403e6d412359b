package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.Verifier;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Scanner#explain()}: the same stages as a scan, with each stage's answer kept per container
 * — what {@code sigaudit verify} and {@code explain} print.
 */
class ScannerExplainTest {
  static final ImageRef APP = ImageRef.parse("registry.test/acme/app");
  static final Digest SIGNED = Digests.of("signed");
  static final Digest OTHER = Digests.of("other");

  final TestKey key = TestKeys.p256();
  final TestKey otherKey = TestKeys.fresh(dev.sigaudit.verify.KeyType.ECDSA_P256);
  final FakeSigstore sigstore = FakeSigstore.shared();
  final FakeRegistryAccess registry = new FakeRegistryAccess();
  final List<RunningContainer> containers = new ArrayList<>();

  @TempDir Path dir;

  List<Policy> keyPolicy() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(
        file,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata:
          name: signed
        spec:
          rules:
            - name: by-release-key
              images: ["registry.test/*"]
              attestors:
                entries:
                  - publicKey: |
        """
            + key.publicPem().indent(14));
    LoadedPolicies loaded = new PolicyFileLoader(new PemKeyParser()).load(file);
    assertThat(loaded.problems()).isEmpty();
    return loaded.policies();
  }

  Scanner scanner(List<Policy> policies) {
    ContainerSource source = podsListed -> new Inventory(containers, containers.size());
    return new Scanner(
        source,
        registry,
        new Verifier(sigstore.trustedRoot()),
        new SignatureInventory(sigstore.trustedRoot()),
        VerificationCache.none(),
        new ScanSettings(policies, List.of(), "test", 4, Clock.systemUTC(), ScanListener.NOOP));
  }

  @Test
  void eachStageAnswerIsKeptForTheContainerAndTheRowsAreTheScans() throws Exception {
    // A .sig by another key, and a bundle by the release key: the bundle verifies.
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(otherKey).build());
    registry.sign(APP, SIGNED, BundleBuilder.forImage(SIGNED).signedBy(key).build());
    containers.add(ScannerTest.container("app", APP.name() + ":1.0", Optional.of(SIGNED)));
    List<Policy> policies = keyPolicy();

    Explanation e = scanner(policies).explain();

    assertThat(e.containers()).hasSize(1);
    Explanation.Container c = e.containers().get(0);
    assertThat(c.digestSource()).isEqualTo("imageID");
    assertThat(c.checked()).contains(APP.atDigest(SIGNED));
    assertThat(c.lookups()).hasSize(1);
    Explanation.Lookup l = c.lookups().get(0);
    assertThat(l.repository()).isEqualTo(APP.atDigest(SIGNED));
    assertThat(l.found()).isInstanceOf(Discovery.Found.class);
    // The bundle settled the lookup: the .sig route was not read, as in a scan.
    assertThat(l.found().candidates())
        .extracting(s -> s.format())
        .containsExactly(SignatureFormat.BUNDLE_REFERRER);
    assertThat(l.signers()).hasSize(1);
    // The bundle's key hint, in the one key notation of every output.
    assertThat(l.signers().get(0).signer()).startsWith("SHA256:");
    assertThat(l.checks()).hasSize(1);
    assertThat(l.checks().get(0).verdict()).isInstanceOf(Verdict.Verified.class);
    assertThat(c.rows()).extracting(r -> r.finding().result()).containsExactly(Result.PASS);
    // Explaining judges exactly as scanning does.
    assertThat(c.rows().get(0).finding())
        .isEqualTo(scanner(policies).scan().rows().get(0).finding());
  }

  @Test
  void aSignatureByAnotherKeyIsRejectedWithItsReasonAndTheRuleFails() throws Exception {
    registry.sign(APP, OTHER, LegacySignatureBuilder.forImage(OTHER).signedBy(otherKey).build());
    containers.add(ScannerTest.container("app", APP.name() + ":1.0", Optional.of(OTHER)));

    Explanation.Container c = scanner(keyPolicy()).explain().containers().get(0);

    Explanation.Lookup l = c.lookups().get(0);
    assertThat(l.found().candidates())
        .extracting(s -> s.format())
        .containsExactly(SignatureFormat.LEGACY_TAG);
    assertThat(l.signers().get(0).signer()).startsWith("key (");
    Verdict v = l.checks().get(0).verdict();
    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    assertThat(((Verdict.Rejected) v).reasons())
        .hasSize(1)
        .allMatch(r -> r.startsWith("legacy-sig "));
    assertThat(c.rows()).extracting(r -> r.finding().result()).containsExactly(Result.FAIL);
  }

  @Test
  void aTagIsResolvedAndTheExplanationSaysSo() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    registry.tag(APP.atTag("1.0"), SIGNED);
    containers.add(ScannerTest.container("app", APP.name() + ":1.0", Optional.empty()));

    Explanation.Container c = scanner(keyPolicy()).explain().containers().get(0);

    assertThat(c.digestSource()).isEqualTo("tag-resolved");
    assertThat(c.checked()).contains(APP.atDigest(SIGNED));
    assertThat(c.rows()).extracting(r -> r.finding().result()).containsExactly(Result.PASS);
  }

  @Test
  void aTagThatDoesNotResolveHasNoLookupAndSaysWhy() throws Exception {
    containers.add(ScannerTest.container("app", APP.name() + ":9.9", Optional.empty()));

    Explanation.Container c = scanner(keyPolicy()).explain().containers().get(0);

    assertThat(c.checked()).isEmpty();
    assertThat(c.unchecked()).hasValueSatisfying(w -> assertThat(w).contains("resolving tag"));
    assertThat(c.lookups()).isEmpty();
    assertThat(c.rows()).extracting(r -> r.finding().result()).containsExactly(Result.ERROR);
  }

  @Test
  void withoutPolicyTheLookupListsWhoSignedAndAsksNoCheck() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    containers.add(ScannerTest.container("app", APP.name() + ":1.0", Optional.of(SIGNED)));

    Explanation.Container c = scanner(List.of()).explain().containers().get(0);

    assertThat(c.lookups()).hasSize(1);
    assertThat(c.lookups().get(0).found().candidates()).hasSize(1);
    assertThat(c.lookups().get(0).checks()).isEmpty();
  }
}
