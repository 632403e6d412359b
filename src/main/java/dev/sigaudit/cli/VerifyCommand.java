package dev.sigaudit.cli;

import dev.sigaudit.cluster.NamespaceFilter;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.policy.cip.CipOptions;
import dev.sigaudit.scan.ContainerSource;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigaudit verify IMAGE[@DIGEST] --policy FILE…}: one image through the scan's pipeline,
 * explained. With policy files only, no cluster is contacted. The image is judged as a container of
 * a bare Pod in {@code --namespace}, so that namespace-scoped policies select it as they would in
 * the cluster.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks one image against policies and explains the verdict: the digest checked (a tag is"
          + " resolved in the registry, and the output says so), every signature found (route,"
          + " format, signer), each signature check and why it passed or failed, and each policy"
          + " rule's result with why.",
      "Policies come from --policy files (no cluster needed), else from the cluster.",
      "Exit codes: 0 the image was checked (whatever the verdicts), 2 usage or configuration"
          + " error, 5 internal error."
    },
    sortOptions = false)
final class VerifyCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "IMAGE",
      description = "The image: REGISTRY/REPOSITORY[:TAG][@sha256:DIGEST].")
  String image;

  @Mixin InspectOptions options;

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Judge the image as if it ran in this namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--namespace-label",
      description =
          "A label of that namespace, KEY=VALUE, for policies that select namespaces by label;"
              + " repeatable. Default: kubernetes.io/metadata.name=NAMESPACE and "
              + CipOptions.INCLUDE_LABEL
              + "=true (opted in to policy-controller).")
  Map<String, String> namespaceLabels = new LinkedHashMap<>();

  @Option(
      names = "--cluster-policies",
      description =
          "Also judge by the cluster's Kyverno and Sigstore policies (the default when no"
              + " --policy is given).")
  boolean clusterPolicies;

  @Override
  public Integer call() throws InterruptedException {
    try {
      ImageRef ref = parse(image);
      if (namespace.isBlank()) {
        throw UsageException.flag("--namespace", "must not be empty", "''");
      }
      boolean fromCluster = clusterPolicies || options.policyFiles.isEmpty();
      ScanConfig config = options.config(NamespaceFilter.ALL, fromCluster);
      Inspection inspection = new Inspection(config, System.out, System.err, Clock.systemUTC());
      Inspection.Prepared prepared = inspection.prepare(fromCluster ? inspection.cluster() : null);
      System.out.println(
          "sigaudit verify " + image + " (as a container of a Pod in namespace " + namespace + ")");
      System.out.println();
      inspection.run(prepared, new OneImage(ref, image, namespace, labels()));
      return ExitCodes.OK;
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (ContainerSource.Unreadable e) {
      // One image in memory is always readable; kept for the contract of ContainerSource.
      System.err.println("error: " + e.getMessage());
      return ExitCodes.INTERNAL;
    }
  }

  static ImageRef parse(String text) throws UsageException {
    try {
      return ImageRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("IMAGE: " + e.getMessage());
    }
  }

  private Map<String, String> labels() {
    if (!namespaceLabels.isEmpty()) {
      return namespaceLabels;
    }
    return Map.of("kubernetes.io/metadata.name", namespace, CipOptions.INCLUDE_LABEL, "true");
  }
}
