package dev.sigaudit.scan;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Inventory;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.KeylessCompiler;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.verify.SignatureInventory;
import dev.sigaudit.verify.Verifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scan, as a pipeline of stages with typed hand-offs:
 *
 * <ol>
 *   <li>inventory — {@link ContainerSource}: the running containers;
 *   <li>plan — {@link Planner}: each container's digest ({@code imageID}, spec, or resolved tag) or
 *       why there is none, and the distinct lookups the policies need;
 *   <li>signatures — {@link SignatureCollector}: each lookup once, concurrently, or its cached
 *       verdicts when the signatures are unchanged;
 *   <li>verification — {@link Verification}: each distinct request verified once, concurrently;
 *   <li>evaluation — {@link Judge}: every policy answered from those verdicts (in inventory mode,
 *       {@link Describer}: who signed what).
 * </ol>
 *
 * <p>Verification and evaluation also run per workload during the signatures stage, as soon as a
 * workload's last lookup is done, so that its rows can be handed on early ({@link
 * JudgedWorkloads}); the stages after it then only complete what is left.
 *
 * <p>Nothing here talks to a registry or the apiserver directly; both come in through interfaces,
 * and the verification core is pure.
 */
public final class Scanner {
  private final ContainerSource containers;
  private final RegistryAccess registries;
  private final ScanSettings settings;
  private final List<String> loadProblems;
  private final Planner planner;
  private final SignatureCollector collector;
  private final Verification verification;
  private final Judge judge;
  private final Describer describer;
  private final SignatureInventory signatures;

  public Scanner(
      ContainerSource containers,
      RegistryAccess registries,
      Verifier verifier,
      SignatureInventory inventory,
      VerificationCache cache,
      ScanSettings settings) {
    this.containers = containers;
    this.registries = registries;
    this.settings = settings;
    // Keyless entries are compiled once, here, before any image: an entry sigaudit cannot check
    // is a policy problem, and each image it applies to gets "could not check" without recompiling.
    KeylessCompiler.Table keyless = KeylessCompiler.compileAll(settings.policies());
    this.loadProblems = new ArrayList<>(settings.policyProblems());
    keyless.problems().forEach(p -> loadProblems.add("policy error: " + p));
    this.planner = new Planner(registries, settings);
    this.verification = new Verification(verifier, keyless);
    this.collector = new SignatureCollector(registries, cache, verification, settings);
    this.judge = new Judge(settings, verification);
    this.describer = new Describer(inventory);
    this.signatures = inventory;
  }

  /**
   * Runs the scan.
   *
   * @throws ContainerSource.Unreadable when the containers cannot be listed (the scan cannot
   *     complete)
   */
  public ScanResult scan() throws ContainerSource.Unreadable, InterruptedException {
    return scan(JudgedWorkloads.NONE);
  }

  /**
   * Runs the scan, handing each workload's rows to {@code early} as soon as they are final, while
   * the lookups of other workloads are still under way (not in inventory mode, whose rows come from
   * the whole inventory at once).
   *
   * @throws ContainerSource.Unreadable when the containers cannot be listed
   */
  public ScanResult scan(JudgedWorkloads early)
      throws ContainerSource.Unreadable, InterruptedException {
    return run(early).result();
  }

  /**
   * Runs the scan and keeps what every stage handed on, per container: the same stages as {@link
   * #scan()}, for a person asking why an image got its verdict.
   *
   * @throws ContainerSource.Unreadable when the containers cannot be listed
   */
  public Explanation explain() throws ContainerSource.Unreadable, InterruptedException {
    Run run = run(JudgedWorkloads.NONE);
    List<Explanation.Container> out = new ArrayList<>();
    for (Target t : run.plan().targets()) {
      out.add(explain(t, run));
    }
    return new Explanation(run.result(), out);
  }

  /** A finished run: its result, and the stages' hand-offs {@link #explain()} shows. */
  private record Run(
      ScanResult result,
      Planner.Plan plan,
      SignatureCollector.Collected found,
      Map<VerdictKey, Verdict> verdicts) {}

