package dev.sigaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the base, every overlay and all components together with kustomize ({@code
 * scripts/kustomize-build}: a pinned kustomize, built once into {@code ~/.cache/sigaudit}) and
 * checks what would really be applied: each build renders, keeps the CronJob locked down, grants
 * exactly the base's permissions plus those of its components, and puts everything in the {@code
 * sigaudit} namespace.
 */
class KustomizeBuildTest {
  private static final Path ROOT = Manifests.root();

  /** Build name -> the grants it must have beyond the base's. */
  private static final Map<String, Set<String>> EXTRA_GRANTS = new LinkedHashMap<>();

  static {
    EXTRA_GRANTS.put("base", Set.of());
    EXTRA_GRANTS.put("kyverno", DeployRules.KYVERNO_GRANTS);
    EXTRA_GRANTS.put("policy-controller", DeployRules.POLICY_CONTROLLER_GRANTS);
    EXTRA_GRANTS.put("pull-secrets", DeployRules.PULL_SECRET_GRANTS);
    Set<String> all = new TreeSet<>();
    all.addAll(DeployRules.KYVERNO_GRANTS);
    all.addAll(DeployRules.POLICY_CONTROLLER_GRANTS);
    all.addAll(DeployRules.PULL_SECRET_GRANTS);
    EXTRA_GRANTS.put("all-components", all);
  }

  @TempDir static Path tmp;
  private static final Map<String, Manifests> builds = new LinkedHashMap<>();

  @BeforeAll
  static void render() throws Exception {
    Path log = tmp.resolve("kustomize-build.log");
    Path out = tmp.resolve("rendered"); // the script empties it first
    Process p =
        new ProcessBuilder(
                "bash", ROOT.resolve("scripts/kustomize-build").toString(), out.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("scripts/kustomize-build did not finish in 10 minutes");
    }
    assertThat(p.exitValue())
        .as("scripts/kustomize-build (needs Go >= 1.26 on first use):\n%s", Files.readString(log))
        .isZero();
    for (String name : EXTRA_GRANTS.keySet()) {
      builds.put(name, Manifests.read(out.resolve(name + ".yaml")));
    }
  }

  @Test
  void everyOverlayIsBuilt() throws Exception {
    List<String> overlays = new ArrayList<>();
    try (Stream<Path> s = Files.list(ROOT.resolve("cronjob/overlays"))) {
      s.forEach(o -> overlays.add(o.getFileName().toString()));
    }
    assertThat(EXTRA_GRANTS.keySet()).containsAll(overlays);
  }

  @TestFactory
  Stream<DynamicNode> everyBuild() {
    return builds.entrySet().stream()
        .map(
            b ->
                DynamicContainer.dynamicContainer(
                    b.getKey(),
                    Stream.of(
                        DynamicTest.dynamicTest(
                            "keeps the CronJob locked down",
                            () ->
                                assertThat(
                                        DeployRules.cronJob(
                                            b.getValue().get("CronJob", "sigaudit")))
                                    .as("%s: CronJob sigaudit", b.getKey())
                                    .isEmpty()),
                        DynamicTest.dynamicTest(
                            "grants the base's permissions plus its components', no more",
                            () -> grants(b.getKey(), b.getValue())),
                        DynamicTest.dynamicTest(
                            "binds only sigaudit's ServiceAccount to roles it defines",
                            () ->
                                assertThat(CronJobManifestsTest.bindingProblems(b.getValue()))
                                    .as("%s: bindings", b.getKey())
                                    .isEmpty()),
                        DynamicTest.dynamicTest(
                            "puts everything in the sigaudit namespace",
                            () -> namespaces(b.getKey(), b.getValue())))));
  }

  @Test
  void theCronJobArgumentsParseInEveryBuild() {
    for (String name :
        List.of("base", "kyverno", "policy-controller", "pull-secrets", "all-components")) {
      Manifests m = builds.get(name);
      assertThat(DeployRules.arguments(m.get("CronJob", "sigaudit"), m)).as(name).isEmpty();
    }
  }

  @Test
  void onlyThePullSecretsBuildsPassPullSecrets() {
    for (String name :
        List.of("base", "kyverno", "policy-controller", "pull-secrets", "all-components")) {
      JsonNode c =
          builds
              .get(name)
              .get("CronJob", "sigaudit")
              .path("spec")
              .path("jobTemplate")
              .path("spec")
              .path("template")
              .path("spec")
              .path("containers")
              .path(0);
      List<String> args = new ArrayList<>();
      c.path("args").forEach(a -> args.add(a.asText()));
      assertThat(args.contains("--pull-secrets"))
          .as(name)
          .isEqualTo(name.contains("pull-secrets") || name.equals("all-components"));
    }
  }

  private static void grants(String name, Manifests m) {
    Set<String> expected = new TreeSet<>(DeployRules.SCAN_GRANTS);
    expected.addAll(EXTRA_GRANTS.get(name));
    Set<String> actual = new TreeSet<>();
    for (String kind : List.of("ClusterRole", "Role")) {
      for (JsonNode r : m.ofKind(kind)) {
        actual.addAll(DeployRules.grants(r));
      }
    }
    assertThat(actual).as("%s: permissions", name).containsExactlyInAnyOrderElementsOf(expected);
    // Only the pull-secrets feature may read secrets.
    if (!EXTRA_GRANTS.get(name).contains("/secrets:get")) {
      assertThat(actual).as("%s: secrets", name).noneMatch(g -> g.contains("/secrets"));
    }
  }

  private static void namespaces(String build, Manifests m) {
    Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");
    List<String> wrong = new ArrayList<>();
    for (JsonNode o : m.objects()) {
      String kind = o.path("kind").asText();
      String ns = o.path("metadata").path("namespace").asText();
      String name = kind + "/" + o.path("metadata").path("name").asText();
      if (clusterScoped.contains(kind)) {
        if (!ns.isEmpty()) {
          wrong.add(name + " is cluster-scoped but has namespace " + ns);
        }
      } else if (!ns.equals("sigaudit")) {
        wrong.add(name + " must be in namespace sigaudit, is '" + ns + "'");
      }
      if (!o.path("metadata")
          .path("labels")
          .path("app.kubernetes.io/name")
          .asText()
          .equals("sigaudit")) {
        wrong.add(name + " lacks the label app.kubernetes.io/name=sigaudit");
      }
    }
    assertThat(wrong).as("%s: namespaces and labels", build).isEmpty();
  }
}
