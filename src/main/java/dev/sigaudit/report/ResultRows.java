package dev.sigaudit.report;

import dev.sigaudit.model.AuditRow;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.InventoryRow;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.model.SignatureState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups a scan's audit rows (one per Pod) into {@link ResultRow}s (one per workload, container,
 * checked digest and rule), as the PolicyReports group them, so that the CSV and the reports count
 * the same things.
 */
public final class ResultRows {
  private ResultRows() {}

  /** The rows of {@code scan}, in {@link ResultRow#ORDER}. */
  public static List<ResultRow> of(ScanResult scan) {
    Map<List<String>, List<AuditRow>> groups = new LinkedHashMap<>();
    for (AuditRow r : scan.rows()) {
      groups.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
    }
    List<ResultRow> out = new ArrayList<>();
    groups.values().forEach(g -> out.add(row(g.get(0), g.size())));
    out.sort(ResultRow.ORDER);
    return List.copyOf(out);
  }

  private static List<String> key(AuditRow r) {
    var c = r.container();
    var f = r.finding();
    return List.of(
        c.namespace(),
        c.workload().kind(),
        c.workload().name(),
        c.container(),
        r.checked().map(Object::toString).orElse(c.imageAsWritten()),
        f.source(),
        f.policy(),
        f.rule());
  }

  private static ResultRow row(AuditRow first, int pods) {
    var c = first.container();
    var f = first.finding();
    Optional<ImageRef> image = c.image();
    var evidence = f.primaryEvidence();
    return new ResultRow(
        c.namespace(),
        c.workload().kind(),
        c.workload().name(),
        c.container(),
        c.type().label(),
        c.imageAsWritten(),
        first.checked().map(r -> r.digest().toString()).orElse(""),
        first.digestSource(),
        image.map(ImageRef::registry).orElse(""),
        image.map(ImageRef::repository).orElse(""),
        image.map(i -> i.tag() == null ? "" : i.tag()).orElse(""),
        f.source(),
        f.policy(),
        f.rule(),
        f.result(),
        bounded(f.message()),
        evidence.map(e -> e.format().label()).orElse(""),
        evidence.map(e -> e.signer().description()).orElse(""),
        evidence.flatMap(e -> e.signer().issuer()).orElse(""),
        f.severity(),
        f.category(),
        String.join("; ", f.engineNotes()),
        pods,
        isInventory(f.policy(), f.source())
            ? SignatureState.ofInventoryResult(f.result()).wire()
            : "");
  }

  /** Whether a result is the signature inventory's, not a policy's. */
  static boolean isInventory(String policy, String source) {
    return InventoryRow.POLICY.equals(policy) && "sigaudit".equals(source);
  }

  /** Messages quote registry answers; every output bounds them the same way. */
  static String bounded(String message) {
    if (message.length() <= ReportResults.MAX_MESSAGE) {
      return message;
    }
    // A fail or error message ends with what to do (the key to sign with, the fix): the middle
    // of a long detail goes, the cause at the start and the remedy at the end stay.
    int tail = KEPT_TAIL;
    return message.substring(0, ReportResults.MAX_MESSAGE - tail)
        + "…"
        + message.substring(message.length() - tail);
  }

  /** How much of a long message's end is kept: room for "To pass: sign it with" three signers. */
  static final int KEPT_TAIL = 400;
}
