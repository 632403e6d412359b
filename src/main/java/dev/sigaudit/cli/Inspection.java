package dev.sigaudit.cli;

import dev.sigaudit.policy.Policy;
import dev.sigaudit.registry.CredentialProvider;
import dev.sigaudit.scan.ContainerSource;
import dev.sigaudit.scan.Explanation;
import dev.sigaudit.scan.RegistryClients;
import dev.sigaudit.scan.ScanListener;
import dev.sigaudit.scan.ScanSettings;
import dev.sigaudit.scan.Scanner;
import dev.sigaudit.scan.VerificationCache;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.TrustedRoot;
import dev.sigaudit.verify.Verifier;
import io.kubernetes.client.openapi.ApiClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code verify} and {@code explain} share: the scan's own pipeline (Planner →
 * SignatureCollector → Verification → Judge) run over a few containers, fresh (no verification
 * cache), printed by {@link ExplanationPrinter}. Built from the same {@link Wiring} as a scan, so
 * the policies, credentials and trust material are read exactly as a scan reads them.
 */
final class Inspection {
  private final Wiring wiring;
  private final ScanConfig config;
  private final PrintStream out;
  private final Clock clock;

  Inspection(ScanConfig config, PrintStream out, PrintStream err, Clock clock) {
    this.wiring = new Wiring(config, out, err, clock);
    this.config = config;
    this.out = out;
    this.clock = clock;
  }

  /** Reads what the pipeline needs; a cluster is contacted only when {@code kube} is needed. */
  record Prepared(
      CredentialProvider credentials, ApiClient kube, Policies policies, TrustedRoot root) {}

  /** The cluster client, as a scan builds it. */
  ApiClient cluster() throws UsageException {
    return wiring.cluster();
  }

  /**
   * Builds the credentials, the policies and the trusted root, in the order a scan does.
   *
   * @param kube the cluster, or null when nothing is read from one
   */
  Prepared prepare(ApiClient kube) throws UsageException {
    CredentialProvider credentials = wiring.registryCredentials();
    Policies policies = wiring.loadPolicies(kube);
    return new Prepared(credentials, kube, policies, wiring.trust());
  }

  /** Runs the pipeline over what {@code source} lists and prints every stage's answer. */
  Explanation run(Prepared p, ContainerSource source)
      throws ContainerSource.Unreadable, InterruptedException {
    Duration deadline = config.limits().deadline();
    Explanation e;
    try (RegistryClients registries = wiring.registries(p.kube(), p.credentials())) {
      e =
          new Scanner(
                  source,
                  registries,
                  new Verifier(p.root()),
                  new SignatureInventory(p.root()),
                  VerificationCache.none(),
                  new ScanSettings(
                      p.policies().policies(),
                      p.policies().problemLines(),
                      config.cluster().orElse("default"),
                      config.limits().concurrency(),
                      clock,
                      ScanListener.NOOP,
                      deadline.isZero() ? Optional.empty() : Optional.of(deadline)))
              .explain();
    }
    new ExplanationPrinter(out, origins(p.policies())).print(e);
    return e;
  }

  /** Where each policy came from, as the output names it. */
  private static Map<String, String> origins(Policies policies) {
    Map<String, String> out = new HashMap<>();
    for (Policy p : policies.policies()) {
      out.put(p.name(), PolicyOrigin.describe(p, policies.fromFiles().get(p.name())));
    }
    return out;
  }
}
