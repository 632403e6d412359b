package dev.sigaudit.policy;

import dev.sigaudit.model.Cause;
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
      // Only sigaudit's own files allow registries; DNS names are not case-sensitive.
      if (ImageNames.anyMatchesIgnoringHostCase(List.of(pattern), image)) {
        return Outcome.of(Result.PASS, "image " + image + " matches allowed " + pattern);
      }
    }
    return Outcome.of(
            Result.FAIL,
            "image "
                + image
                + " is not from an allowed registry (allowed: "
                + String.join(", ", check.patterns())
                + ")",
            Cause.IMAGE_NOT_ALLOWED)
        .toDo("To pass: run an image from " + shown(check.patterns()) + ".");
  }

  /** Judged on the text of the Pod spec, as Kyverno validates the resource it is given. */
  static Outcome pattern(Check.ImagePattern check, AuditTarget target) {
    var written = target.pod().imageAsWritten();
    String p = check.pattern().text();
    if (written.isEmpty()) {
      return Outcome.of(
          Result.ERROR,
          "cannot check image "
              + target.image()
              + " against '"
              + p
              + "': the image as written in"
              + " the Pod spec is not known");
    }
    String image = written.get();
    if (check.pattern().matches(image)) {
      return Outcome.of(Result.PASS, "image " + image + " matches '" + p + "'");
    }
    return Outcome.of(
            Result.FAIL,
            check.message().map(m -> m + ": ").orElse("")
                + "image "
                + image
                + " does not match '"
                + p
                + "'",
            Cause.IMAGE_NOT_ALLOWED)
        .toDo("To pass: run an image that matches '" + p + "'.");
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
                + target.runningDigest().map(r -> " (running " + r + ")").orElse(""),
            Cause.NOT_PINNED)
        .toDo(
            "To pass: name the image by digest in the Pod spec ("
                + image.name()
                + "@"
                + target.runningDigest().map(Object::toString).orElse("sha256:…")
                + ").");
  }

  /** The first few patterns, "… and N more": a message names the fix, it does not list a set. */
  private static String shown(List<String> patterns) {
    int n = Math.min(Remedies.SHOWN, patterns.size());
    return String.join(", ", patterns.subList(0, n))
        + (patterns.size() > n ? " … and " + (patterns.size() - n) + " more" : "");
  }
}
