package dev.sigaudit.policy;

import dev.sigaudit.model.ImageRef;
import java.util.List;

/**
 * Which images a rule applies to: any of {@code images} and none of {@code skipImages}, both lists
 * of {@link Wildcard} patterns matched against the normalized reference as written in the Pod spec.
 *
 * <p>Like Kyverno's {@code imageReferences}/{@code skipImageReferences} and policy-controller's
 * {@code images[].glob}. A pattern matches when it matches any spelling of the reference: {@code
 * registry/repository} followed by {@code :tag}, {@code @digest} or both (the tag {@code latest}
 * when neither was written), and for Docker Hub official images also without {@code library/}. So
 * {@code docker.io/nginx:*} and {@code docker.io/library/nginx:*} both match {@code nginx:1.27}.
 *
 * @param images patterns that select an image; never empty
 * @param skipImages patterns that exempt a selected image
 */
public record ImageMatcher(List<String> images, List<String> skipImages) {

  /** Why a rule does or does not apply to an image. */
  public enum Outcome {
    /** Listed in {@code images} and not in {@code skipImages}: the rule applies. */
    MATCHED,
    /** Not listed in {@code images}. */
    NOT_LISTED,
    /** Listed in {@code images}, but also in {@code skipImages}. */
    SKIPPED
  }

  public ImageMatcher {
    images = List.copyOf(images);
    skipImages = List.copyOf(skipImages);
    if (images.isEmpty()) {
      throw new IllegalArgumentException("an image matcher needs at least one pattern");
    }
  }

  /** A matcher for {@code images} without exemptions. */
  public static ImageMatcher of(String... images) {
    return new ImageMatcher(List.of(images), List.of());
  }

  /** Whether the rule applies to {@code image}, and if not, why not. */
  public Outcome test(ImageRef image) {
    if (!ImageNames.anyMatches(images, image)) {
      return Outcome.NOT_LISTED;
    }
    return ImageNames.anyMatches(skipImages, image) ? Outcome.SKIPPED : Outcome.MATCHED;
  }

  /** Whether the rule applies to {@code image}. */
  public boolean matches(ImageRef image) {
    return test(image) == Outcome.MATCHED;
  }
}
