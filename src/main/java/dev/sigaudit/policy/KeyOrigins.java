package dev.sigaudit.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Records where the keys and identities of a translated cluster policy were written: each rule's
 * entries are inline in that policy and rule. Translators call it once a policy is complete (the
 * policy's name is only known then); an entry that already has an origin keeps it.
 */
public final class KeyOrigins {
  private KeyOrigins() {}

  /** {@code policy} with every unstated origin set to "inline in this policy, rule R". */
  public static Policy inline(Policy policy) {
    List<Rule> rules = new ArrayList<>();
    for (Rule r : policy.rules()) {
      KeyOrigin here = new KeyOrigin.Inline(policy.name(), "rule " + r.name());
      rules.add(
          r.check() instanceof Check.Signatures s
              ? new Rule(
                  r.name(),
                  r.images(),
                  new Check.Signatures(
                      s.attestors().stream().map(a -> set(a, here)).toList(),
                      s.signatureRepository()),
                  r.scope(),
                  r.mode())
              : r);
    }
    return new Policy(
        policy.name(),
        policy.source(),
        policy.mode(),
        policy.severity(),
        policy.category(),
        policy.namespaces(),
        rules);
  }

  private static Attestors set(Attestors set, KeyOrigin here) {
    List<AttestorEntry> entries = new ArrayList<>();
    for (AttestorEntry e : set.entries()) {
      entries.add(
          switch (e) {
            case AttestorEntry.Key k when unstated(k.origin()) -> k.withOrigin(here);
            case AttestorEntry.SecretKey s when unstated(s.origin()) -> s.withOrigin(here);
            case AttestorEntry.Keyless k when unstated(k.origin()) -> k.withOrigin(here);
            case AttestorEntry.Nested n -> new AttestorEntry.Nested(set(n.attestors(), here));
            default -> e;
          });
    }
    return new Attestors(set.count(), entries);
  }

  private static boolean unstated(KeyOrigin o) {
    return o instanceof KeyOrigin.Unstated;
  }
}
