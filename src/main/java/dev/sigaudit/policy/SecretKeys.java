package dev.sigaudit.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the {@link AttestorEntry.SecretKey} entries of translated cluster policies once the
 * Secrets have been read (the translators are pure and cannot read them): {@link #referenced} says
 * which Secrets to read, {@link #resolve} swaps each entry whose key could be read for a {@link
 * AttestorEntry.Key}. An entry whose Secret is missing or unusable stays as it is, which evaluates
 * as could-not-check, and gets a {@link PolicyProblem}.
 *
 * <p>Key selection follows the engines: the named data entry ({@code cosign.pub} for Kyverno's
 * {@code k8s://} references), else the Secret's only entry (policy-controller refuses a Secret with
 * none or several); of that entry, the first PEM block.
 */
public final class SecretKeys {
  private SecretKeys() {}

  /** A Secret by namespace and name. */
  public record SecretRef(String namespace, String name) {}

  /** Reads Secrets for {@link #resolve}. */
  @FunctionalInterface
  public interface SecretReader {
    /**
     * The Secret's {@code data}, decoded; empty when it does not exist.
     *
     * @throws RuntimeException when it cannot be read (the entry then stays unresolved)
     */
    Optional<Map<String, byte[]>> read(SecretRef secret);
  }

  /** Every Secret the policies' entries refer to. */
  public static Set<SecretRef> referenced(List<Policy> policies) {
    Set<SecretRef> out = new LinkedHashSet<>();
    for (Policy p : policies) {
      for (Rule r : p.rules()) {
        if (r.check() instanceof Check.Signatures s) {
          s.attestors().forEach(a -> collect(a, out));
        }
      }
    }
    return out;
  }

  /** The policies with every resolvable Secret key in place, and a problem per other one. */
  public static LoadedPolicies resolve(List<Policy> policies, SecretReader reader, KeyParser keys) {
    List<PolicyProblem> problems = new ArrayList<>();
    List<Policy> out = new ArrayList<>();
    for (Policy p : policies) {
      Resolver resolver = new Resolver(p.name(), reader, keys, problems);
      List<Rule> rules = new ArrayList<>();
      for (Rule r : p.rules()) {
        rules.add(resolver.rule(r));
      }
      out.add(
          new Policy(
              p.name(), p.source(), p.mode(), p.severity(), p.category(), p.namespaces(), rules));
    }
    return new LoadedPolicies(out, problems);
  }

  private static void collect(Attestors set, Set<SecretRef> out) {
    for (AttestorEntry e : set.entries()) {
      if (e instanceof AttestorEntry.SecretKey s) {
        out.add(new SecretRef(s.namespace(), s.name()));
      } else if (e instanceof AttestorEntry.Nested n) {
        collect(n.attestors(), out);
      }
    }
  }

  private record Resolver(
      String policy, SecretReader reader, KeyParser keys, List<PolicyProblem> problems) {

    Rule rule(Rule r) {
      if (!(r.check() instanceof Check.Signatures s)) {
        return r;
      }
      List<Attestors> sets = s.attestors().stream().map(this::set).toList();
      return new Rule(
          r.name(),
          r.images(),
          new Check.Signatures(sets, s.signatureRepository()),
          r.scope(),
          r.mode());
    }

    Attestors set(Attestors a) {
      List<AttestorEntry> entries = new ArrayList<>();
      for (AttestorEntry e : a.entries()) {
        entries.add(
            switch (e) {
              case AttestorEntry.SecretKey s -> resolve(s);
              case AttestorEntry.Nested n -> new AttestorEntry.Nested(set(n.attestors()));
              default -> e;
            });
      }
      return new Attestors(a.count(), entries);
    }

    AttestorEntry resolve(AttestorEntry.SecretKey s) {
      Optional<Map<String, byte[]>> data;
      try {
        data = reader.read(new SecretRef(s.namespace(), s.name()));
      } catch (RuntimeException e) {
        return unresolved(s, "reading it failed: " + e.getMessage());
      }
      if (data.isEmpty()) {
        return unresolved(s, "no such Secret");
      }
      Map<String, byte[]> d = data.get();
      byte[] value;
      if (s.dataKey().isPresent()) {
        value = d.get(s.dataKey().get());
        if (value == null) {
          return unresolved(s, "it has no entry " + s.dataKey().get());
        }
      } else if (d.size() != 1) {
        return unresolved(s, "it has " + d.size() + " entries; exactly one is required");
      } else {
        value = d.values().iterator().next();
      }
      Optional<String> block = PemKeyParser.firstBlock(new String(value, StandardCharsets.UTF_8));
      if (block.isEmpty()) {
        return unresolved(s, "no PEM block");
      }
      try {
        return s.resolve(keys.parse(block.get()));
      } catch (IllegalArgumentException e) {
        return unresolved(s, "not a usable public key (" + e.getMessage() + ")");
      }
    }

    private AttestorEntry unresolved(AttestorEntry.SecretKey s, String why) {
      problems.add(
          new PolicyProblem("v1/Secret", policy, "", "key in " + s.describe() + ": " + why));
      return s;
    }
  }
}
