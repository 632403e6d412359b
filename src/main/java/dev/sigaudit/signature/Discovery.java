package dev.sigaudit.signature;

import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.registry.RegistryException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What looking up the signatures of one digest found: the one result type from discovery through
 * registry access to verification. "Nothing found" and "could not look" are different types, so a
 * registry outage can never be mistaken for an unsigned image.
 */
public sealed interface Discovery {
  /** Candidates found (possibly partial when {@link Failed}); not yet verified. */
  List<SignatureCandidate> candidates();

  /**
   * Things skipped or odd on the way (malformed layers, foreign subjects, a route not needed…), for
   * the log.
   */
  List<String> notes();

  /**
   * Every route needed was consulted and answered; {@code state} is what the verification cache
   * compares next time.
   *
   * @param candidates empty means unsigned
   */
  record Found(List<SignatureCandidate> candidates, List<String> notes, SignatureState state)
      implements Discovery {
    public Found {
      candidates = List.copyOf(candidates);
      notes = List.copyOf(notes);
      Objects.requireNonNull(state);
    }

    public boolean unsigned() {
      return candidates.isEmpty();
    }
  }

  /**
   * A route could not be consulted (or the lookup could not be made at all). {@code candidates}
   * holds what the other routes found: if one of them verifies, the image is signed; if none does,
   * the verdict is an error — the signature might be behind the failure.
   *
   * @param cause what failed, e.g. {@code fetching manifest …:sha256-….sig failed: 401 …}
   * @param kind the registry's kind of failure, when a registry answered
   */
  record Failed(
      String cause,
      Optional<RegistryException.Kind> kind,
      List<SignatureCandidate> candidates,
      List<String> notes)
      implements Discovery {
    public Failed {
      Objects.requireNonNull(cause);
      Objects.requireNonNull(kind);
      candidates = List.copyOf(candidates);
      notes = List.copyOf(notes);
    }

    /** A lookup that could not be made at all (no registry was asked, or it did not answer). */
    public static Failed of(String cause) {
      return new Failed(cause, Optional.empty(), List.of(), List.of());
    }

    /** A registry error, with what the routes found before it. */
    static Failed of(RegistryException e, List<SignatureCandidate> found, List<String> notes) {
      return new Failed(e.getMessage(), Optional.of(e.kind()), found, notes);
    }
  }
}
