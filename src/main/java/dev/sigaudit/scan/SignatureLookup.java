package dev.sigaudit.scan;

import dev.sigaudit.model.SignatureCandidate;
import java.util.List;

/** What looking up the signatures of a digest in a repository found. */
public final class SignatureLookup {
  private SignatureLookup() {}

  /** What the registry said: the candidates (possibly none), or why it could not be asked. */
  public sealed interface Lookup {
    record Found(List<SignatureCandidate> candidates) implements Lookup {
      public Found {
        candidates = List.copyOf(candidates);
      }
    }

    /** Nothing could be read. */
    record Failed(String cause) implements Lookup {}

    /**
     * One route failed, the others gave {@code candidates}: a verified candidate still proves the
     * signature; otherwise the verdict is an error, since the signature may be behind the failure.
     */
    record Partial(List<SignatureCandidate> candidates, String cause) implements Lookup {
      public Partial {
        candidates = List.copyOf(candidates);
      }
    }
  }
}
