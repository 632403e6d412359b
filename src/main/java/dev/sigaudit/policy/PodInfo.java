package dev.sigaudit.policy;

import dev.sigaudit.model.ContainerType;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about the Pod and container an image runs in, for rules that select on more than
 * the namespace (Kyverno's {@code match.resources.selector} and {@code names}, policy-controller's
 * {@code match[].selector}, a validate pattern on {@code spec.containers} only).
 *
 * <p>Every part is optional: a part that is not known makes a condition that needs it <em>unknown
 * </em>, so the rule gives an error instead of silently applying or not applying.
 *
 * @param name the Pod's name
 * @param labels the Pod's labels
 * @param container which list of the Pod spec the container is in
 * @param imageAsWritten the image string exactly as written in the Pod spec (Kyverno's validate
 *     patterns compare this text, not the normalized reference)
 */
public record PodInfo(
    Optional<String> name,
    Optional<Map<String, String>> labels,
    Optional<ContainerType> container,
    Optional<String> imageAsWritten) {

  /** Nothing known about the Pod. */
  public static final PodInfo UNKNOWN =
      new PodInfo(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public PodInfo {
    Objects.requireNonNull(name);
    labels = labels.map(Map::copyOf);
    Objects.requireNonNull(container);
    Objects.requireNonNull(imageAsWritten);
  }

  /** A fully known Pod container. */
  public static PodInfo of(
      String name, Map<String, String> labels, ContainerType container, String imageAsWritten) {
    return new PodInfo(
        Optional.of(name),
        Optional.of(labels),
        Optional.of(container),
        Optional.of(imageAsWritten));
  }
}
