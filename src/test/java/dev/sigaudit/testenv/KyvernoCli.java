package dev.sigaudit.testenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Kyverno CLI ({@code kubectl-kyverno}, the version {@code scripts/test-env} builds) as a
 * judge: {@code apply POLICY --resource PODS --registry} runs the engine's verifyImages (and
 * ImageValidatingPolicy) code against the registries the Pods name, with admission semantics
 * (mutateDigest, verifyDigest, required), and {@code --policy-report -o json} gives one result per
 * (policy, rule, resource). Always run inside an {@link OfflineSandbox}, with an empty HOME and
 * DOCKER_CONFIG.
 */
public final class KyvernoCli {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REFUSED =
      Pattern.compile("(?:Policies Skipped|Invalid Policies):\\s*\\n\\d+\\. (.*)");
  private static final Pattern FAILED =
      Pattern.compile("failed to apply .* on resource (\\S+) \\((.*)\\)\\s*");
  private final Path binary;
  private final String version;

  private KyvernoCli(Path binary, String version) {
    this.binary = binary;
    this.version = version;
  }

  /** The CLI the test environment lists as {@code kyverno=}. */
  public static KyvernoCli of(TestEnvironment env) {
    return new KyvernoCli(env.binary("kyverno"), env.property("kyverno-version"));
  }

  /** The version {@code scripts/test-env} pinned, e.g. {@code v1.19.1}. */
  public String version() {
    return version;
  }

  /**
   * The engine's full answer: each resource's decision, and what it printed. {@code refusal} is set
   * when the engine would not load the policy at all (Kyverno's admission would refuse to create
   * it); then no resource has a decision.
   */
  public record Applied(
      Map<String, EngineDecision> byResource, String refusal, String stdout, String stderr) {

    /** The decision for one resource: the engine's error if it refused the policy. */
    public EngineDecision decision(String resource) {
      if (refusal != null) {
        return new EngineDecision("error", refusal);
      }
      return byResource.getOrDefault(resource, EngineDecision.SKIP);
    }
  }

  /**
   * Applies one policy file to every Pod in {@code resources} (a multi-document YAML file) and
   * returns each Pod's decision: the strongest result over the policy's rules for that Pod, a Pod
   * with no result being {@code skip}.
   */
  public Applied apply(OfflineSandbox sandbox, Path policy, Path resources, Path workDir)
      throws IOException {
    Path home = Files.createDirectories(workDir.resolve("home"));
    Path dockerConfig = Files.createDirectories(workDir.resolve("docker-config"));
    OfflineSandbox.Run run =
        sandbox.run(
            List.of(
                binary.toString(),
                "apply",
                policy.toString(),
                "--resource",
                resources.toString(),
                "--registry",
                "--policy-report",
                "--output-format",
                "json",
                "--remove-color",
                "--continue-on-fail"),
            home,
            Map.of("DOCKER_CONFIG", dockerConfig.toString(), "KUBECONFIG", "/dev/null"),
            Duration.ofMinutes(3));
    Map<String, EngineDecision> out = new LinkedHashMap<>();
    boolean reported = false;
    // Each report is one line of JSON (the cluster report, then namespaced ones after "---");
    // with --continue-on-fail a resource the engine failed on is a line of its own.
    for (String line : run.stdout().split("\n")) {
      Matcher failed = FAILED.matcher(line);
      if (failed.matches()) {
        out.merge(
            failed.group(1),
            new EngineDecision("error", failed.group(2)),
            EngineDecision::strongest);
        continue;
      }
      if (!line.startsWith("{")) {
        continue;
      }
      reported = true;
      JsonNode report = JSON.readTree(line);
      for (JsonNode r : report.path("results")) {
        String verdict = r.path("result").asText();
        if (verdict.equals("warn")) {
          verdict = "fail"; // judged as if enforced
        }
        EngineDecision decision =
            new EngineDecision(
                verdict, r.path("rule").asText() + ": " + r.path("message").asText());
        for (JsonNode res : r.path("resources")) {
          out.merge(res.path("name").asText(), decision, EngineDecision::strongest);
        }
      }
    }
    Matcher refused = REFUSED.matcher(run.stdout());
    if (!reported && out.isEmpty() && refused.find()) {
      return new Applied(Map.of(), refused.group(1).strip(), run.stdout(), run.stderr());
    }
    if (!reported && out.isEmpty()) {
      throw new IOException(
          "kubectl-kyverno gave no report (exit "
              + run.exitCode()
              + "):\n"
              + run.stdout()
              + run.stderr());
    }
    return new Applied(out, null, run.stdout(), run.stderr());
  }

  @Override
  public String toString() {
    return "kubectl-kyverno " + version + " (" + binary + ")";
  }
}
