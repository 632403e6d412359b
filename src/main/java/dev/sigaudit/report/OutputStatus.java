package dev.sigaudit.report;

import java.util.List;
import java.util.Objects;

/**
 * What writing one output did.
 *
 * @param output what was written, e.g. {@code results.csv} or {@code PolicyReports}
 * @param report whether the output is a report object in the cluster (the metrics count their
 *     failed writes)
 * @param notes log lines about what was written
 * @param errors one line per write that failed; empty when everything was written
 */
public record OutputStatus(String output, boolean report, List<String> notes, List<String> errors) {
  public OutputStatus {
    Objects.requireNonNull(output);
    notes = List.copyOf(notes);
    errors = List.copyOf(errors);
  }

  /** A file (or push) that was written. */
  public static OutputStatus written(String output, String note) {
    return new OutputStatus(output, false, List.of(note), List.of());
  }

  /** A file (or push) that could not be written. */
  public static OutputStatus failed(String output, String error) {
    return new OutputStatus(output, false, List.of(), List.of(error));
  }

  public boolean ok() {
    return errors.isEmpty();
  }
}
