package dev.sigaudit.policy.ivp;

import dev.sigaudit.model.ImageRef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The ways a Pod spec may have written an image, which a {@code matchImageReferences} glob is
 * matched against.
 *
 * <p>Kyverno matches globs against the image string exactly as written in the spec ({@code nginx},
 * {@code docker.io/library/nginx:1.27}…). sigaudit only keeps the normalized reference, so a glob
 * selects an image when it matches any spelling of it: with or without {@code docker.io/}, {@code
 * index.docker.io/} and {@code library/} for Docker Hub, with the tag and digest as written (and
 * {@code :latest} or nothing when neither was). All spellings name the same image, so a glob
 * written for any of them selects it; a glob can select more than in Kyverno, never a different
 * image.
 */
final class Spellings {
  private Spellings() {}

  static List<String> of(ImageRef ref) {
    Set<String> names = new LinkedHashSet<>();
    names.add(ref.name());
    if (ref.registry().equals(ImageRef.DOCKER_HUB)) {
      String repo = ref.repository();
      names.add(ImageValue.DOCKER_HUB_REGISTRY + "/" + repo);
      names.add(repo);
      if (repo.startsWith("library/") && repo.indexOf('/', "library/".length()) < 0) {
        String shortName = repo.substring("library/".length());
        names.add(ImageRef.DOCKER_HUB + "/" + shortName);
        names.add(shortName);
      }
    }
    Set<String> suffixes = new LinkedHashSet<>();
    String digest = ref.digest() == null ? null : "@" + ref.digest();
    if (ref.tag() != null && digest != null) {
      suffixes.add(":" + ref.tag() + digest);
      suffixes.add(digest);
      suffixes.add(":" + ref.tag());
    } else if (digest != null) {
      suffixes.add(digest);
    } else if (ref.tag() != null) {
      suffixes.add(":" + ref.tag());
    } else {
      suffixes.add("");
      suffixes.add(":latest");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      for (String s : suffixes) {
        out.add(n + s);
      }
    }
    return List.copyOf(out);
  }
}
