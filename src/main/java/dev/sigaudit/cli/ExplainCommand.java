package dev.sigaudit.cli;

import dev.sigaudit.cluster.NamespaceFilter;
import dev.sigaudit.cluster.PodInventory;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.model.WorkloadRef;
import dev.sigaudit.scan.ContainerSource;
import io.kubernetes.client.openapi.ApiClient;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigaudit explain NAMESPACE/KIND/NAME}: the running Pods of one workload, read from the
 * cluster as a scan reads them, through the scan's pipeline, explained image by image.
 */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Explains the verdicts of one workload in the cluster: its running Pods' images and digests,"
          + " every signature found, each check and each policy rule's result with why.",
      "KIND is the top-level owner a scan reports (Deployment, StatefulSet, DaemonSet, CronJob,"
          + " Job, or Pod for a bare Pod), as in `kubectl get polr` results.",
      "Exit codes: 0 explained, 1 no running Pod of that workload, 2 usage or configuration"
          + " error, 3 the cluster could not be read, 5 internal error."
    },
    sortOptions = false)
final class ExplainCommand implements Callable<Integer> {
  /** The workload has no running Pod (or does not exist). */
  static final int NOT_FOUND = 1;

  @Parameters(
      index = "0",
      paramLabel = "NAMESPACE/KIND/NAME",
      description = "The workload, e.g. shop/Deployment/checkout.")
  String workload;

  @Mixin InspectOptions options;

  @Option(
      names = "--no-cluster-policies",
      description = "Judge by the --policy files only, not by the cluster's own policies.")
  boolean noClusterPolicies;

  /** A parsed {@code NAMESPACE/KIND/NAME}. */
  record Workload(String namespace, String kind, String name) {
    static Workload parse(String text) throws UsageException {
      String[] parts = text.split("/", -1);
      if (parts.length != 3 || List.of(parts).stream().anyMatch(String::isBlank)) {
        throw new UsageException(
            "NAMESPACE/KIND/NAME: expected three parts such as shop/Deployment/checkout (got '"
                + text
                + "')");
      }
      return new Workload(parts[0], parts[1], parts[2]);
    }

    /** Kinds compare without case, as kubectl accepts {@code deployment} for Deployment. */
    boolean is(WorkloadRef w) {
      return w.namespace().equals(namespace)
          && w.kind().equalsIgnoreCase(kind)
          && w.name().equals(name);
    }

    @Override
    public String toString() {
      return namespace + "/" + kind + "/" + name;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    try {
      Workload w = Workload.parse(workload);
      ScanConfig config =
          options.config(
              new NamespaceFilter(List.of(w.namespace()), List.of()), !noClusterPolicies);
      Inspection inspection = new Inspection(config, System.out, System.err, Clock.systemUTC());
      // The workload first: a name mistyped is said before any policy is read.
      ApiClient kube = inspection.cluster();
      Inventory all =
          new PodInventory(kube, config.limits().pageSize(), config.namespaces()).list(n -> {});
      List<RunningContainer> mine =
          all.containers().stream().filter(c -> w.is(c.workload())).toList();
      if (mine.isEmpty()) {
        System.err.println("error: " + notFound(w, all));
        return NOT_FOUND;
      }
      long pods = mine.stream().map(RunningContainer::pod).distinct().count();
      System.out.println(
          "sigaudit explain "
              + mine.get(0).workload()
              + ": "
              + pods
              + (pods == 1 ? " running Pod" : " running Pods"));
      System.out.println();
      Inspection.Prepared prepared = inspection.prepare(kube);
      Inventory inventory = new Inventory(mine, (int) pods);
      inspection.run(prepared, podsListed -> inventory);
      return ExitCodes.OK;
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (ContainerSource.Unreadable e) {
      System.err.println("error: reading the cluster failed: " + e.getMessage());
      return ExitCodes.CLUSTER;
    }
  }

  /** What was asked, and what runs in that namespace instead. */
  static String notFound(Workload w, Inventory all) {
    TreeSet<String> there = new TreeSet<>();
    all.containers().forEach(c -> there.add(c.workload().kind() + "/" + c.workload().name()));
    String alternatives =
        there.isEmpty()
            ? "no Pod runs in namespace " + w.namespace()
            : "running in namespace " + w.namespace() + ": " + String.join(", ", there);
    return "no running Pod of "
        + w.kind().toLowerCase(Locale.ROOT)
        + " "
        + w.name()
        + " in namespace "
        + w.namespace()
        + " (the workload does not exist, or runs no Pod now); "
        + alternatives;
  }
}
