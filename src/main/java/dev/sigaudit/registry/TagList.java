package dev.sigaudit.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The tags of one repository (<a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-discovery">distribution
 * spec: listing tags</a>), read once per scan. Only a {@link Complete} list proves that a tag is
 * absent; a list that could not be read is not an error, its reader asks for each tag instead.
 */
public sealed interface TagList {

  /** Whether {@code tag} is listed, if this list can say. */
  default Optional<Boolean> lists(String tag) {
    return this instanceof Complete c ? Optional.of(c.tags().contains(tag)) : Optional.empty();
  }

  /**
   * Every tag of the repository when it was read.
   *
   * @param pages the requests it took
   */
  record Complete(Set<String> tags, int pages) implements TagList {
    public Complete {
      tags = Set.copyOf(tags);
    }
  }

  /**
   * No usable list (401, 403, 404, an oversized or malformed answer, too many pages, a timeout…).
   *
   * @param reason why, for diagnostics
   */
  record Unavailable(String reason) implements TagList {
    public Unavailable {
      Objects.requireNonNull(reason);
    }
  }
}
