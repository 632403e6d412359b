package dev.sigaudit.scan;

import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.RunningContainer;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.PodInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link Planner} made of one container: the digest its signatures are checked for, or why
 * there is none. Every container becomes exactly one target, so none is lost from the results.
 */
sealed interface Target {
  RunningContainer container();

  /** The credential scope its registry requests use. */
  String scope();

  /** Where the checked digest came from: {@code imageID}, {@code spec-digest}, … */
  String digestSource();

  /** A digest to check, from the container's {@code imageID}, its spec or its resolved tag. */
  record Resolved(
      RunningContainer container,
      String scope,
      AuditTarget target,
      ImageRef checked,
      String digestSource)
      implements Target {
    public Resolved {
      Objects.requireNonNull(container);
      Objects.requireNonNull(scope);
      Objects.requireNonNull(checked);
      if (target.digest().isEmpty()) {
        throw new IllegalArgumentException("a resolved target has a digest");
      }
    }
  }

  /**
   * No digest: no {@code imageID} yet and the tag could not be resolved. Policies still judge what
   * needs no signature (allowed registries…); signature checks are errors that say {@code why}.
   */
  record Unresolved(
      RunningContainer container, String scope, AuditTarget target, String why, Cause cause)
      implements Target {
    public Unresolved {
      Objects.requireNonNull(container);
      Objects.requireNonNull(why);
      Objects.requireNonNull(cause);
    }

    /** A target unresolved for no more specific cause than the unknown digest. */
    public Unresolved(RunningContainer container, String scope, AuditTarget target, String why) {
      this(container, scope, target, why, Cause.DIGEST_UNKNOWN);
    }

    @Override
    public String digestSource() {
      return "unresolved";
    }
  }

  /** The image reference itself does not parse: every policy gets an error. */
  record Unparseable(RunningContainer container, String scope, String why) implements Target {
    public Unparseable {
      Objects.requireNonNull(container);
      Objects.requireNonNull(why);
    }

    @Override
    public String digestSource() {
      return "none";
    }
  }

  /** What cluster policies may select on: Pod name and labels, container kind, image text. */
  static AuditTarget auditTarget(RunningContainer c, ImageRef spec, Optional<Digest> digest) {
    return new AuditTarget(
        c.namespace(),
        c.namespaceLabels(),
        spec,
        digest,
        new PodInfo(
            Optional.ofNullable(c.pod()),
            Optional.of(c.podLabels()),
            Optional.ofNullable(c.type()),
            Optional.ofNullable(c.imageAsWritten())));
  }
}
