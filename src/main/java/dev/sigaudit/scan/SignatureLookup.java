package dev.sigaudit.scan;

import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.signature.SignatureState;
import java.util.List;
import java.util.Map;

/** What looking up the signatures of a digest in a repository found. */
public final class SignatureLookup {
  private SignatureLookup() {}

  /** What the registry said: the candidates (possibly none), or why it could not be asked. */
  public sealed interface Lookup {
    /** Every route answered; {@code state} is what the cache compares next time. */
    record Found(List<SignatureCandidate> candidates, SignatureState state) implements Lookup {
      public Found {
        candidates = List.copyOf(candidates);
      }
    }

    /** The signatures are unchanged since a previous scan: its verdicts. */
    record Cached(Map<VerdictKey, Verdict> verdicts) implements Lookup {
      public Cached {
        verdicts = Map.copyOf(verdicts);
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
