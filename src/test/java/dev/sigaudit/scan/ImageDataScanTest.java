package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.policy.ivp.IvpTranslator;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.Verifier;
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
 * A digest the registry no longer has (a Pod still runs it; the registry deleted or
 * garbage-collected it): Kyverno's ImageValidatingPolicy reads the image before judging it and
 * errors, so sigaudit says error for that policy; engines that only look for signatures (and
 * sigaudit's own policy files) fail the unsigned image as before. Only the policies that need the
 * image pay the extra request.
 */
class ImageDataScanTest {
  static final ImageRef APP = ImageRef.parse("registry.test/acme/app");
  static final Digest GONE = Digests.of("gone");
  static final Digest GONE_SIGNED = Digests.of("gone but signed");
  static final Digest HERE = Digests.of("here");

  final TestKey key = TestKeys.p256();
  final FakeRegistryAccess registry = new FakeRegistryAccess();
  final List<RunningContainer> containers = new ArrayList<>();

  @TempDir Path dir;

  Policy ivp() throws Exception {
    String yaml =
        """
        apiVersion: policies.kyverno.io/v1beta1
        kind: ImageValidatingPolicy
        metadata:
          name: ivp
        spec:
          matchImageReferences:
            - glob: "registry.test/*"
          attestors:
            - name: release
              cosign:
                key: {data: "%s"}
                ctlog: {insecureIgnoreTlog: true}
          validations:
            - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)
        """
            .formatted(key.publicPem().replace("\n", "\\n"));
    JsonNode node = new YAMLMapper().readTree(yaml);
    JsonObject object = JsonParser.parseString(node.toString()).getAsJsonObject();
    LoadedPolicies loaded =
        new IvpTranslator(new PemKeyParser()).translate("cluster", List.of(object));
    assertThat(loaded.problems()).isEmpty();
    return loaded.policies().get(0);
  }

  Policy ownFile() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(
        file,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata:
          name: own
        spec:
          rules:
            - name: signed
              images: ["registry.test/*"]
              attestors:
                entries:
                  - publicKey: |
        """
            + key.publicPem().indent(22));
    LoadedPolicies loaded = new PolicyFileLoader(new PemKeyParser()).load(file);
    assertThat(loaded.problems()).isEmpty();
    return loaded.policies().get(0);
  }

  void running(String name, Digest digest) {
    containers.add(ScannerTest.container(name, APP.name() + ":1.0", Optional.of(digest)));
  }

  ScanResult scan(List<Policy> policies) throws Exception {
    FakeSigstore sigstore = FakeSigstore.shared();
    ContainerSource source = podsListed -> new Inventory(containers, containers.size());
    return new Scanner(
            source,
            registry,
            new Verifier(sigstore.trustedRoot()),
            new SignatureInventory(sigstore.trustedRoot()),
            VerificationCache.none(),
            new ScanSettings(
                policies,
                List.of(),
                "test",
                4,
                Clock.systemUTC(),
                new ScanListener() {},
                Optional.empty()))
        .scan();
  }

  AuditRow row(ScanResult r, String container, String policy) {
    return r.rows().stream()
        .filter(x -> x.container().container().equals(container))
        .filter(x -> x.finding().policy().equals(policy))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no row for "
                        + container
                        + " / "
                        + policy
                        + " in "
                        + r.rows().stream().map(x -> x.finding().policy()).toList()));
  }

  @Test
  void anImageTheRegistryNoLongerHasIsAnErrorForAnImageValidatingPolicyOnly() throws Exception {
    registry.absent(APP, GONE);
    registry.absent(APP, GONE_SIGNED);
    registry.sign(
        APP, GONE_SIGNED, LegacySignatureBuilder.forImage(GONE_SIGNED).signedBy(key).build());
    registry.sign(APP, HERE, LegacySignatureBuilder.forImage(HERE).signedBy(key).build());
    running("gone", GONE);
    running("gone-signed", GONE_SIGNED);
    running("here", HERE);

    ScanResult r = scan(List.of(ivp(), ownFile()));

    AuditRow gone = row(r, "gone", "ImageValidatingPolicy/ivp");
    assertThat(gone.finding().result()).isEqualTo(Result.ERROR);
    assertThat(gone.finding().message()).contains("does not have");
    // Its signatures are still there, but the engine cannot read the image: not a pass.
    assertThat(row(r, "gone-signed", "ImageValidatingPolicy/ivp").finding().result())
        .isEqualTo(Result.ERROR);
    assertThat(row(r, "here", "ImageValidatingPolicy/ivp").finding().result())
        .isEqualTo(Result.PASS);
    // sigaudit's own policy reads signatures only: unsigned is a failure, signed a pass.
    assertThat(row(r, "gone", "own").finding().result()).isEqualTo(Result.FAIL);
    assertThat(row(r, "gone-signed", "own").finding().result()).isEqualTo(Result.PASS);
  }

  @Test
  void onlyPoliciesThatReadTheImageCostTheExtraRequest() throws Exception {
    running("here", HERE);

    scan(List.of(ownFile()));

    assertThat(registry.imageReads).isEmpty();

    scan(List.of(ivp()));

    assertThat(registry.imageReads).containsExactly(APP.name() + "@" + HERE);
  }
}
