package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.TrustedRoot;
import dev.sigaudit.verify.Verifier;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.Digests;
import dev.sigaudit.verify.testing.FakeSigstore;
import dev.sigaudit.verify.testing.KeylessCandidateBuilder;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole scan pipeline over in-memory fakes: containers from a list, registries from a map, real
 * keys and real signatures (legacy {@code .sig}, bundles, keyless certificates from a fake
 * Sigstore), real policies loaded from policy files, and the real verifier.
 */
class ScannerTest {
  static final ImageRef APP = ImageRef.parse("registry.test/acme/app");
  static final Digest SIGNED = Digests.of("signed");
  static final Digest UNSIGNED = Digests.of("unsigned");
  static final Digest BROKEN = Digests.of("broken");

  final TestKey key = TestKeys.p256();
  final FakeSigstore sigstore = FakeSigstore.shared();
  final FakeRegistryAccess registry = new FakeRegistryAccess();
  final List<RunningContainer> containers = new ArrayList<>();

  @TempDir Path dir;

  static RunningContainer container(String name, String image, Optional<Digest> running) {
    ImageRef spec = ImageRef.parse(image);
    return new RunningContainer(
        new WorkloadRef("apps/v1", "Deployment", "prod", name, "uid-" + name),
        name + "-pod",
        Map.of(),
        name,
        ContainerType.REGULAR,
        image,
        Optional.of(spec),
        Optional.empty(),
        running.map(spec::atDigest),
        running.isPresent() ? Optional.empty() : Optional.of("no imageID reported yet"),
        "default",
        List.of());
  }

  void running(String name, Digest digest) {
    containers.add(container(name, APP.name() + ":1.0", Optional.of(digest)));
  }

