package dev.sigaudit.policy.cip;

import com.google.gson.JsonObject;
import dev.sigaudit.model.Severity;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.CipGlob;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.KeyOrigins;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.Scope;
import dev.sigaudit.policy.crd.Metadata;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import dev.sigaudit.policy.crd.Selectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Translates Sigstore policy-controller {@code ClusterImagePolicy} objects ({@code
 * policy.sigstore.dev/v1beta1} and {@code v1alpha1}, which have the same fields) into compiled
 * {@link Policy} values named {@code ClusterImagePolicy/<name>}; see {@code
 * docs/cluster-policies.md}.
 *
 * <p>Each policy has one rule, {@code authorities}: the images its globs select ({@link CipGlob}
 * semantics), in the Pods its {@code match[]} selects, must satisfy <em>any one</em> authority (an
 * {@link Attestors} set with count 1). Policies apply only in the namespaces of {@link
 * CipOptions#namespaces()} (the {@code policy.sigstore.dev/include=true} opt-in). Unless the
 * no-match policy is {@code allow}, one more policy, {@value #NO_MATCH_POLICY}, fails every image
 * in those namespaces that no ClusterImagePolicy matches, as policy-controller rejects it.
 */
public final class CipTranslator {
  /** The name of the policy standing for policy-controller's {@code no-match-policy}. */
  public static final String NO_MATCH_POLICY = "config-policy-controller/no-match-policy";

  private final KeyParser keys;
  private final CipOptions options;

  public CipTranslator(KeyParser keys) {
    this(keys, CipOptions.DEFAULT);
  }

  /**
   * @param keys parses the PEM public keys of {@code key.data}
   * @param options how policy-controller is installed
   */
  public CipTranslator(KeyParser keys, CipOptions options) {
    this.keys = Objects.requireNonNull(keys);
    this.options = Objects.requireNonNull(options);
  }

  /** Translates every object, and adds the no-match policy; one problem never hides another. */
  public LoadedPolicies translate(List<JsonObject> objects) {
    List<Policy> policies = new ArrayList<>();
    List<PolicyProblem> problems = new ArrayList<>();
    List<Scope> coverage = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonObject o : objects) {
      Node root = Node.root(o);
      ProblemLog ignore = new ProblemLog("", "");
      String name = root.get("metadata").get("name").text(ignore).orElse("?");
      String origin = root.get("apiVersion").text(ignore).orElse("policy.sigstore.dev");
      ProblemLog log = new ProblemLog(origin, "ClusterImagePolicy/" + name);
      if (!names.add(name)) {
        log.add("metadata.name", "duplicate: the same policy was given twice");
      } else {
        translate(root, log, coverage).ifPresent(policies::add);
      }
      problems.addAll(log.problems());
    }
    if (options.noMatchPolicy() != NoMatchPolicy.ALLOW) {
      policies.add(noMatch(coverage));
    }
    return new LoadedPolicies(policies, problems);
  }

  /**
   * The policy for {@code root}, if it can be compiled; adds to {@code coverage} when it selects
   * images (even a policy with problems covers its images in policy-controller).
   */
  private Optional<Policy> translate(Node root, ProblemLog log, List<Scope> coverage) {
    String apiVersion = root.get("apiVersion").text(log).orElse("");
    String kind = root.get("kind").text(log).orElse("");
    if (!apiVersion.startsWith("policy.sigstore.dev/") || !kind.equals("ClusterImagePolicy")) {
      log.add(
          "kind",
          "expected a policy.sigstore.dev ClusterImagePolicy, got " + apiVersion + " " + kind);
      return Optional.empty();
    }
    Node spec = root.get("spec");
    Optional<ImageMatcher> images = images(spec.get("images"), log);
    Scope match = match(spec.get("match"), log);
    if (images.isEmpty()) {
      // policy-controller would refuse such a policy, or fail every image on the bad glob.
      String name = root.get("metadata").get("name").text(log).orElse("?");
      coverage.add(new Scope.Unknown("ClusterImagePolicy " + name + " has an invalid glob"));
      return Optional.empty();
    }
    coverage.add(new Scope.AllOf(List.of(match, new Scope.Images(images.get()))));
    if (match == Scope.NOTHING) {
      log.add(spec.get("match"), "selects no Pods: sigaudit audits running Pods");
      return Optional.empty();
    }
    List<Attestors> sets = new ArrayList<>();
    sets.add(authorities(spec.get("authorities"), log));
    if (spec.get("policy").present()) {
      log.add(
          spec.get("policy"), "policies (cue, rego) over verified signatures are not evaluated");
      sets.add(
          new Attestors(
              1,
              List.of(
                  new AttestorEntry.Unsupported("the " + spec.get("policy").path() + " check"))));
    }
    var meta = root.get("metadata");
    var annotations = meta.get("annotations").stringMap(log);
    Rule rule =
        new Rule(
            "authorities",
            images.get(),
            new Check.Signatures(sets, Optional.empty()),
            match,
            Optional.empty());
    return Optional.of(
        KeyOrigins.inline(
            new Policy(
                "ClusterImagePolicy/" + meta.get("name").text(log).orElse("?"),
                PolicySource.SIGSTORE_CIP,
                mode(spec.get("mode"), log),
                Metadata.severity(annotations),
                Metadata.category(annotations),
                options.namespaces(),
                List.of(rule))));
  }

  private static Optional<ImageMatcher> images(Node images, ProblemLog log) {
    List<String> globs = new ArrayList<>();
    List<Node> items = images.list(log);
    if (items.isEmpty()) {
      log.add(images, "at least one image glob is required");
      return Optional.empty();
    }
    boolean ok = true;
    for (Node i : items) {
      Optional<String> glob = i.get("glob").text(log);
      if (glob.isEmpty()) {
        log.add(i.get("glob"), "required");
        ok = false;
        continue;
      }
      try {
        CipGlob.compile(glob.get());
        globs.add(glob.get());
      } catch (IllegalArgumentException e) {
        log.add(i.get("glob"), e.getMessage());
        ok = false;
      }
    }
    return ok ? Optional.of(ImageMatcher.globs(globs)) : Optional.empty();
  }

  /**
   * {@code match[]}: any entry for Pods ({@code resource: pods}, core group, version {@code v1} or
   * {@code *}) with its label selector, which policy-controller compares exactly; no entries means
   * every resource.
   */
  private static Scope match(Node match, ProblemLog log) {
    List<Node> entries = match.list(log);
    if (entries.isEmpty()) {
      return Scope.EVERYTHING;
    }
    List<Scope> pods = new ArrayList<>();
    for (Node m : entries) {
      String resource = m.get("resource").string(log).orElse("");
      String group = m.get("group").string(log).orElse("");
      String version = m.get("version").string(log).orElse("");
      if (!resource.equals("pods")
          || !group.isEmpty()
          || !(version.equals("v1") || version.equals("*"))) {
        continue; // another resource (deployments…): policy-controller checks those, not Pods
      }
      Node selector = m.get("selector");
      if (!selector.present()) {
        pods.add(Scope.EVERYTHING);
      } else {
        Selectors.labelSelector(selector, log)
            .ifPresent(s -> pods.add(new Scope.PodLabels(s, false)));
      }
    }
    return pods.isEmpty() ? Scope.NOTHING : new Scope.AnyOf(pods);
  }

  private Attestors authorities(Node authorities, ProblemLog log) {
    List<AttestorEntry> entries = new ArrayList<>();
    List<Node> items = authorities.list(log);
    AuthorityTranslator t = new AuthorityTranslator(keys, options, log);
    for (int i = 0; i < items.size(); i++) {
      entries.add(t.translate(items.get(i), i));
    }
    if (entries.isEmpty()) {
      // policy-controller finds no authority that passes, so it rejects every matching image.
      entries.add(new AttestorEntry.Static(false, "the policy has no authorities"));
    }
    return new Attestors(1, entries);
  }

  private static Mode mode(Node mode, ProblemLog log) {
    String m = mode.string(log).orElse("enforce");
    return switch (m) {
      case "", "enforce" -> Mode.ENFORCE;
      case "warn" -> Mode.WARN;
      default -> {
        log.add(mode, "'" + m + "' is not enforce or warn");
        yield Mode.ENFORCE;
      }
    };
  }

  /** policy-controller's {@code no-match-policy}: an image no ClusterImagePolicy matches fails. */
  private Policy noMatch(List<Scope> coverage) {
    String what = options.noMatchPolicy() == NoMatchPolicy.WARN ? "warns about" : "rejects";
    Rule rule =
        new Rule(
            "no-match-policy",
            ImageMatcher.globs(List.of("**")),
            new Check.Signatures(
                List.of(
                    new Attestors(
                        1,
                        List.of(
                            new AttestorEntry.Static(
                                false,
                                "no ClusterImagePolicy matches the image, and policy-controller "
                                    + what
                                    + " such images (no-match-policy)")))),
                Optional.empty()),
            new Scope.Not(new Scope.AnyOf(coverage)),
            Optional.empty());
    return new Policy(
        NO_MATCH_POLICY,
        PolicySource.SIGSTORE_CIP,
        options.noMatchPolicy() == NoMatchPolicy.WARN ? Mode.WARN : Mode.ENFORCE,
        Severity.MEDIUM,
        Policy.DEFAULT_CATEGORY,
        options.namespaces(),
        List.of(rule));
  }
}
