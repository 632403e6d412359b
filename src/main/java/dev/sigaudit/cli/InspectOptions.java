package dev.sigaudit.cli;

import dev.sigaudit.cluster.NamespaceFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags {@code sigaudit verify} and {@code explain} share with {@code scan}: where policies,
 * the cluster, registry credentials and trust material come from. Validated into the same {@link
 * ScanConfig} a scan uses, with every output off, so both commands are wired as a scan is.
 */
final class InspectOptions {
  @Option(
      names = {"-p", "--policy"},
      description =
          "Policy file: a sigaudit SignaturePolicy, or a Kyverno ClusterPolicy/Policy/"
              + "ImageValidatingPolicy or Sigstore ClusterImagePolicy as it would be applied."
              + " Repeatable.")
  List<Path> policyFiles = new ArrayList<>();

  @Mixin KubeconfigOptions kube = new KubeconfigOptions();

  @Option(
      names = "--insecure-registry",
      split = ",",
      description = "HOST:PORT of a registry to reach over plain HTTP. Repeatable.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(
      names = "--docker-config",
      description =
          "Docker config.json with registry credentials (default: $DOCKER_CONFIG/config.json or"
              + " ~/.docker/config.json if present).")
  Path dockerConfig;

  @Option(
      names = "--trusted-root",
      description =
          "Sigstore trusted_root.json for keyless signatures (default: the public-good one,"
              + " shipped with sigaudit). Never fetched.")
  Path trustedRootFile;

  @Option(
      names = "--deadline",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "Stop looking up signatures this long after the start; 0 for none (default:"
              + " ${DEFAULT-VALUE}).")
  Duration deadline;

  /**
   * The configuration of a scan of {@code namespaces} with no output.
   *
   * @param clusterPolicies whether the cluster's own policies are read too
   */
  ScanConfig config(NamespaceFilter namespaces, boolean clusterPolicies) throws UsageException {
    if (deadline.isNegative()) {
      throw UsageException.flag("--deadline", "must not be negative", deadline);
    }
    for (String host : insecureRegistries) {
      if (host.isBlank() || host.contains("/")) {
        throw UsageException.flag("--insecure-registry", "must be HOST[:PORT]", "'" + host + "'");
      }
    }
    return new ScanConfig(
        kube.file(),
        kube.contextName(),
        namespaces,
        policyFiles,
        clusterPolicies ? EnumSet.allOf(PolicyEngine.class) : EnumSet.noneOf(PolicyEngine.class),
        Optional.empty(),
        new ScanConfig.Outputs(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            false,
            1000),
        new ScanConfig.Registries(
            new HashSet<>(insecureRegistries),
            Optional.ofNullable(dockerConfig),
            false,
            100_000,
            8),
        new ScanConfig.Limits(8, 500, 0, deadline),
        Optional.ofNullable(trustedRootFile),
        new ScanConfig.Cache(Optional.empty(), Duration.ofHours(24)));
  }
}
