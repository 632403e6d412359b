package dev.sigaudit.cli;

import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.NamespaceSelector;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a compiled policy would check, in a few lines a person can compare with what they wrote: the
 * images each rule selects, and the keys or keyless identities their signatures must verify with.
 * Read from the compiled {@link Policy}, so it shows what sigaudit understood, not the YAML.
 */
final class PolicyOutline {
  private PolicyOutline() {}

  /** The rules of {@code policy}, one line each, indented by two spaces. */
  static List<String> rules(Policy policy) {
    List<String> lines = new ArrayList<>();
    if (!policy.namespaces().equals(NamespaceSelector.ALL)) {
      lines.add("  namespaces: " + namespaces(policy.namespaces()));
    }
    for (Rule r : policy.rules()) {
      lines.add("  rule " + r.name() + ": " + images(r.images()) + "; " + check(r.check()));
    }
    return lines;
  }

  private static String namespaces(NamespaceSelector n) {
    List<String> parts = new ArrayList<>();
    if (!n.include().isEmpty()) {
      parts.add(String.join(", ", n.include()));
    }
    if (!n.exclude().isEmpty()) {
      parts.add("not " + String.join(", ", n.exclude()));
    }
    if (!n.labels().equals(NamespaceSelector.ALL.labels())) {
      List<String> labels = new ArrayList<>();
      n.labels().matchLabels().forEach((k, v) -> labels.add(k + "=" + v));
      n.labels()
          .matchExpressions()
          .forEach(
              e ->
                  labels.add(
                      e.key()
                          + " "
                          + e.operator().name().toLowerCase(Locale.ROOT)
                          + " "
                          + e.values()));
      parts.add("labelled " + String.join(", ", labels));
    }
    return String.join("; ", parts);
  }

  static String images(ImageMatcher m) {
    String s = "images " + (m.images().isEmpty() ? "(all)" : String.join(", ", m.images()));
    return m.skipImages().isEmpty() ? s : s + " except " + String.join(", ", m.skipImages());
  }

  static String check(Check check) {
    return switch (check) {
      case Check.Signatures s ->
          "signed by "
              + s.attestors().stream()
                  .map(PolicyOutline::attestors)
                  .collect(Collectors.joining(" and "))
              + s.signatureRepository().map(r -> " (signatures in " + r + ")").orElse("");
      case Check.AllowedImages a -> "image must match " + String.join(", ", a.patterns());
      case Check.RequireDigest d -> "image must be referenced by digest";
      case Check.CelValidation c ->
          "CEL validations: "
              + String.join(" | ", c.expressions().stream().map(PolicyOutline::clip).toList());
      case Check.ImagePattern p -> "image must match the pattern " + p.pattern().text();
    };
  }

  private static String attestors(Attestors a) {
    List<String> entries = a.entries().stream().map(PolicyOutline::entry).toList();
    if (entries.size() == 1) {
      return entries.get(0);
    }
    String quantity = a.count() >= entries.size() ? "all" : a.count() + "";
    return quantity + " of [" + String.join("; ", entries) + "]";
  }

  private static String entry(AttestorEntry e) {
    return switch (e) {
      case AttestorEntry.Key k ->
          "key "
              + k.key().fingerprint()
              + formats(k.formats())
              + (k.requireTlog() ? ", logged in Rekor" : "");
      case AttestorEntry.SecretKey k -> "the key in " + k.describe() + formats(k.formats());
      case AttestorEntry.Keyless k ->
          k.describe()
              + formats(k.formats())
              + k.transparencyLog().map(t -> ", logged in " + t).orElse("");
      case AttestorEntry.Static s ->
          (s.pass() ? "always passes" : "always fails") + " (" + s.message() + ")";
      case AttestorEntry.Nested n -> "(" + attestors(n.attestors()) + ")";
      case AttestorEntry.Unverifiable u -> u.what() + " (sigaudit cannot verify this signer)";
      case AttestorEntry.Unsupported u -> u.what() + " (not checked by sigaudit)";
    };
  }

  private static String formats(Set<SignatureFormat> formats) {
    if (formats.containsAll(AttestorEntry.ALL_FORMATS)) {
      return "";
    }
    return " ("
        + formats.stream().map(SignatureFormat::label).sorted().collect(Collectors.joining(", "))
        + " only)";
  }

  private static String clip(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() > 120 ? one.substring(0, 117) + "…" : one;
  }

  /** {@code audit}, {@code enforce}, … */
  static String mode(Policy p) {
    return p.mode().name().toLowerCase(Locale.ROOT);
  }
}
