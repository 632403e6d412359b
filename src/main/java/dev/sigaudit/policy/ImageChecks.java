package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import java.util.List;

/**
 * The checks judged on the image reference alone: {@link Check.AllowedImages}, {@link
 * Check.RequireDigest}.
 */
final class ImageChecks {
  private ImageChecks() {}

  static Outcome allowed(Check.AllowedImages check, ImageRef image) {
    for (String pattern : check.patterns()) {
      if (ImageNames.anyMatches(List.of(pattern), image)) {
        return Outcome.of(Result.PASS, "image " + image + " matches allowed " + pattern);
      }
    }
    return Outcome.of(
        Result.FAIL,
        "image "
            + image
            + " is not from an allowed registry (allowed: "
            + String.join(", ", check.patterns())
            + ")");
  }

  /** Judged on the spec as written: a tag can be moved, a digest cannot. */
  static Outcome pinned(AuditTarget target) {
    ImageRef image = target.image();
    if (image.digest() != null) {
      return Outcome.of(Result.PASS, "image " + image + " is pinned by digest");
    }
    return Outcome.of(
        Result.FAIL,
        "image "
            + image
            + " is referenced by tag, not by digest"
            + target.runningDigest().map(r -> " (running " + r + ")").orElse(""));
  }
}
