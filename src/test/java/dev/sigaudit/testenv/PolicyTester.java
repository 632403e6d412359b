package dev.sigaudit.testenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * policy-controller's {@code policy-tester} (the version {@code scripts/test-env} builds) as a
 * judge of one image under one ClusterImagePolicy: it compiles the policy and runs the admission
 * webhook's validation against the registry. Exit 0 admits; exit 1 with {@code {"errors":[…]}}
 * blocks. An image no policy covers is {@code skip} (the admission controller's no-match policy is
 * a separate matter). It prints nothing for a {@code mode: warn} failure, so callers give it warn
 * policies rewritten to enforce. Always run inside an {@link OfflineSandbox}.
 */
public final class PolicyTester {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path binary;
  private final String version;

  private PolicyTester(Path binary, String version) {
    this.binary = binary;
    this.version = version;
  }

  /** The tester the test environment lists as {@code policy-tester=}. */
  public static PolicyTester of(TestEnvironment env) {
    return new PolicyTester(env.binary("policy-tester"), env.property("policy-controller-version"));
  }

  public String version() {
    return version;
  }

  /**
   * Judges {@code image} (a reference by digest, as the admission webhook sees it after resolving
   * tags) under the policy file.
   */
  public EngineDecision judge(OfflineSandbox sandbox, Path policy, String image, Path workDir)
      throws IOException {
    Path home = Files.createDirectories(workDir.resolve("home"));
    Path dockerConfig = Files.createDirectories(workDir.resolve("docker-config"));
    OfflineSandbox.Run run =
        sandbox.run(
            List.of(
                binary.toString(),
                "--policy",
                policy.toString(),
                "--image",
                image,
                "--log-level",
                "error"),
            home,
            Map.of("DOCKER_CONFIG", dockerConfig.toString()),
            Duration.ofMinutes(2));
    if (run.exitCode() == 0) {
      return new EngineDecision("pass", "");
    }
    int start = run.stdout().indexOf("{\"errors\"");
    if (run.exitCode() != 1 || start < 0) {
      throw new IOException(
          "policy-tester failed to judge "
              + image
              + " (exit "
              + run.exitCode()
              + "):\n"
              + run.stdout()
              + run.stderr());
    }
    JsonNode o = JSON.readTree(run.stdout().substring(start).strip().split("\n")[0]);
    List<String> errors = new ArrayList<>();
    o.path("errors").forEach(e -> errors.add(e.asText()));
    String message = String.join("; ", errors);
    if (message.contains("is uncovered by policy")) {
      return new EngineDecision("skip", message);
    }
    return new EngineDecision(couldNotCheck(message) ? "error" : "fail", message);
  }

  /** Transport failures: the webhook blocks on them too, but it did not decide on a signature. */
  private static boolean couldNotCheck(String message) {
    return message.contains("connection refused")
        || message.contains("dial tcp")
        || message.contains("i/o timeout")
        || message.contains("MANIFEST_UNKNOWN")
        || message.contains("NAME_UNKNOWN");
  }

  @Override
  public String toString() {
    return "policy-tester " + version + " (" + binary + ")";
  }
}
