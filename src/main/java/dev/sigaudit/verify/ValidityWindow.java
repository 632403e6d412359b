package dev.sigaudit.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The period during which a trusted-root entry (a Fulcio CA, a Rekor or CT log key, a TSA) may be
 * relied on: the {@code validFor} {@code TimeRange} of <a
 * href="https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto">sigstore_trustroot.proto</a>.
 * Both ends are inclusive; a missing end means "still valid".
 *
 * @param start the first instant, or empty for "since forever"
 * @param end the last instant, or empty for "until further notice"
 */
public record ValidityWindow(Optional<Instant> start, Optional<Instant> end) {
  /** A window without bounds. */
  public static final ValidityWindow ALWAYS =
      new ValidityWindow(Optional.empty(), Optional.empty());

  public ValidityWindow {
    Objects.requireNonNull(start);
    Objects.requireNonNull(end);
    if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
      throw new IllegalArgumentException("validity ends " + end.get() + " before it starts");
    }
  }

  /** A window from {@code start} on, without an end. */
  public static ValidityWindow from(Instant start) {
    return new ValidityWindow(Optional.of(start), Optional.empty());
  }

  /** A window from {@code start} to {@code end}, both inclusive. */
  public static ValidityWindow between(Instant start, Instant end) {
    return new ValidityWindow(Optional.of(start), Optional.of(end));
  }

  /** Whether {@code instant} lies inside the window (ends included). */
  public boolean contains(Instant instant) {
    return start.map(s -> !instant.isBefore(s)).orElse(true)
        && end.map(e -> !instant.isAfter(e)).orElse(true);
  }

  /** {@code [2022-04-13T20:06:15Z, open]}, for messages. */
  @Override
  public String toString() {
    return "["
        + start.map(Instant::toString).orElse("open")
        + ", "
        + end.map(Instant::toString).orElse("open")
        + "]";
  }
}
