package dev.sigaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.cli.PolicyEngine;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.file.PolicyFileLoader;
import dev.sigaudit.verify.PublicKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The manifests under {@code cronjob/} as written (no kustomize needed; {@link KustomizeBuildTest}
 * checks what kustomize renders): least-privilege RBAC, a locked-down CronJob, arguments that
 * sigaudit accepts, a sample policy that loads.
 */
class CronJobManifestsTest {
  private static final Path CRONJOB = Manifests.root().resolve("cronjob");
  private static final Path BASE = CRONJOB.resolve("base");

  @Test
  void everyKustomizationReferencesFilesThatExist() throws IOException {
    List<String> missing = new ArrayList<>();
    try (Stream<Path> s = Files.walk(CRONJOB)) {
      for (Path k :
          s.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).toList()) {
        JsonNode doc = Manifests.YAML.readTree(k.toFile());
        List<JsonNode> refs = new ArrayList<>();
        doc.path("resources").forEach(refs::add);
        doc.path("components").forEach(refs::add);
        doc.path("configMapGenerator").forEach(g -> g.path("files").forEach(refs::add));
        for (JsonNode r : refs) {
          if (!Files.exists(k.getParent().resolve(r.asText()))) {
            missing.add(CRONJOB.relativize(k) + ": " + r.asText());
          }
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void theBaseClusterRoleGrantsExactlyWhatAScanNeeds() throws IOException {
    JsonNode role = base().get("ClusterRole", "sigaudit");
    assertThat(DeployRules.broadGrants(role)).isEmpty();
    assertThat(DeployRules.grants(role))
        .containsExactlyInAnyOrderElementsOf(DeployRules.SCAN_GRANTS);
  }

  @Test
  void theBaseGrantsNothingElseAndBindsOnlyTheServiceAccount() throws IOException {
    Manifests base = base();
    assertThat(base.ofKind("ClusterRole")).hasSize(1);
    assertThat(base.ofKind("Role")).isEmpty();
    assertThat(base.ofKind("RoleBinding")).isEmpty();
    assertThat(bindingProblems(base)).isEmpty();
  }

  @Test
  void eachPolicyEngineHasAComponentGrantingExactlyWhatTheCodeReads() throws IOException {
    for (PolicyEngine e : PolicyEngine.values()) {
      assertThat(componentGrants(e.flag()))
          .as("cronjob/components/%s", e.flag())
          .containsExactlyInAnyOrderElementsOf(DeployRules.grantsOf(e.access()));
    }
    // Kyverno's namespaced ImageValidatingPolicy is read too (it was once forgotten here).
    assertThat(DeployRules.KYVERNO_GRANTS)
        .contains("policies.kyverno.io/namespacedimagevalidatingpolicies:list");
  }

  @Test
  void componentsCreateNothingOutsideSigauditsNamespace() throws IOException {
    // They must install on a cluster without Kyverno's or policy-controller's namespaces.
    for (String c : List.of("kyverno", "policy-controller", "pull-secrets")) {
      Manifests m = Manifests.ofKustomization(CRONJOB.resolve("components").resolve(c));
      for (JsonNode o : m.objects()) {
        String ns = o.path("metadata").path("namespace").asText();
        assertThat(ns).as("%s: %s", c, o.path("metadata").path("name")).isIn("", "sigaudit");
      }
    }
  }

  @Test
  void componentsGrantOnlyTheirOwnReadAccess() throws IOException {
    assertThat(componentGrants("kyverno"))
        .containsExactlyInAnyOrderElementsOf(DeployRules.KYVERNO_GRANTS);
    assertThat(componentGrants("policy-controller"))
        .containsExactlyInAnyOrderElementsOf(DeployRules.POLICY_CONTROLLER_GRANTS);
    assertThat(componentGrants("pull-secrets"))
        .containsExactlyInAnyOrderElementsOf(DeployRules.PULL_SECRET_GRANTS);
    for (String c : List.of("kyverno", "policy-controller")) {
      Manifests m = Manifests.ofKustomization(CRONJOB.resolve("components").resolve(c));
      for (String kind : List.of("ClusterRole", "Role")) {
        m.ofKind(kind).forEach(r -> assertThat(DeployRules.broadGrants(r)).isEmpty());
      }
      assertThat(bindingProblems(m)).isEmpty();
    }
    assertThat(
            bindingProblems(Manifests.ofKustomization(CRONJOB.resolve("components/pull-secrets"))))
        .isEmpty();
  }

  @Test
  void theCronJobRunsLockedDown() throws IOException {
    assertThat(DeployRules.cronJob(base().get("CronJob", "sigaudit"))).isEmpty();
  }

  @Test
  void theCronJobArgumentsParseAndPointAtMountedFiles() throws IOException {
    Manifests base = base();
    assertThat(DeployRules.arguments(base.get("CronJob", "sigaudit"), base)).isEmpty();
  }

  @Test
  void theNamespaceEnforcesTheRestrictedPodSecurityStandard() throws IOException {
    JsonNode ns = base().get("Namespace", "sigaudit");
    assertThat(
            ns.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText())
        .isEqualTo("restricted");
  }

  @Test
  void theSamplePolicyLoadsWithoutProblems() {
    LoadedPolicies loaded =
        new PolicyFileLoader(CronJobManifestsTest::singleKey).load(BASE.resolve("policy.yaml"));
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.policies())
        .extracting(p -> p.name())
        .containsExactly("kubernetes-release-images", "your-images");
  }

  @Test
  void theTrustedRootIsASigstoreTrustedRoot() throws IOException {
    JsonNode root = new ObjectMapper().readTree(BASE.resolve("trusted_root.json").toFile());
    assertThat(root.path("mediaType").asText())
        .isEqualTo("application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    for (String f : List.of("tlogs", "certificateAuthorities", "ctlogs")) {
      assertThat(root.path(f).size()).as(f).isPositive();
    }
    // The copy must match the project's reference when that is around (not in a user's clone).
    Path reference =
        Manifests.root().resolve("../shared/reference/sigstore/trusted_root_public_good.json");
    if (Files.exists(reference)) {
      assertThat(Files.readString(BASE.resolve("trusted_root.json")))
          .isEqualTo(Files.readString(reference));
    }
  }

  /** A manifest weakened on purpose, the check that must notice, and what it must say. */
  record Weakening(
      String name,
      Consumer<Manifests> change,
      Function<Manifests, List<String>> check,
      String expected) {}

  @TestFactory
  Stream<DynamicTest> everyCheckFailsOnAWeakenedManifest() {
    Function<Manifests, List<String>> role =
        m -> {
          JsonNode r = m.get("ClusterRole", "sigaudit");
          List<String> out = new ArrayList<>(DeployRules.broadGrants(r));
          Set<String> extra = new TreeSet<>(DeployRules.grants(r));
          extra.removeAll(DeployRules.SCAN_GRANTS);
          extra.forEach(g -> out.add("unexpected grant " + g));
          return out;
        };
    Function<Manifests, List<String>> cronJob =
        m -> DeployRules.cronJob(m.get("CronJob", "sigaudit"));
    Function<Manifests, List<String>> args =
        m -> DeployRules.arguments(m.get("CronJob", "sigaudit"), m);
    return Stream.of(
            new Weakening(
                "verb wildcard",
                m -> rule(m, 0).putArray("verbs").add("*"),
                role,
                "wildcard in verbs"),
            new Weakening(
                "resource wildcard",
                m -> rule(m, 1).putArray("resources").add("*"),
                role,
                "wildcard in resources"),
            new Weakening(
                "secrets",
                m -> ((ArrayNode) rule(m, 0).path("resources")).add("secrets"),
                role,
                "grants access to secrets"),
            new Weakening(
                "watch",
                m -> ((ArrayNode) rule(m, 0).path("verbs")).add("watch"),
                role,
                "verb watch is not needed"),
            new Weakening(
                "configmaps",
                m -> ((ArrayNode) rule(m, 0).path("resources")).add("configmaps"),
                role,
                "unexpected grant /configmaps:list"),
            new Weakening(
                "writable root filesystem",
                m -> securityContext(m).put("readOnlyRootFilesystem", false),
                cronJob,
                "readOnlyRootFilesystem must be true"),
            new Weakening(
                "privilege escalation",
                m -> securityContext(m).remove("allowPrivilegeEscalation"),
                cronJob,
                "allowPrivilegeEscalation must be false, is unset"),
            new Weakening(
                "capabilities kept",
                m -> securityContext(m).remove("capabilities"),
                cronJob,
                "must drop ALL capabilities"),
            new Weakening(
                "root",
                m -> ((ObjectNode) podSpec(m).path("securityContext")).put("runAsUser", 0),
                cronJob,
                "runAsUser must be 65532, is 0"),
            new Weakening(
                "no seccomp",
                m -> ((ObjectNode) podSpec(m).path("securityContext")).remove("seccompProfile"),
                cronJob,
                "seccompProfile.type must be RuntimeDefault"),
            new Weakening(
                "overlapping runs",
                m ->
                    ((ObjectNode) m.get("CronJob", "sigaudit").path("spec"))
                        .put("concurrencyPolicy", "Allow"),
                cronJob,
                "concurrencyPolicy must be Forbid"),
            new Weakening(
                "no deadline",
                m ->
                    ((ObjectNode)
                            m.get("CronJob", "sigaudit")
                                .path("spec")
                                .path("jobTemplate")
                                .path("spec"))
                        .remove("activeDeadlineSeconds"),
                cronJob,
                "activeDeadlineSeconds must be a positive number"),
            new Weakening(
                "no memory limit",
                m -> ((ObjectNode) container(m).path("resources").path("limits")).remove("memory"),
                cronJob,
                "needs resources.limits.memory"),
            new Weakening(
                "no /tmp",
                m -> ((ArrayNode) container(m).path("volumeMounts")).remove(3),
                cronJob,
                "needs an emptyDir at /tmp"),
            new Weakening(
                "unknown flag",
                m -> ((ArrayNode) container(m).path("args")).add("--polcy=/x"),
                args,
                "Unknown option: '--polcy=/x'"),
            new Weakening(
                "no Pushgateway",
                m -> ((ArrayNode) container(m).path("args")).remove(5),
                args,
                "no --pushgateway"),
            new Weakening(
                "policy not mounted",
                m -> ((ArrayNode) container(m).path("args")).set(1, "--policy=/etc/policy.yaml"),
                args,
                "--policy /etc/policy.yaml is not on a ConfigMap volume"),
            new Weakening(
                "CSV on the image",
                m -> ((ArrayNode) container(m).path("args")).set(2, "--csv-dir=/opt/csv"),
                args,
                "--csv-dir /opt/csv is not on a writable persistent volume"))
        .map(
            w ->
                DynamicTest.dynamicTest(
                    w.name(),
                    () -> {
                      Manifests m = base();
                      assertThat(w.check().apply(m)).as("before weakening").isEmpty();
                      w.change().accept(m);
                      assertThat(w.check().apply(m))
                          .anySatisfy(p -> assertThat(p).contains(w.expected()));
                    }));
  }

  private static Manifests base() {
    try {
      return Manifests.ofKustomization(BASE);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Set<String> componentGrants(String component) throws IOException {
    Manifests m = Manifests.ofKustomization(CRONJOB.resolve("components").resolve(component));
    Set<String> all = new TreeSet<>();
    Stream.concat(m.ofKind("ClusterRole").stream(), m.ofKind("Role").stream())
        .forEach(r -> all.addAll(DeployRules.grants(r)));
    return all;
  }

  /**
   * Every binding refers to a role of the same manifests and binds exactly sigaudit's
   * ServiceAccount.
   */
  static List<String> bindingProblems(Manifests m) {
    List<String> out = new ArrayList<>();
    for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (JsonNode b : m.ofKind(kind)) {
        String name = kind + " " + b.path("metadata").path("name").asText();
        String roleKind = b.path("roleRef").path("kind").asText();
        if (m.find(roleKind, b.path("roleRef").path("name").asText()).isEmpty()) {
          out.add(
              name
                  + ": refers to a "
                  + roleKind
                  + " that is not defined here: "
                  + b.path("roleRef"));
        }
        JsonNode s = b.path("subjects");
        if (s.size() != 1
            || !s.get(0).path("kind").asText().equals("ServiceAccount")
            || !s.get(0).path("name").asText().equals("sigaudit")
            || !s.get(0).path("namespace").asText().equals("sigaudit")) {
          out.add(name + ": must bind only ServiceAccount sigaudit/sigaudit: " + s);
        }
      }
    }
    return out;
  }

  private static TrustedKey singleKey(String pem) {
    List<TrustedKey> keys = PublicKeys.parsePem(pem);
    if (keys.size() != 1) {
      throw new IllegalArgumentException("expected one key, found " + keys.size());
    }
    return keys.get(0);
  }

  private static ObjectNode rule(Manifests m, int i) {
    return (ObjectNode) m.get("ClusterRole", "sigaudit").path("rules").get(i);
  }

  private static ObjectNode podSpec(Manifests m) {
    return (ObjectNode)
        m.get("CronJob", "sigaudit")
            .path("spec")
            .path("jobTemplate")
            .path("spec")
            .path("template")
            .path("spec");
  }

  private static ObjectNode container(Manifests m) {
    return (ObjectNode) podSpec(m).path("containers").get(0);
  }

  private static ObjectNode securityContext(Manifests m) {
    return (ObjectNode) container(m).path("securityContext");
  }
}