  List<Policy> policy(String entry) throws IOException {
    Path file = dir.resolve("policy-" + Math.abs(entry.hashCode()) + ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata:
          name: signed
        spec:
          rules:
            - name: signed
              images: ["registry.test/*"]
              attestors:
                entries:
        """
            + entry.indent(10));
    LoadedPolicies loaded = new PolicyFileLoader(new PemKeyParser()).load(file);
    assertThat(loaded.problems()).isEmpty();
    return loaded.policies();
  }

  List<Policy> keyPolicy() throws IOException {
    return policy("- publicKey: |\n" + key.publicPem().indent(4));
  }

  List<Policy> keylessPolicy() throws IOException {
    return policy(
        """
        - keyless:
            issuer: https://accounts.example.com
            subject: dev@example.com
        """);
  }

  ScanResult scan(List<Policy> policies) throws Exception {
    return scan(policies, VerificationCache.none(), sigstore.trustedRoot());
  }

  final List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
  final ScanListener listener =
      new ScanListener() {
        @Override
        public void lookupNotes(String image, List<String> notes) {
          notes.forEach(n -> logged.add(image + ": " + n));
        }
      };

  ScanResult scan(List<Policy> policies, VerificationCache cache, TrustedRoot root)
      throws Exception {
    return scan(policies, cache, root, Optional.empty());
  }

  ScanResult scan(
      List<Policy> policies,
      VerificationCache cache,
      TrustedRoot root,
      Optional<java.time.Duration> deadline)
      throws Exception {
    ContainerSource source = podsListed -> new Inventory(containers, containers.size());
    return new Scanner(
            source,
            registry,
            new Verifier(root),
            new SignatureInventory(root),
            cache,
            new ScanSettings(policies, List.of(), "test", 4, Clock.systemUTC(), listener, deadline))
        .scan();
  }

  /** The scan, handing each workload's rows to {@code early} as they become final. */
  ScanResult scan(List<Policy> policies, Optional<Duration> deadline, JudgedWorkloads early)
      throws Exception {
    ContainerSource source = podsListed -> new Inventory(containers, containers.size());
    return new Scanner(
            source,
            registry,
            new Verifier(sigstore.trustedRoot()),
            new SignatureInventory(sigstore.trustedRoot()),
            VerificationCache.none(),
            new ScanSettings(policies, List.of(), "test", 4, Clock.systemUTC(), listener, deadline))
        .scan(early);
  }

  static Map<String, AuditRow> byContainer(ScanResult r) {
    Map<String, AuditRow> out = new java.util.HashMap<>();
    r.rows().forEach(row -> out.put(row.container().container(), row));
    return out;
  }

  @Test
  void signedPassesUnsignedFailsAndARegistryFailureIsAnErrorWithItsCause() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    registry.failing(APP, BROKEN, "401 unauthorized");
    running("signed", SIGNED);
    running("unsigned", UNSIGNED);
    running("broken", BROKEN);

    var rows = byContainer(scan(keyPolicy()));

    assertThat(rows.get("signed").finding().result()).isEqualTo(Result.PASS);
    assertThat(rows.get("signed").checked()).contains(APP.atDigest(SIGNED));
    assertThat(rows.get("signed").digestSource()).isEqualTo("imageID");
    assertThat(rows.get("unsigned").finding().result()).isEqualTo(Result.FAIL);
    assertThat(rows.get("broken").finding().result()).isEqualTo(Result.ERROR);
    assertThat(rows.get("broken").finding().message()).contains("401 unauthorized");
  }

  @Test
  void aLookupStillUnansweredAtTheDeadlineIsAnErrorAndTheScanCompletes() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    registry.silent(APP, BROKEN);
    // The deadline leaves the in-memory lookup of the signed image ample time even on a loaded
    // machine; the silent one never answers, so it misses the deadline whatever the load.
    running("signed", SIGNED);
    running("hanging", BROKEN);

    var rows =
        byContainer(
            scan(
                keyPolicy(),
                VerificationCache.none(),
                sigstore.trustedRoot(),
                Optional.of(java.time.Duration.ofSeconds(2))));

    assertThat(rows.get("signed").finding().result()).isEqualTo(Result.PASS);
    assertThat(rows.get("hanging").finding().result()).isEqualTo(Result.ERROR);
    assertThat(rows.get("hanging").finding().message())
        .contains("scan deadline (2s, --deadline) reached before its signatures were looked up");
  }

  // --- handing each workload on as soon as its rows are final ---

  /** A second container of workload {@code workload} (a sidecar), running {@code digest}. */
  void sidecar(String workload, String name, Digest digest) {
    RunningContainer first = container(workload, APP.name() + ":1.0", Optional.of(digest));
    containers.add(
        new RunningContainer(
            first.workload(),
            first.pod(),
            Map.of(),
            name,
            ContainerType.REGULAR,
            first.imageAsWritten(),
            first.image(),
            Optional.empty(),
            first.running(),
            Optional.empty(),
            "default",
            List.of()));
  }

  /** Each hand-off: the workload's name and its rows. */
  record HandOff(String workload, List<AuditRow> rows) {}

  static String workloadOf(List<AuditRow> rows) {
    assertThat(rows).isNotEmpty();
    assertThat(rows.stream().map(r -> r.container().workload()).distinct()).hasSize(1);
    return rows.get(0).container().workload().name();
  }

  @Test
  void aWorkloadIsHandedOnWhenItsLastLookupIsDoneWhileOthersStillWait() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    var release = new java.util.concurrent.CountDownLatch(1);
    registry.heldUntil(APP, UNSIGNED, release);
    running("early", SIGNED);
    running("late", UNSIGNED);
    // Two containers: one of its lookups is done early, the other waits with "late".
    running("mixed", SIGNED);
    sidecar("mixed", "mixed-sidecar", UNSIGNED);
    // No digest and a tag the registry does not know: nothing to look up at all.
    containers.add(container("tagonly", APP.name() + ":gone", Optional.empty()));
    List<HandOff> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> beforeEarly = new java.util.concurrent.CopyOnWriteArrayList<>();

    // The held lookup is released only by the hand-off of "early": without hand-offs during the
    // signatures stage, it stays held until the deadline and "late" becomes an error.
    ScanResult result =
        scan(
            keyPolicy(),
            Optional.of(Duration.ofSeconds(60)),
            (started, rows) -> {
              handed.add(new HandOff(workloadOf(rows), rows));
              if (workloadOf(rows).equals("early")) {
                handed.forEach(h -> beforeEarly.add(h.workload()));
                release.countDown();
              }
            });

    // "mixed" waited for its second lookup, though its first was done with "early"'s.
    assertThat(beforeEarly).containsExactly("tagonly", "early");
    assertThat(handed)
        .extracting(HandOff::workload)
        .containsExactlyInAnyOrder("early", "late", "mixed", "tagonly");
    assertThat(byContainer(result).get("late").finding().result()).isEqualTo(Result.FAIL);
    // What was handed on is what the result says, row for row.
    for (HandOff h : handed) {
      assertThat(h.rows())
          .containsExactlyInAnyOrderElementsOf(
              result.rows().stream()
                  .filter(r -> r.container().workload().name().equals(h.workload()))
                  .toList());
    }
    assertThat(handed.stream().filter(h -> h.workload().equals("mixed")).findFirst().get().rows())
        .hasSize(2);
  }

  @Test
  void aWorkloadWhoseLookupMissedTheDeadlineIsOnlyInTheResult() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    registry.silent(APP, BROKEN);
    running("signed", SIGNED);
    running("hanging", BROKEN);
    List<String> handed = new java.util.concurrent.CopyOnWriteArrayList<>();

    ScanResult result =
        scan(
            keyPolicy(),
            Optional.of(Duration.ofSeconds(2)),
            (started, rows) -> handed.add(workloadOf(rows)));

    assertThat(handed).containsExactly("signed");
    assertThat(byContainer(result).get("hanging").finding().result()).isEqualTo(Result.ERROR);
  }

  @Test
  void aLookupWhoseHandOffTheDeadlineInterruptsStillCompleted() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("signed", SIGNED);
    var interrupted = new java.util.concurrent.CountDownLatch(1);

    // The hand-off waits until the deadline interrupts it, as a slow output might: the lookup
    // itself had completed, so its verdict stands.
    ScanResult result =
        scan(
            keyPolicy(),
            Optional.of(Duration.ofSeconds(1)),
            (started, rows) -> {
              try {
                new java.util.concurrent.CountDownLatch(1).await();
              } catch (InterruptedException e) {
                interrupted.countDown();
                Thread.currentThread().interrupt();
              }
            });

    assertThat(interrupted.getCount()).as("the hand-off was interrupted").isZero();
    assertThat(byContainer(result).get("signed").finding().result()).isEqualTo(Result.PASS);
  }

  @Test
  void aFailingHandOffLosesNothing() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("signed", SIGNED);
    running("unsigned", UNSIGNED);
    containers.add(container("tagonly", APP.name() + ":gone", Optional.empty()));

    ScanResult result =
        scan(
            keyPolicy(),
            Optional.empty(),
            (started, rows) -> {
              throw new IllegalStateException("the output broke");
            });

    var rows = byContainer(result);
    assertThat(rows.get("signed").finding().result()).isEqualTo(Result.PASS);
    assertThat(rows.get("unsigned").finding().result()).isEqualTo(Result.FAIL);
    assertThat(rows.get("tagonly").finding().result()).isEqualTo(Result.ERROR);
  }

  @Test
  void anInventoryHandsNothingOnEarly() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("signed", SIGNED);
    List<String> handed = new java.util.concurrent.CopyOnWriteArrayList<>();

    ScanResult result =
        scan(List.of(), Optional.empty(), (started, rows) -> handed.add(workloadOf(rows)));

    assertThat(handed).isEmpty();
    assertThat(result.rows()).hasSize(1);
  }

  @Test
  void aSignatureForAnotherDigestDoesNotPass() throws Exception {
    // Copied from the signed image to the unsigned one's .sig: bound to the wrong digest.
    registry.sign(APP, UNSIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("copied", UNSIGNED);

    var row = byContainer(scan(keyPolicy())).get("copied");

    assertThat(row.finding().result()).isEqualTo(Result.FAIL);
  }

  @Test
  void eachDistinctDigestIsLookedUpOnce() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("a", SIGNED);
    running("b", SIGNED);
    running("c", UNSIGNED);

    ScanResult r = scan(keyPolicy());

    assertThat(registry.finds)
        .containsExactlyInAnyOrder(APP.name() + "@" + SIGNED, APP.name() + "@" + UNSIGNED);
    assertThat(r.distinctImages()).isEqualTo(2);
    assertThat(r.rows()).hasSize(3);
  }

  @Test
  void theSigLookupIsSkippedOnceBundlesVerifiedForEveryRequest() throws Exception {
    registry.sign(APP, SIGNED, BundleBuilder.forImage(SIGNED).signedBy(key).build());
    registry.sign(APP, UNSIGNED, BundleBuilder.forImage(SIGNED).signedBy(key).build());
    running("bundle", SIGNED);
    running("copied-bundle", UNSIGNED);

    var rows = byContainer(scan(keyPolicy()));

    assertThat(rows.get("bundle").finding().result()).isEqualTo(Result.PASS);
    assertThat(rows.get("copied-bundle").finding().result()).isEqualTo(Result.FAIL);
    // The bundle that verified settles its digest; the one that did not must look further.
    assertThat(registry.legacyReads).containsExactly(APP.name() + "@" + UNSIGNED);
  }

  @Test
  void aLocalImageIdIsCheckedAgainstTheConfigOfWhatTheTagNamesNow() throws Exception {
    // The tag was re-pushed and signed; the container still runs the old, unsigned image.
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    registry.tag(APP.atTag("1.0"), SIGNED);
    Digest signedConfig = Digest.sha256(new byte[] {7});
    Digest oldConfig = Digest.sha256(new byte[] {8});
    registry.config(APP.atDigest(SIGNED), SIGNED, signedConfig);
    containers.add(
        withLocalId(container("same", APP.name() + ":1.0", Optional.empty()), signedConfig));
    containers.add(
        withLocalId(container("stale", APP.name() + ":1.0", Optional.empty()), oldConfig));

    var rows = byContainer(scan(keyPolicy()));

    assertThat(rows.get("same").finding().result()).isEqualTo(Result.PASS);
    assertThat(rows.get("stale").finding().result()).isEqualTo(Result.ERROR);
    assertThat(rows.get("stale").finding().message())
        .contains("the running image (local image ID " + oldConfig + ") is not the one the tag");
  }

  static RunningContainer withLocalId(RunningContainer c, Digest local) {
    return new RunningContainer(
        c.workload(),
        c.pod(),
        c.namespaceLabels(),
        c.container(),
        c.type(),
        c.imageAsWritten(),
        c.image(),
        c.imageProblem(),
        c.running(),
        Optional.of("imageID " + local + " is a local image ID, not a registry digest"),
        c.serviceAccount(),
        c.pullSecrets(),
        c.podLabels(),
        Optional.of(local));
  }

  @Test
  void aContainerWithoutImageIdHasItsTagResolvedOrAnErrorSayingWhy() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    registry.tag(APP.atTag("1.0"), SIGNED);
    containers.add(container("pending", APP.name() + ":1.0", Optional.empty()));
    containers.add(container("gone", APP.name() + ":deleted", Optional.empty()));

    var rows = byContainer(scan(keyPolicy()));

    assertThat(rows.get("pending").finding().result()).isEqualTo(Result.PASS);
    assertThat(rows.get("pending").digestSource()).isEqualTo("tag-resolved");
    assertThat(rows.get("pending").checked()).contains(APP.atDigest(SIGNED));
    assertThat(rows.get("gone").finding().result()).isEqualTo(Result.ERROR);
    assertThat(rows.get("gone").digestSource()).isEqualTo("unresolved");
    assertThat(rows.get("gone").finding().message())
        .contains("no imageID reported yet; resolving tag")
        .contains("manifest unknown");
  }

  @Test
  void keylessSignaturesAreVerifiedAgainstTheIdentityAndTheRoot() throws Exception {
    registry.sign(APP, SIGNED, KeylessCandidateBuilder.forImage(SIGNED, sigstore).legacy());
    running("keyless", SIGNED);

    var row = byContainer(scan(keylessPolicy())).get("keyless");

    assertThat(row.finding().result()).isEqualTo(Result.PASS);
  }

  @Test
  void anUnsupportedKeylessEntryIsAPolicyProblemAndAnErrorNeverAPass() throws Exception {
    registry.sign(APP, SIGNED, KeylessCandidateBuilder.forImage(SIGNED, sigstore).legacy());
    running("keyless", SIGNED);
    // Kyverno's keyless.roots: parsed by the translators, not checkable by sigaudit yet.
    Policy loaded = keylessPolicy().get(0);
    Rule rule = loaded.rules().get(0);
    AttestorEntry.Keyless withRoots =
        new AttestorEntry.Keyless(
            List.of(
                new AttestorEntry.Keyless.Identity(
                    Optional.of("https://accounts.example.com"),
                    Optional.empty(),
                    Optional.of("dev@example.com"),
                    Optional.empty())),
            Optional.of("-----BEGIN CERTIFICATE-----"),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            Optional.empty());
    List<Policy> policies =
        List.of(
            new Policy(
                loaded.name(),
                loaded.source(),
                loaded.mode(),
                loaded.severity(),
                loaded.category(),
                loaded.namespaces(),
                List.of(
                    new Rule(
                        rule.name(),
                        rule.images(),
                        new Check.Signatures(
                            List.of(Attestors.all(List.of(withRoots))), Optional.empty())))));

    ScanResult r = scan(policies);

    assertThat(r.problems())
        .singleElement()
        .asString()
        .contains("roots given in the policy are not supported yet");
    assertThat(r.rows())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.finding().result()).isEqualTo(Result.ERROR);
              assertThat(row.finding().message()).contains("roots given in the policy");
            });
  }

  @Test
  void whatALookupSkippedReachesTheLog() throws Exception {
    registry.noting(APP, UNSIGNED, "layer 2 has no signature annotation; skipped");
    registry.noting(APP, BROKEN, "also: 503 from the referrers API");
    registry.failing(APP, BROKEN, "401 unauthorized");
    running("unsigned", UNSIGNED);
    running("broken", BROKEN);

    scan(keyPolicy());

    assertThat(logged)
        .containsExactlyInAnyOrder(
            APP.name() + "@" + UNSIGNED + ": layer 2 has no signature annotation; skipped",
            APP.name() + "@" + BROKEN + ": also: 503 from the referrers API");
  }

  @Test
  void withoutPoliciesEachDigestIsDescribed() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("described", SIGNED);
    running("bare", UNSIGNED);

    ScanResult r = scan(List.of());

    assertThat(r.inventory()).hasSize(2);
    assertThat(r.inventory().get(0).signatures())
        .singleElement()
        .satisfies(s -> assertThat(s.format()).isEqualTo(SignatureFormat.LEGACY_TAG));
    assertThat(r.inventory().get(1).signatures()).isEmpty();
    assertThat(r.inventory().get(1).error()).isEmpty();
  }

  @Test
  void aClusterThatCannotBeListedFailsTheScan() {
    ContainerSource refused =
        podsListed -> {
          throw new ContainerSource.Unreadable("403 pods is forbidden", null);
        };
    Scanner scanner =
        new Scanner(
            refused,
            registry,
            new Verifier(sigstore.trustedRoot()),
            new SignatureInventory(sigstore.trustedRoot()),
            VerificationCache.none(),
            new ScanSettings(
                List.of(), List.of(), "test", 1, Clock.systemUTC(), ScanListener.NOOP));

    assertThatThrownBy(scanner::scan)
        .isInstanceOf(ContainerSource.Unreadable.class)
        .hasMessage("403 pods is forbidden");
  }

  // --- the verification cache across runs ---

  /** A scan with the cache in {@code file}, saved afterwards as the CronJob does. */
  ScanResult scanWithCache(List<Policy> policies, Path file, TrustedRoot root) throws Exception {
    VerificationCache cache =
        VerificationCache.load(file, Clock.systemUTC(), Duration.ofHours(24), new ArrayList<>());
    ScanResult r = scan(policies, cache, root);
    cache.save(file);
    return r;
  }

  @Test
  void anUnchangedSignatureSetReusesTheCachedVerdictWithoutALookup() throws Exception {
    registry.sign(APP, SIGNED, LegacySignatureBuilder.forImage(SIGNED).signedBy(key).build());
    running("signed", SIGNED);
    List<Policy> policies = keyPolicy();
    Path file = dir.resolve("cache.json");
    scanWithCache(policies, file, sigstore.trustedRoot());
    registry.finds.clear();

    ScanResult again = scanWithCache(policies, file, sigstore.trustedRoot());

    assertThat(byContainer(again).get("signed").finding().result()).isEqualTo(Result.PASS);
    assertThat(registry.finds).isEmpty();
    assertThat(registry.stateChecks).containsExactly(APP.name() + "@" + SIGNED);
  }

  @Test
  void theStateCheckOfAnUnsignedDigestIsToldBothRoutesWereAbsent() throws Exception {
    running("unsigned", UNSIGNED);
    List<Policy> policies = keyPolicy();
    Path file = dir.resolve("cache.json");
    scanWithCache(policies, file, sigstore.trustedRoot());

    scanWithCache(policies, file, sigstore.trustedRoot());

    // what lets a registry answer from the repository's tag list instead of a HEAD per tag
    assertThat(registry.statesBefore)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.token(SignatureRoute.REFERRERS)).contains(SignatureState.ABSENT);
              assertThat(s.token(SignatureRoute.LEGACY_TAG)).contains(SignatureState.ABSENT);
            });
  }

  @Test
  void aNewSignatureIsNoticedThoughAFailWasCached() throws Exception {
    running("later-signed", UNSIGNED);
    List<Policy> policies = keyPolicy();
    Path file = dir.resolve("cache.json");
    assertThat(byContainer(scanWithCache(policies, file, sigstore.trustedRoot())))
        .extractingByKey("later-signed")
        .satisfies(row -> assertThat(row.finding().result()).isEqualTo(Result.FAIL));
    registry.sign(
        APP,
        UNSIGNED,
        LegacySignatureBuilder.forImage(UNSIGNED)
            .signedBy(key)
            .sourceManifest(Digests.of("new-sig"))
            .build());

    ScanResult again = scanWithCache(policies, file, sigstore.trustedRoot());

    assertThat(byContainer(again).get("later-signed").finding().result()).isEqualTo(Result.PASS);
  }

  @Test
  void aCachedKeylessVerdictIsReusedUnderTheSameRootAndDiscardedWhenTheRootChanges()
      throws Exception {
    registry.sign(APP, SIGNED, KeylessCandidateBuilder.forImage(SIGNED, sigstore).legacy());
    running("keyless", SIGNED);
    List<Policy> policies = keylessPolicy();
    Path file = dir.resolve("cache.json");
    scanWithCache(policies, file, sigstore.trustedRoot());

    registry.finds.clear();
    ScanResult reused = scanWithCache(policies, file, sigstore.trustedRoot());
    assertThat(byContainer(reused).get("keyless").finding().result()).isEqualTo(Result.PASS);
    assertThat(registry.finds).as("verdict reused: no lookup").isEmpty();

    // Another root (here: without its TSA) could decide differently: verify from scratch.
    TrustedRoot otherRoot = sigstore.trustedRootJson().withoutTsa().parse();
    assertThat(otherRoot.digest()).isNotEqualTo(sigstore.trustedRoot().digest());
    ScanResult rechecked = scanWithCache(policies, file, otherRoot);
    assertThat(byContainer(rechecked).get("keyless").finding().result()).isEqualTo(Result.PASS);
    assertThat(registry.finds).as("root changed: looked up again").hasSize(1);
  }
}
