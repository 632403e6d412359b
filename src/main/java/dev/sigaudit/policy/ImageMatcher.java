package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Wildcard;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which images a rule applies to: any of {@code images} and none of {@code skipImages}.
 *
 * <p>With {@link Syntax#KYVERNO} (Kyverno's {@code imageReferences}/{@code skipImageReferences})
 * and {@link Syntax#SIGAUDIT} (sigaudit's own files, which also ignore the case of the registry
 * host) patterns are {@link Wildcard} patterns matched against the normalized reference as written
 * in the Pod spec. A pattern matches when it matches any spelling of the reference: {@code
 * registry/repository} followed by {@code :tag}, {@code @digest} or both (the tag {@code latest}
 * when neither was written), and for Docker Hub official images also without {@code library/}. So
 * {@code docker.io/nginx:*} and {@code docker.io/library/nginx:*} both match {@code nginx:1.27}.
 *
 * <p>With {@link Syntax#CIP_GLOB} (policy-controller's {@code images[].glob}) patterns are {@link
 * CipGlob} globs matched against the name policy-controller sees ({@link CipGlob#subject}).
 *
 * @param images patterns that select an image; never empty
 * @param skipImages patterns that exempt a selected image
 * @param syntax how the patterns are written and matched
 */
public record ImageMatcher(List<String> images, List<String> skipImages, Syntax syntax) {

  /** Why a rule does or does not apply to an image. */
  public enum Outcome {
    /** Listed in {@code images} and not in {@code skipImages}: the rule applies. */
    MATCHED,
    /** Not listed in {@code images}. */
    NOT_LISTED,
    /** Listed in {@code images}, but also in {@code skipImages}. */
    SKIPPED
  }

  /** The pattern language of an {@link ImageMatcher}. */
  public enum Syntax {
    /**
     * {@link Wildcard}: {@code *} crosses {@code /}; Kyverno's {@code imageReferences}, whose
     * matcher compares the registry host byte for byte ({@code LOCALHOST:5000/app} escapes {@code
     * localhost:5000/*} in Kyverno, so it does here).
     */
    KYVERNO,
    /**
     * {@link #KYVERNO}'s wildcards with the registry host compared without case: sigaudit files.
     */
    SIGAUDIT,
    /** {@link CipGlob}: {@code *} stops at {@code /}, {@code **} does not; policy-controller. */
    CIP_GLOB
  }

  public ImageMatcher {
    images = List.copyOf(images);
    skipImages = List.copyOf(skipImages);
    Objects.requireNonNull(syntax);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("an image matcher needs at least one pattern");
    }
    if (syntax == Syntax.CIP_GLOB) {
      images.forEach(CipGlob::compile);
      skipImages.forEach(CipGlob::compile);
    }
  }

  /** A Kyverno-syntax matcher. */
  public ImageMatcher(List<String> images, List<String> skipImages) {
    this(images, skipImages, Syntax.KYVERNO);
  }

  /** A matcher for sigaudit's own policy files: Kyverno wildcards, host case ignored. */
  public static ImageMatcher sigaudit(List<String> images, List<String> skipImages) {
    return new ImageMatcher(images, skipImages, Syntax.SIGAUDIT);
  }

  /** A Kyverno-syntax matcher for {@code images} without exemptions. */
  public static ImageMatcher of(String... images) {
    return new ImageMatcher(List.of(images), List.of());
  }

  /** A policy-controller matcher for {@code globs}. */
  public static ImageMatcher globs(List<String> globs) {
    return new ImageMatcher(globs, List.of(), Syntax.CIP_GLOB);
  }

  /**
   * Whether the rule applies to {@code image} as written, and if not, why not. For {@link
   * Syntax#CIP_GLOB} without a running digest; prefer {@link #test(AuditTarget)}.
   */
  public Outcome test(ImageRef image) {
    return switch (syntax) {
      case KYVERNO ->
          outcome(ImageNames.anyMatches(images, image), ImageNames.anyMatches(skipImages, image));
      case SIGAUDIT ->
          outcome(
              ImageNames.anyMatchesIgnoringHostCase(images, image),
              ImageNames.anyMatchesIgnoringHostCase(skipImages, image));
      case CIP_GLOB -> globs(CipGlob.qualifiedName(image));
    };
  }

  /** Whether the rule applies to the image of {@code target}, and if not, why not. */
  public Outcome test(AuditTarget target) {
    return syntax == Syntax.CIP_GLOB
        ? globs(CipGlob.subject(target.image(), target.runningDigest()))
        : test(target.image());
  }

  /**
   * Whether a {@link Syntax#KYVERNO} rule would apply to {@code image} if the registry host were
   * compared without case, as DNS compares it, but does not apply as Kyverno compares it (byte for
   * byte). The engine's decision stands (the rule does not apply); this only lets the finding say
   * so.
   */
  public boolean selectsOnlyIgnoringHostCase(ImageRef image) {
    return syntax == Syntax.KYVERNO
        && ImageNames.matchesOnlyIgnoringHostCase(images, image)
        && !ImageNames.anyMatchesIgnoringHostCase(skipImages, image);
  }

  /** Whether the rule applies to {@code image}. */
  public boolean matches(ImageRef image) {
    return test(image) == Outcome.MATCHED;
  }

  private Outcome globs(String name) {
    return outcome(anyGlob(images, name), anyGlob(skipImages, name));
  }

  private static boolean anyGlob(List<String> globs, String name) {
    for (String g : globs) {
      Pattern p = CipGlob.compile(g);
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Outcome outcome(boolean listed, boolean skipped) {
    if (!listed) {
      return Outcome.NOT_LISTED;
    }
    return skipped ? Outcome.SKIPPED : Outcome.MATCHED;
  }
}
