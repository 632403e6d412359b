package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import java.util.List;

/** Finds the signatures stored for a digest in a repository (the registry side of a scan). */
public interface SignatureLookup {

  Lookup find(ImageRef repository, Digest digest);

  /** What the registry said: the candidates (possibly none), or why it could not be asked. */
  sealed interface Lookup {
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
