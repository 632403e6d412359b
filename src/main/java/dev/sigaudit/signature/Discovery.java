package dev.sigaudit.signature;

import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.registry.RegistryException;
import java.util.List;
import java.util.Objects;

/**
 * What signature discovery found for one digest. "Nothing found" and "could not look" are different
 * types, so a registry outage can never be mistaken for an unsigned image.
 */
public sealed interface Discovery {
  /** Candidates found (possibly partial when {@link Failed}); not yet verified. */
  List<SignatureCandidate> candidates();

  /** Things skipped or odd on the way (malformed layers, foreign subjects…), for diagnostics. */
  List<String> notes();

  /**
   * Every route was consulted and answered.
   *
   * @param candidates empty means unsigned
   */
  record Found(List<SignatureCandidate> candidates, List<String> notes, SignatureState state)
      implements Discovery {
    public Found {
      candidates = List.copyOf(candidates);
      notes = List.copyOf(notes);
    }

    public boolean unsigned() {
      return candidates.isEmpty();
    }
  }

  /**
   * At least one route could not be consulted. {@code candidates} holds what the other routes
   * found: if one of them verifies, the image is signed; if none does, the verdict is an error —
   * the signature might be behind the failure.
   */
  record Failed(RegistryException cause, List<SignatureCandidate> candidates, List<String> notes)
      implements Discovery {
    public Failed {
      Objects.requireNonNull(cause);
      candidates = List.copyOf(candidates);
      notes = List.copyOf(notes);
    }

    /** The registry error, e.g. {@code fetching manifest …:sha256-….sig failed: 401 …}. */
    public String message() {
      return cause.getMessage();
    }
  }
}
