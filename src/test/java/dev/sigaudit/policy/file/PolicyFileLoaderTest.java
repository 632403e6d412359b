package dev.sigaudit.policy.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Severity;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.KeyOrigin;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
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

class PolicyFileLoaderTest {
  private static final KeyPair RELEASE = TestKeys.ec("secp256r1");
  private static final KeyPair BACKUP = TestKeys.ec("secp384r1");

  @TempDir Path dir;

  private final PolicyFileLoader loader = new PolicyFileLoader(new PemKeyParser());

  /** The PEM of {@code pair} indented for a YAML block scalar. */
  private static String pem(KeyPair pair, int indent) {
    return TestKeys.publicPem(pair).strip().replace("\n", "\n" + " ".repeat(indent));
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  private LoadedPolicies load(String yaml) throws IOException {
    return loader.load(write("policies.yaml", yaml));
  }

  /** The problems without the origin prefix, which is a temporary path. */
  private List<String> problems(LoadedPolicies loaded) {
    String prefix = dir.resolve("policies.yaml") + ": ";
    return loaded.problems().stream().map(p -> p.toString().replace(prefix, "")).toList();
  }

  private static String minimal(String name, String rules) {
    return """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: %s}
        spec:
          rules:
        %s
        """
        .formatted(name, rules.indent(4).stripTrailing());
  }

  private static String digestRule(String name) {
    return """
        - name: %s
          images: ["*"]
          requireDigest: true
        """
        .formatted(name);
  }

  @Test
  void keysAndIdentitiesComeFromThePolicyFileOrTheKeyFileItNames() throws IOException {
    write("keys/backup.pub", TestKeys.publicPem(BACKUP));
    Path file =
        write(
            "policies/prod.yaml",
            minimal(
                "prod-signed",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    count: 1
                    entries:
                      - publicKey: |
                          %s
                      - publicKeyFile: ../keys/backup.pub
                      - keyless: {subject: ci@example.com, issuer: https://issuer.example}
                """
                    .formatted(pem(RELEASE, 14))));

    LoadedPolicies loaded = loader.load(file);

    assertThat(loaded.problems()).isEmpty();
    var entries =
        ((Check.Signatures) loaded.policies().get(0).rules().get(0).check())
            .attestors()
            .get(0)
            .entries();
    assertThat(((AttestorEntry.Key) entries.get(0)).origin())
        .isEqualTo(new KeyOrigin.File(file, Optional.empty()));
    assertThat(((AttestorEntry.Key) entries.get(1)).origin())
        .isEqualTo(new KeyOrigin.File(file, Optional.of(Path.of("../keys/backup.pub"))));
    assertThat(((AttestorEntry.Key) entries.get(1)).origin().describe())
        .isEqualTo("from file ../keys/backup.pub, named in " + file);
    assertThat(((AttestorEntry.Keyless) entries.get(2)).origin())
        .isEqualTo(new KeyOrigin.File(file, Optional.empty()));
    assertThat(((AttestorEntry.Keyless) entries.get(2)).origin().describe())
        .isEqualTo("from file " + file);
  }

  @Test
  void loadsTheDocumentedExampleWithEveryKindOfRule() throws IOException {
    write("keys/backup.pub", TestKeys.publicPem(BACKUP));
    LoadedPolicies loaded =
        load(
            """
            apiVersion: sigaudit.dev/v1alpha1
            kind: SignaturePolicy
            metadata: {name: prod-signed}
            spec:
              mode: enforce
              severity: high
              category: Supply Chain
              namespaces:
                include: [prod-*]
                exclude: [kube-system]
                selector:
                  matchLabels: {team: payments}
                  matchExpressions:
                    - {key: tier, operator: In, values: [web, api]}
              rules:
                - name: signed-by-release-key
                  images: ["ghcr.io/acme/*"]
                  skipImages: ["ghcr.io/acme/debug-*"]
                  signatureRepository: ghcr.io/acme/signatures
                  attestors:
                    count: 1
                    entries:
                      - publicKey: |
                          %s
                      - publicKeyFile: keys/backup.pub
                - name: allowed-registries
                  images: ["*"]
                  allowedRegistries: ["ghcr.io/acme/", "registry.k8s.io"]
                - name: pinned-by-digest
                  images: ["*"]
                  requireDigest: true
            """
                .formatted(pem(RELEASE, 14)));

    assertThat(problems(loaded)).isEmpty();
    Policy p = loaded.policies().get(0);
    assertThat(p.name()).isEqualTo("prod-signed");
    assertThat(p.source()).isEqualTo(PolicySource.SIGAUDIT_FILE);
    assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(p.severity()).isEqualTo(Severity.HIGH);
    assertThat(p.category()).isEqualTo("Supply Chain");
    assertThat(p.namespaces().selects("prod-eu", Map.of("team", "payments", "tier", "web")))
        .isTrue();
    assertThat(p.namespaces().selects("prod-eu", Map.of("team", "payments"))).isFalse();
    assertThat(p.rules())
        .extracting(r -> r.name())
        .containsExactly("signed-by-release-key", "allowed-registries", "pinned-by-digest");

    var signatures = (Check.Signatures) p.rules().get(0).check();
    assertThat(signatures.signatureRepository())
        .contains(ImageRef.parse("ghcr.io/acme/signatures"));
    assertThat(signatures.attestors())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.count()).isEqualTo(1);
              assertThat(a.entries())
                  .extracting(e -> ((AttestorEntry.Key) e).key().key())
                  .containsExactly(RELEASE.getPublic(), BACKUP.getPublic());
            });
    assertThat(p.rules().get(0).images().skipImages()).containsExactly("ghcr.io/acme/debug-*");
    assertThat(p.rules().get(1).check())
        .isEqualTo(new Check.AllowedImages(List.of("ghcr.io/acme/*", "registry.k8s.io/*")));
    assertThat(p.rules().get(2).check()).isEqualTo(new Check.RequireDigest());
  }

  @Test
  void appliesDefaultsForOptionalFields() throws IOException {
    LoadedPolicies loaded =
        load(
            minimal(
                "defaults",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    entries:
                      - publicKey: |
                          %s
                      - publicKey: |
                          %s
                """
                    .formatted(pem(RELEASE, 12), pem(BACKUP, 12))));

    assertThat(problems(loaded)).isEmpty();
    Policy p = loaded.policies().get(0);
    assertThat(p.mode()).isEqualTo(Mode.AUDIT);
    assertThat(p.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(p.category()).isEqualTo("Image Signatures");
    assertThat(p.namespaces()).isEqualTo(NamespaceSelector.ALL);
    var set = ((Check.Signatures) p.rules().get(0).check()).attestors().get(0);
    assertThat(set.count()).as("all entries by default").isEqualTo(2);
    assertThat(((Check.Signatures) p.rules().get(0).check()).signatureRepository()).isEmpty();
  }

  @Test
  void readsSeveralDocumentsAndListsOfPolicies() throws IOException {
    String yaml =
        minimal("one", digestRule("r"))
            + "---\n"
            + "- "
            + minimal("two", digestRule("r")).indent(2).strip()
            + "\n- "
            + minimal("three", digestRule("r")).indent(2).strip()
            + "\n---\n";

    LoadedPolicies loaded = load(yaml);

    assertThat(problems(loaded)).isEmpty();
    assertThat(loaded.policies()).extracting(Policy::name).containsExactly("one", "two", "three");
  }

  @Test
  void oneBrokenPolicyDoesNotStopTheOthers() throws IOException {
    String broken =
        minimal("broken", digestRule("r"))
            .replace("requireDigest: true", "requireDigest: true\n      color: red");
    String yaml =
        minimal("first", digestRule("r"))
            + "---\n"
            + broken
            + "---\n"
            + minimal("last", digestRule("r"));

    LoadedPolicies loaded = load(yaml);

    assertThat(loaded.policies()).extracting(Policy::name).containsExactly("first", "last");
    assertThat(problems(loaded))
        .containsExactly(
            "broken: spec.rules[0].color: unknown field (expected one of: allowedRegistries, attestors,"
                + " images, name, requireDigest, signatureRepository, skipImages)");
    PolicyProblem problem = loaded.problems().get(0);
    assertThat(problem.origin()).isEqualTo(dir.resolve("policies.yaml").toString());
    assertThat(problem.object()).isEqualTo("broken");
    assertThat(problem.field()).isEqualTo("spec.rules[0].color");
  }

  @Test
  void unknownFieldIsNamedWithItsFullPath() throws IOException {
    LoadedPolicies loaded =
        load(
            minimal(
                "prod-signed",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    entries:
                      - publicKeyFil: keys/release.pub
                """));

    assertThat(problems(loaded))
        .containsExactly(
            "prod-signed: spec.rules[0].attestors.entries[0].publicKeyFil: unknown field (expected one"
                + " of: keyless, publicKey, publicKeyFile, signatureRepository)");
  }

  @Test
  void badPemIsReportedWithTheParserReason() throws IOException {
    LoadedPolicies loaded =
        load(
            minimal(
                "prod-signed",
                digestRule("pinned")
                    + """
                    - name: signed
                      images: ["ghcr.io/acme/*"]
                      attestors:
                        entries:
                          - publicKey: not a key
                    """));

    assertThat(problems(loaded))
        .containsExactly(
            "prod-signed: spec.rules[1].attestors.entries[0].publicKey: not a PEM public key (no"
                + " -----BEGIN PUBLIC KEY----- block)");
    assertThat(loaded.policies()).as("a partly valid policy is not loaded at all").isEmpty();
  }

  @Test
  void aPrivateKeyIsRefused() throws IOException {
    String privatePem =
        TestKeys.pem("PRIVATE KEY", RELEASE.getPrivate())
            .strip()
            .replace("\n", "\n" + " ".repeat(12));
    LoadedPolicies loaded =
        load(
            minimal(
                "leaky",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    entries:
                      - publicKey: |
                          %s
                """
                    .formatted(privatePem)));

    assertThat(problems(loaded))
        .containsExactly(
            "leaky: spec.rules[0].attestors.entries[0].publicKey: not a PEM public key (a PRIVATE KEY"
                + " block; a policy must contain only the public key)");
  }

  @Test
  void publicKeyFileIsResolvedRelativeToThePolicyFileNotTheWorkingDirectory() throws IOException {
    write("conf/keys/release.pub", TestKeys.publicPem(RELEASE));
    Path file =
        write(
            "conf/policies.yaml",
            minimal(
                "relative",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    entries:
                      - publicKeyFile: keys/release.pub
                """));

    LoadedPolicies loaded = loader.load(file);

    assertThat(loaded.problems()).isEmpty();
    var check = (Check.Signatures) loaded.policies().get(0).rules().get(0).check();
    var entry = (AttestorEntry.Key) check.attestors().get(0).entries().get(0);
    assertThat(entry.key().key()).isEqualTo(RELEASE.getPublic());
  }

  @Test
  void anUnreadablePublicKeyFileNamesTheResolvedPath() throws IOException {
    Path file =
        write(
            "conf/policies.yaml",
            minimal(
                "relative",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    entries:
                      - publicKeyFile: keys/missing.pub
                """));

    LoadedPolicies loaded = loader.load(file);

    assertThat(loaded.problems())
        .extracting(PolicyProblem::field, PolicyProblem::message)
        .containsExactly(
            tuple(
                "spec.rules[0].attestors.entries[0].publicKeyFile",
                "cannot read keys/missing.pub ("
                    + dir.resolve("conf/keys/missing.pub")
                    + "): NoSuchFileException"));
  }

  @Test
  void missingImagesIsReported() throws IOException {
    LoadedPolicies loaded = load(minimal("p", "- name: pinned\n  requireDigest: true\n"));

    assertThat(problems(loaded))
        .containsExactly(
            "p: spec.rules[0].images: at least one image pattern is required (\"*\" for all)");
  }

  @Test
  void countAboveTheNumberOfEntriesIsReported() throws IOException {
    LoadedPolicies loaded =
        load(
            minimal(
                "p",
                """
                - name: signed
                  images: ["ghcr.io/acme/*"]
                  attestors:
                    count: 3
                    entries:
                      - publicKey: |
                          %s
                      - publicKey: |
                          %s
                """
                    .formatted(pem(RELEASE, 12), pem(BACKUP, 12))));

    assertThat(problems(loaded))
        .containsExactly("p: spec.rules[0].attestors.count: 3 is more than the 2 entries");
  }

  @Test
  void countBelowOneAndNoEntriesAreReported() throws IOException {
    LoadedPolicies loaded =
        load(
            minimal(
                "p", "- name: signed\n  images: [\"*\"]\n  attestors: {count: 0, entries: []}\n"));

    assertThat(problems(loaded))
        .containsExactly(
            "p: spec.rules[0].attestors.entries: at least one entry is required",
            "p: spec.rules[0].attestors.count: must be at least 1, got 0");
  }

  @Test
  void badSeverityModeAndHeaderAreAllReportedAtOnce() throws IOException {
    String yaml =
        minimal("p", digestRule("r"))
            .replace("apiVersion: sigaudit.dev/v1alpha1", "apiVersion: sigaudit.dev/v1")
            .replace("kind: SignaturePolicy", "kind: ClusterPolicy")
            .replace("spec:\n", "spec:\n  severity: urgent\n  mode: Audit\n");

    assertThat(problems(load(yaml)))
        .containsExactly(
            "p: apiVersion: expected sigaudit.dev/v1alpha1, got 'sigaudit.dev/v1'",
            "p: kind: expected SignaturePolicy, got 'ClusterPolicy'",
            "p: spec.mode: 'Audit' is not one of audit, enforce, warn",
            "p: spec.severity: 'urgent' is not one of critical, high, medium, low, info");
  }

  @Test
  void wrongValueTypesSayWhatWasExpectedAndFound() throws IOException {
    assertThat(
            problems(
                load(
                    minimal(
                        "p", "- name: r\n  images: ghcr.io/acme/app\n  requireDigest: true\n"))))
        .containsExactly(
            "p: spec.rules[0].images: expected a list, got the string \"ghcr.io/acme/app\"");
    assertThat(
            problems(
                load(minimal("p", "- name: r\n  images: [\"*\"]\n  attestors: {count: \"1\"}\n"))))
        .containsExactly(
            "p: spec.rules[0].attestors.count: expected an integer, got the string \"1\"");
  }

  @Test
  void aRuleNeedsExactlyOneCheck() throws IOException {
    String rules =
        """
        - name: none
          images: ["*"]
        - name: two
          images: ["*"]
          requireDigest: true
          allowedRegistries: [ghcr.io]
        - name: off
          images: ["*"]
          requireDigest: false
        - name: repo
          images: ["*"]
          signatureRepository: ghcr.io/acme/sigs
          requireDigest: true
        """;

    assertThat(problems(load(minimal("p", rules))))
        .containsExactly(
            "p: spec.rules[0]: no check: set one of attestors, allowedRegistries, requireDigest",
            "p: spec.rules[1]: more than one check (allowedRegistries, requireDigest); give each its own rule",
            "p: spec.rules[2].requireDigest: false is not a check; set true or remove it",
            "p: spec.rules[3].signatureRepository: only applies to a rule with attestors");
  }

  @Test
  void imagePatternsWithoutRegistryAreRefusedWithASuggestion() throws IOException {
    String rules =
        """
        - name: r
          images: ["nginx:*", "bitnami/redis", "ghcr*", "*/pause:*", "localhost:5000/*"]
          skipImages: ["", "with space/x"]
          requireDigest: true
        """;

    assertThat(problems(load(minimal("p", rules))))
        .containsExactly(
            "p: spec.rules[0].images[0]: 'nginx:*' never matches: images are matched with their registry,"
                + " e.g. docker.io/library/nginx:1.27; write 'docker.io/library/nginx:*'",
            "p: spec.rules[0].images[1]: 'bitnami/redis' never matches: images are matched with their"
                + " registry, e.g. docker.io/library/nginx:1.27; write 'docker.io/bitnami/redis'",
            "p: spec.rules[0].skipImages[0]: must not be empty",
            "p: spec.rules[0].skipImages[1]: 'with space/x' contains whitespace");
  }

  @Test
  void allowedRegistriesMustBePlainRegistryPrefixes() throws IOException {
    String rules =
        """
        - name: r
          images: ["*"]
          allowedRegistries: ["*.gcr.io", "acme/", "ghcr.io/acme:1", "ghcr.io/acme@sha256:x", "localhost:5000"]
        """;

    assertThat(problems(load(minimal("p", rules))))
        .containsExactly(
            "p: spec.rules[0].allowedRegistries[0]: '*.gcr.io' is not a registry prefix (no wildcards,"
                + " spaces, tags or digests)",
            "p: spec.rules[0].allowedRegistries[1]: 'acme/' does not start with a registry host; write e.g."
                + " 'docker.io/acme/'",
            "p: spec.rules[0].allowedRegistries[2]: 'ghcr.io/acme:1' is not a registry prefix (no tags or"
                + " digests)",
            "p: spec.rules[0].allowedRegistries[3]: 'ghcr.io/acme@sha256:x' is not a registry prefix (no"
                + " wildcards, spaces, tags or digests)");
  }

  @Test
  void allowedRegistryPrefixesStopAtAPathSegment() throws IOException {
    LoadedPolicies loaded =
        load(
            minimal(
                "p",
                "- name: r\n  images: [\"*\"]\n  allowedRegistries: [ghcr.io/acme, localhost:5000/]\n"));

    assertThat(loaded.policies().get(0).rules().get(0).check())
        .isEqualTo(new Check.AllowedImages(List.of("ghcr.io/acme/*", "localhost:5000/*")));
  }

  @Test
  void signatureRepositoryMustNameARepository() throws IOException {
    String rules =
        """
        - name: r
          images: ["*"]
          signatureRepository: ghcr.io/acme/sigs:v1
          attestors:
            entries:
              - publicKey: |
                  %s
                signatureRepository: "Not A Repo"
        """
            .formatted(pem(RELEASE, 10));

    assertThat(problems(load(minimal("p", rules))))
        .containsExactly(
            "p: spec.rules[0].signatureRepository: 'ghcr.io/acme/sigs:v1' must name a repository, without"
                + " tag or digest",
            "p: spec.rules[0].attestors.entries[0].signatureRepository: 'Not A Repo' is not a repository name");
  }

  @Test
  void anEntryNeedsExactlyOneKeySource() throws IOException {
    String rules =
        """
        - name: r
          images: ["*"]
          attestors:
            entries:
              - {publicKey: x, publicKeyFile: y}
              - {}
        """;

    assertThat(problems(load(minimal("p", rules))))
        .containsExactly(
            "p: spec.rules[0].attestors.entries[0]: set exactly one of publicKey, publicKeyFile, keyless",
            "p: spec.rules[0].attestors.entries[1]: set exactly one of publicKey, publicKeyFile, keyless");
  }

  @Test
  void namespaceSelectorErrorsNameTheExpression() throws IOException {
    String yaml =
        minimal("p", digestRule("r"))
            .replace(
                "spec:\n",
                """
                spec:
                  namespaces:
                    include: [""]
                    selector:
                      matchExpressions:
                        - {key: env, operator: in, values: [prod]}
                        - {key: env, operator: Exists, values: [prod]}
                        - {key: env, operator: NotIn}
                """);

    assertThat(problems(load(yaml)))
        .containsExactly(
            "p: spec.namespaces.include[0]: must not be empty",
            "p: spec.namespaces.selector.matchExpressions[0].operator: 'in' is not one of In, NotIn, Exists,"
                + " DoesNotExist",
            "p: spec.namespaces.selector.matchExpressions[1].values: Exists takes no values",
            "p: spec.namespaces.selector.matchExpressions[2].values: NotIn needs at least one value");
  }

  @Test
  void duplicateRuleAndPolicyNamesAreReported() throws IOException {
    String yaml =
        minimal("p", digestRule("r") + digestRule("r"))
            + "---\n"
            + minimal("q", digestRule("r"))
            + "---\n"
            + minimal("q", digestRule("other"));

    LoadedPolicies loaded = load(yaml);

    assertThat(loaded.policies()).extracting(Policy::name).containsExactly("q");
    assertThat(loaded.policies().get(0).rules()).extracting(r -> r.name()).containsExactly("r");
    assertThat(problems(loaded))
        .containsExactly(
            "p: spec.rules[1].name: duplicate rule name 'r' (also spec.rules[0])",
            "q: metadata.name: duplicate policy name (first defined in "
                + dir.resolve("policies.yaml")
                + " q)");
  }

  @Test
  void aPolicyWithoutAUsableNameIsNamedByItsPosition() throws IOException {
    String yaml =
        minimal("ok", digestRule("r"))
            + "---\n"
            + minimal("Not_Valid", digestRule("r"))
            + "---\n"
            + "hello\n";

    assertThat(problems(load(yaml)))
        .containsExactly(
            "policy[1]: metadata.name: 'Not_Valid' is not a valid name (lower-case letters, digits, '-' and"
                + " '.')",
            "policy[2]: expected a mapping, got the string \"hello\"");
  }

  @Test
  void aYamlSyntaxErrorKeepsThePoliciesBeforeIt() throws IOException {
    String yaml = minimal("before", digestRule("r")) + "---\nspec: [\n";

    LoadedPolicies loaded = load(yaml);

    assertThat(loaded.policies()).extracting(Policy::name).containsExactly("before");
    assertThat(problems(loaded))
        .singleElement()
        .asString()
        .startsWith("line ")
        .contains("invalid YAML: ")
        .endsWith("; policies from this point on were not loaded");
  }

  @Test
  void duplicateKeysAreAnError() throws IOException {
    String yaml =
        minimal("p", digestRule("r"))
            .replace("spec:\n", "spec:\n  severity: low\n  severity: high\n");

    assertThat(load(yaml).problems())
        .singleElement()
        .extracting(PolicyProblem::message)
        .asString()
        .contains("invalid YAML: Duplicate field 'severity'");
  }

  @Test
  void yamlAliasesAreRefused() throws IOException {
    String yaml =
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: p}
        spec:
          rules:
            - name: r
              images: &all ["*"]
              skipImages: *all
              requireDigest: true
        """;

    LoadedPolicies loaded = load(yaml);

    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.problems())
        .singleElement()
        .extracting(PolicyProblem::message)
        .asString()
        .contains("YAML aliases (*all) are not supported");
  }

  @Test
  void yamlTagsNeverInstantiateClasses() throws IOException {
    String yaml =
        minimal("p", digestRule("r"))
            .replace("metadata: {name: p}", "metadata: {name: !!java.net.URL p}");

    assertThat(load(yaml).policies()).extracting(Policy::name).containsExactly("p");
  }

  @Test
  void deeplyNestedYamlIsRefused() throws IOException {
    String yaml =
        minimal("ok", digestRule("r")) + "---\n" + "[".repeat(100) + "]".repeat(100) + "\n";

    LoadedPolicies loaded = load(yaml);

    assertThat(loaded.policies()).extracting(Policy::name).containsExactly("ok");
    assertThat(loaded.problems())
        .singleElement()
        .extracting(PolicyProblem::message)
        .asString()
        .contains("invalid YAML: ")
        .contains("depth");
  }

  @Test
  void aFileAboveTheSizeLimitIsNotRead() throws IOException {
    Path file = write("big.yaml", minimal("p", digestRule("r")) + "#" + "x".repeat(200) + "\n");

    LoadedPolicies loaded = new PolicyFileLoader(new PemKeyParser(), 100).load(file);

    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.problems())
        .containsExactly(
            new PolicyProblem(
                file.toString(), "", "", "file is larger than the limit of 100 bytes"));
    assertThat(loaded.problems().get(0).toString())
        .isEqualTo(file + ": file is larger than the limit of 100 bytes");
  }

  @Test
  void aMissingFileIsAProblemNotAnException() {
    Path file = dir.resolve("absent.yaml");

    assertThat(loader.load(file).problems())
        .containsExactly(new PolicyProblem(file.toString(), "", "", "no such file"));
  }

  @Test
  void policyNamesMustBeUniqueAcrossFiles() throws IOException {
    Path a = write("a.yaml", minimal("same", digestRule("r")));
    Path b =
        write(
            "b.yaml",
            minimal("same", digestRule("r")) + "---\n" + minimal("other", digestRule("r")));

    LoadedPolicies loaded = loader.load(List.of(a, b));

    assertThat(loaded.policies()).extracting(Policy::name).containsExactly("same", "other");
    assertThat(loaded.problems())
        .singleElement()
        .hasToString(
            b + ": same: metadata.name: duplicate policy name (first defined in " + a + " same)");
  }

  @Test
  void anEntrySignatureRepositoryStaysOnThatEntry() throws IOException {
    String rules =
        """
        - name: r
          images: ["*"]
          attestors:
            entries:
              - publicKey: |
                  %s
                signatureRepository: ghcr.io/acme/sigs
        """
            .formatted(pem(RELEASE, 10));

    Policy p = load(minimal("p", rules)).policies().get(0);
    var check = (Check.Signatures) p.rules().get(0).check();

    assertThat(check.signatureRepository()).isEmpty();
    assertThat(
            ((AttestorEntry.Key) check.attestors().get(0).entries().get(0)).signatureRepository())
        .isEqualTo(Optional.of(ImageRef.parse("ghcr.io/acme/sigs")));
  }

  @Test
  void aKeylessEntryNamesTheSignerIdentityAndIsRefusedWithoutOne() throws IOException {
    Path ok = dir.resolve("keyless.yaml");
    Files.writeString(
        ok,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: ci-signed}
        spec:
          rules:
            - name: github-actions
              images: ["ghcr.io/acme/*"]
              attestors:
                entries:
                  - keyless:
                      issuer: https://token.actions.githubusercontent.com
                      subjectRegExp: ^https://github.com/acme/.*$
        """);
    var loaded = new PolicyFileLoader(new dev.sigaudit.policy.PemKeyParser()).load(ok);
    assertThat(loaded.problems()).isEmpty();
    var check =
        (dev.sigaudit.policy.Check.Signatures) loaded.policies().get(0).rules().get(0).check();
    var entry =
        (dev.sigaudit.policy.AttestorEntry.Keyless) check.attestors().get(0).entries().get(0);
    assertThat(entry.identities().get(0).issuer())
        .contains("https://token.actions.githubusercontent.com");
    assertThat(entry.identities().get(0).subjectRegExp()).contains("^https://github.com/acme/.*$");
    assertThat(entry.ignoreTlog()).isFalse();

    Path bad = dir.resolve("keyless-bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: anyone}
        spec:
          rules:
            - name: r
              images: ["*"]
              attestors:
                entries:
                  - keyless: {issuer: https://accounts.google.com}
        """);
    assertThat(new PolicyFileLoader(new dev.sigaudit.policy.PemKeyParser()).load(bad).problems())
        .extracting(Object::toString)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains(
                        "anyone: spec.rules[0].attestors.entries[0].keyless: set subject or subjectRegExp"));
  }
}
