package dev.sigaudit.policy.crd;

import dev.sigaudit.model.ImageRef;
import java.util.Optional;

/** Reads a signature repository field ({@code repository}): a repository, no tag or digest. */
public final class Repositories {
  private Repositories() {}

  /** The repository; empty when absent or (after a problem) invalid. */
  public static Optional<ImageRef> read(Node n, ProblemLog log) {
    Optional<String> text = n.text(log);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      ImageRef ref = ImageRef.parse(text.get());
      if (ref.tag() == null && ref.digest() == null) {
        return Optional.of(ref);
      }
      log.add(n, "'" + text.get() + "' must name a repository, without tag or digest");
    } catch (IllegalArgumentException e) {
      log.add(n, "'" + text.get() + "' is not a repository name");
    }
    return Optional.empty();
  }
}
