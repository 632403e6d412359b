package dev.sigaudit.demo;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code scripts/demo}: a throwaway local cluster with images signed the ways teams meet them, one
 * policy of each dialect in Audit mode, and a real {@code sigaudit scan} with every output. {@link
 * DemoIT} runs {@link #run} — the same code path — and checks what it produced.
 *
 * <p>Arguments: {@code --once} (scan, print, tear down: what the IT and CI use), {@code --out DIR}
 * (default {@code target/demo}). Without {@code --once} the cluster stays up until the JVM is
 * stopped (Ctrl-C, or {@code scripts/demo --stop}); every component was started by this JVM and is
 * stopped by its shutdown hooks.
 */
public final class Demo {
  /** What one demo run built and produced. */
  record Run(
      DemoCluster.Built cluster,
      DemoScan.Result scan,
      DemoScan.Outputs outputs,
      List<Path> reportFiles,
      Path examples,
      Duration toFirstResult) {}

  private Demo() {}

  public static void main(String[] args) throws Exception {
    boolean once = false;
    Path out = Path.of("target", "demo");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--once" -> once = true;
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("demo: unknown argument " + args[i] + " (--once, --out DIR)");
          System.exit(2);
        }
      }
    }
    long t0 = System.nanoTime();
    TestEnvironment env = TestEnvironment.get();
    Run run =
        run(env, env.startPrivateKube(), out.toAbsolutePath(), Path.of("").toAbsolutePath(), t0);
    if (run.scan().exitCode() != 0) {
      System.exit(run.scan().exitCode()); // run() printed the scan's output and log
    }
    System.out.print(run.scan().stdout());
    System.out.print(guide(env, run, once));
    if (!once) {
      Files.writeString(out.resolve("demo.pid"), ProcessHandle.current().pid() + "\n");
      new CountDownLatch(1).await(); // until Ctrl-C / SIGTERM: shutdown hooks stop the cluster
    }
    System.exit(0);
  }

  /**
   * Builds the demo cluster in {@code kube}, scans it with every output, reads the reports back and
   * writes the normalized examples.
   */
  static Run run(
      TestEnvironment env, KubeApiServer kube, Path out, Path projectRoot, long startNanos)
      throws Exception {
    Files.createDirectories(out);
    step("publishing and signing images, creating workloads and policies");
    DemoCluster.Built cluster = DemoCluster.build(env, kube, out);
    step("running sigaudit scan (" + String.join(" ", DemoScan.command(projectRoot)) + ")");
    DemoScan.Outputs outputs = new DemoScan.Outputs(out.resolve("results"));
    DemoScan.Result scan = DemoScan.run(projectRoot, cluster, outputs);
    Duration toFirstResult = Duration.ofNanos(System.nanoTime() - startNanos);
    if (scan.exitCode() != 0) {
      System.err.print(scan.stderr());
      System.out.print(scan.stdout());
      step(
          "sigaudit scan exited "
              + scan.exitCode()
              + " (its log: "
              + outputs.dir().resolve("scan.log")
              + ")");
      return new Run(cluster, scan, outputs, List.of(), null, toFirstResult);
    }
    List<Path> reports = DemoReports.export(kube.adminClient(), outputs.dir());
    Path examples =
        DemoExamples.write(
            DemoExamples.normalizer(cluster), outputs, reports, scan, out.resolve("examples"));
    return new Run(cluster, scan, outputs, reports, examples, toFirstResult);
  }

  private static void step(String s) {
    System.out.println("[demo] " + s);
  }

  /** What to look at and how to stop: ready-to-paste commands for this run's cluster and files. */
  static String guide(TestEnvironment env, Run run, boolean once) {
    StringBuilder o = new StringBuilder();
    String kubectl = env.kubectl() + " --kubeconfig " + run.cluster().kubeconfig();
    o.append(
        "%n[demo] first result in %.1fs. What the demo cluster runs:%n"
            .formatted(run.toFirstResult().toMillis() / 1000.0));
    for (DemoWorkload w : DemoWorkload.ALL) {
      o.append(
          "  %-6s %-10s %-15s %s -> %s under the policy file%n"
              .formatted(
                  w.namespace(),
                  w.kind(),
                  w.name(),
                  w.signing().description,
                  w.signing().fileVerdict));
    }
    o.append(
        """

        Look at it (paste these):
          %1$s get polr -A
          %1$s get polr -n shop sigaudit-deployment-checkout -o yaml
          %1$s get cpolr %2$s -o yaml
          %1$s get clusterpolicies,imagevalidatingpolicies,clusterimagepolicies
          %1$s get deploy,cronjob,job,pods -A
        Files:
          %3$s
          %4$s
          %5$s
          %6$s   (the policy file)
          %7$s   (every output normalized, as reports/examples/demo/ holds it)
        %8$s
        """
            .formatted(
                kubectl,
                DemoReports.READINESS,
                run.outputs().resultsCsv(),
                run.outputs().readinessCsv(),
                run.outputs().metrics(),
                run.cluster().policyFile(),
                run.examples(),
                once
                    ? "[demo] --once: stopping the cluster."
                    : "[demo] the cluster stays up until Ctrl-C (or scripts/demo --stop from"
                        + " another terminal)."));
    return o.toString();
  }
}