  private Run run(JudgedWorkloads early) throws ContainerSource.Unreadable, InterruptedException {
    ScanListener listener = settings.listener();
    Instant started = settings.clock().instant();
    Inventory inv = containers.list(listener::podsListed);
    Instant mark = stage("inventory", started);
    listener.inventoryDone(inv.pods(), inv.containers().size());
    List<String> problems = new ArrayList<>(loadProblems);
    registries.prepare(inv.containers());
    problems.addAll(registries.warnings());

    // The registry stages are bounded in time; verification and judgement are offline and fast.
    Instant deadline = settings.deadline().map(started::plus).orElse(Instant.MAX);
    Bounded registryWork = new Bounded(settings.concurrency(), settings.clock(), deadline);
    Bounded pool = new Bounded(settings.concurrency());
    Planner.Plan plan = planner.plan(inv.containers(), registryWork);
    mark = stage("plan", mark);
    HandOn handOn =
        settings.inventoryMode() || early == JudgedWorkloads.NONE
            ? null
            : new HandOn(plan, started, early);
    if (handOn != null) {
      handOn.workloads(handOn.completion.needingNothing());
    }
    SignatureCollector.Collected found =
        collector.collect(
            plan.lookups(), registryWork, handOn == null ? (k, alone) -> {} : handOn::lookupDone);
    mark = stage("signatures", mark);
    List<AuditRow> rows;
    List<InventoryRow> inventory;
    Map<VerdictKey, Verdict> verdicts = Map.of();
    if (settings.inventoryMode()) {
      inventory = describer.describe(plan.targets(), found.found());
      rows = new ArrayList<>();
      for (int i = 0; i < inventory.size(); i++) {
        rows.add(inventory.get(i).asAuditRow(plan.targets().get(i).digestSource()));
      }
    } else {
      verdicts =
          verification.verifyAll(
              plan.lookups(), found, handOn == null ? Map.of() : handOn.verdicts, pool);
      mark = stage("verification", mark);
      rows = judge.judge(plan.targets(), verdicts);
      inventory = List.of();
      collector.record(found, verdicts);
    }
    stage("evaluation", mark);
    ScanResult result =
        new ScanResult(
            UUID.randomUUID().toString(),
            settings.cluster(),
            started,
            Duration.between(started, settings.clock().instant()),
            inv.pods(),
            plan.distinctDigests(),
            registries.requests(),
            rows,
            problems,
            inventory);
    return new Run(result, plan, found, verdicts);
  }

  /**
   * The early hand-off of one run: each completed lookup is verified at once, in its own thread,
   * and a workload whose lookups are all done is judged and handed on. The verdicts are kept for
   * the verification stage, which then verifies only what is left.
   */
  private final class HandOn {
    final WorkloadCompletion completion;
    final Map<VerdictKey, Verdict> verdicts = new ConcurrentHashMap<>();
    private final Planner.Plan plan;
    private final Instant started;
    private final JudgedWorkloads early;

    HandOn(Planner.Plan plan, Instant started, JudgedWorkloads early) {
      this.completion = new WorkloadCompletion(plan);
      this.plan = plan;
      this.started = started;
      this.early = early;
    }

    void lookupDone(LookupKey k, SignatureCollector.Collected alone) {
      if (Thread.currentThread().isInterrupted()) {
        return; // cut short by the deadline: its workloads are judged with the rest
      }
      verdicts.putAll(verification.verifyLookup(k, plan.lookups().get(k), alone));
      workloads(completion.done(k));
    }

    void workloads(List<List<Target>> complete) {
      for (List<Target> targets : complete) {
        try {
          early.judged(started, judge.judge(targets, verdicts));
        } catch (RuntimeException e) {
          // Only an early start is lost: the workload is in the result and written with it.
        }
      }
    }
  }

  private Explanation.Container explain(Target t, Run run) {
    List<Explanation.Lookup> lookups = new ArrayList<>();
    Optional<ImageRef> checked = Optional.empty();
    Optional<String> unchecked = Optional.empty();
    switch (t) {
      case Target.Resolved r -> {
        checked = Optional.of(r.checked());
        for (var e : run.plan().lookups().entrySet()) {
          LookupKey k = e.getKey();
          if (k.digest().equals(r.checked().digest()) && k.scope().equals(r.scope())) {
            lookups.add(lookup(k, e.getValue(), run));
          }
        }
      }
      case Target.Unresolved u -> unchecked = Optional.of(u.why());
      case Target.Unparseable u -> unchecked = Optional.of(u.why());
    }
    List<AuditRow> rows =
        run.result().rows().stream().filter(row -> row.container() == t.container()).toList();
    return new Explanation.Container(
        t.container(), t.digestSource(), checked, unchecked, lookups, rows);
  }

  private Explanation.Lookup lookup(LookupKey k, Set<VerificationRequest> requests, Run run) {
    Map<VerdictKey, Verdict> cached = run.found().cached().get(k);
    Discovery d =
        run.found()
            .found()
            .getOrDefault(
                k,
                Discovery.Failed.of(
                    cached != null ? "unchanged since the cached scan" : "not looked up"));
    List<Explanation.CheckVerdict> checks =
        requests.stream()
            .sorted(Comparator.comparing(VerificationRequest::verdictId))
            .map(
                q ->
                    new Explanation.CheckVerdict(
                        q,
                        run.verdicts()
                            .getOrDefault(
                                verification.key(k, q), new Verdict.CheckError("not verified"))))
            .toList();
    return new Explanation.Lookup(
        k.repository(), d, signatures.describe(k.digest(), d.candidates()), checks);
  }

  private Instant stage(String name, Instant since) {
    Instant now = settings.clock().instant();
    settings.listener().stageDone(name, Duration.between(since, now));
    return now;
  }
}
