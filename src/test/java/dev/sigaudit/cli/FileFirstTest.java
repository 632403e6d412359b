package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Severity;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.file.PolicyFileLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A cluster policy given again as a file is judged once, as the file has it. */
class FileFirstTest {
  static Policy policy(String name) {
    return new Policy(
        name,
        PolicySource.KYVERNO,
        Mode.AUDIT,
        Severity.MEDIUM,
        Policy.DEFAULT_CATEGORY,
        NamespaceSelector.ALL,
        List.of(new Rule("r", ImageMatcher.of("*"), new Check.RequireDigest())));
  }

  @Test
  void theClustersCopyOfAPolicyGivenAsAFileIsDroppedAndTheLogSaysSo() {
    var origin = new PolicyFileLoader.Origin(Path.of("cp.yaml"), 0, "ClusterPolicy");
    var files =
        new PolicyFileLoader.Read(
            new LoadedPolicies(List.of(policy("ClusterPolicy/a")), List.of()),
            Map.of("ClusterPolicy/a", origin),
            List.of());
    var log = new ByteArrayOutputStream();

    List<Policy> kept =
        FileFirst.dropShadowed(
            List.of(policy("ClusterPolicy/a"), policy("ClusterPolicy/b")),
            files,
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(kept).extracting(Policy::name).containsExactly("ClusterPolicy/b");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains(
            "policy ClusterPolicy/a: judged as cp.yaml document 1 has it, not as the cluster");
  }
}
