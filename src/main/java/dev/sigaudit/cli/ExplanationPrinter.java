package dev.sigaudit.cli;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.Finding;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.policy.VerificationRequest;
import dev.sigaudit.scan.Explanation;
import dev.sigaudit.signature.Discovery;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Prints an {@link Explanation} for a person, one block per distinct container image, in the order
 * of the pipeline: the digest checked and where it came from, every signature found (route, format,
 * signer), each signature check and its verdict with every candidate's reason, then each policy
 * rule's result with why. Replicas of one workload that run the same image are one block.
 */
final class ExplanationPrinter {
  private final PrintStream out;
  private final Map<String, String> origins;

  /**
   * @param origins by policy name, where it came from ({@link PolicyOrigin})
   */
  ExplanationPrinter(PrintStream out, Map<String, String> origins) {
    this.out = out;
    this.origins = Map.copyOf(origins);
  }

  void print(Explanation e) {
    if (!e.result().problems().isEmpty()) {
      out.println("problems:");
      e.result().problems().forEach(p -> out.println("  " + p));
      out.println();
    }
    for (Explanation.Container c : distinct(e.containers())) {
      print(c);
    }
  }

  /** One per (container name, image as written, digest checked): replicas say the same. */
  private static List<Explanation.Container> distinct(List<Explanation.Container> all) {
    Map<List<Object>, Explanation.Container> seen = new LinkedHashMap<>();
    for (Explanation.Container c : all) {
      seen.putIfAbsent(
          List.of(c.container().container(), c.container().imageAsWritten(), c.checked()), c);
    }
    return new ArrayList<>(seen.values());
  }

  private void print(Explanation.Container c) {
    var rc = c.container();
    out.println(
        "container "
            + rc.container()
            + " ("
            + rc.type().label()
            + ") image "
            + rc.imageAsWritten());
    out.println("  digest: " + digest(c));
    for (Explanation.Lookup l : c.lookups()) {
      lookup(l);
    }
    out.println("  verdicts:");
    if (c.rows().isEmpty()) {
      out.println("    (no policy)");
    }
    for (AuditRow row : c.rows()) {
      Finding f = row.finding();
      String rule = f.rule().isEmpty() ? "" : " rule " + f.rule();
      out.println(
          "    "
              + String.format(Locale.ROOT, "%-5s", f.result().name())
              + " "
              + f.policy()
              + rule
              + ": "
              + f.message());
      String origin = origins.get(f.policy());
      if (origin != null) {
        out.println("          (" + origin + ")");
      }
      f.engineNotes().forEach(n -> out.println("          engine note: " + n));
    }
    out.println();
  }

  private static String digest(Explanation.Container c) {
    if (c.checked().isEmpty()) {
      return "none checked: " + c.unchecked().orElse("?");
    }
    String d = c.checked().get().digest().toString();
    return switch (c.digestSource()) {
      case "imageID" -> d + " (running, from the Pod status imageID)";
      case "spec-digest" -> d + " (as written in the image reference)";
      case "tag-resolved" ->
          d
              + " (resolved: tag "
              + Objects.requireNonNullElse(
                  c.container().image().map(i -> i.tag()).orElse(null), "?")
              + " names this digest in the registry now)";
      default -> d + " (" + c.digestSource() + ")";
    };
  }

  private void lookup(Explanation.Lookup l) {
    Discovery d = l.found();
    List<SignatureCandidate> candidates = d.candidates();
    String head = "  signatures in " + l.repository() + ": ";
    out.println(
        head
            + switch (d) {
              case Discovery.Found f -> f.unsigned() ? "none found" : candidates.size() + " found";
              case Discovery.Failed f ->
                  "lookup failed: "
                      + f.cause()
                      + (candidates.isEmpty() ? "" : " (" + candidates.size() + " found before)");
            });
    for (int i = 0; i < candidates.size(); i++) {
      SignatureCandidate s = candidates.get(i);
      InventorySignature who = i < l.signers().size() ? l.signers().get(i) : null;
      out.println(
          "    "
              + (i + 1)
              + ". "
              + s.format().label()
              + " "
              + s.sourceManifest().shortForm()
              + " via "
              + route(s.format())
              + (who == null ? "" : "; signer: " + signer(who)));
    }
    d.notes().forEach(n -> out.println("    note: " + n));
    out.println("  checks:");
    if (l.checks().isEmpty()) {
      out.println("    (none asked)");
    }
    for (Explanation.CheckVerdict v : l.checks()) {
      out.println("    " + check(v.request()) + ": " + verdict(v.verdict()));
      if (v.verdict() instanceof Verdict.Rejected r) {
        r.reasons().forEach(reason -> out.println("      - " + reason));
      }
    }
  }

  static String route(SignatureFormat f) {
    return switch (f) {
      case LEGACY_TAG -> "the legacy .sig tag";
      case BUNDLE_REFERRER -> "the referrers API";
      case BUNDLE_FALLBACK_TAG -> "the referrers fallback tag";
    };
  }

  private static String signer(InventorySignature s) {
    return s.signer() + s.issuer().map(i -> " (issuer " + i + ")").orElse("");
  }

  static String check(VerificationRequest r) {
    String formats =
        r.acceptsAllFormats()
            ? ""
            : " ["
                + r.formats().stream()
                    .map(SignatureFormat::label)
                    .sorted()
                    .collect(Collectors.joining(", "))
                + " only]";
    String reading =
        r.reading() == VerificationRequest.Reading.BUNDLES_WHEN_PRESENT
            ? " [bundles only when there is one, as Kyverno reads them]"
            : "";
    // Asked by an engine that would fail an unsigned image whoever the signer: only whether any
    // signature is there, so say that rather than name a signer nobody checks.
    String who =
        r.authority() instanceof Authority.Presence p
            ? "presence of any signature (for " + p.describe() + ")"
            : r.authority().describe();
    return who + formats + reading;
  }

  static String verdict(Verdict v) {
    return switch (v) {
      case Verdict.Verified ok ->
          "verified ("
              + ok.format().label()
              + ", signed by "
              + ok.signer().description()
              + ok.signer().issuer().map(i -> ", issuer " + i).orElse("")
              + ")"
              + (ok.notes().isEmpty() ? "" : "; engine note: " + String.join("; ", ok.notes()));
      case Verdict.Unsigned u -> "not signed: no signature found";
      case Verdict.Rejected r -> "rejected, no signature verified:";
      case Verdict.CheckError err -> "could not check: " + err.cause();
    };
  }
}
