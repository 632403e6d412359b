package dev.sigaudit.registry;

import java.util.List;
import java.util.Objects;

/**
 * The answer of the <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">referrers
 * API</a>. "Unsupported" is not an error: the caller falls back to the <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema">referrers
 * tag schema</a>. Errors (401, 5xx after retries…) are thrown, never reported as either answer.
 */
public sealed interface ReferrersAnswer {

  /** The registry implements the API; {@code manifests} may be empty (no referrers). */
  record Supported(List<Descriptor> manifests) implements ReferrersAnswer {
    public Supported {
      manifests = List.copyOf(manifests);
    }
  }

  /**
   * The registry does not implement the API (404, 400, 406, or a 200 that is not an OCI index).
   *
   * @param reason what it answered, for diagnostics
   */
  record Unsupported(String reason) implements ReferrersAnswer {
    public Unsupported {
      Objects.requireNonNull(reason);
    }
  }
}
