package dev.sigaudit.policy;

import java.util.Objects;

/**
 * One rule of a compiled policy.
 *
 * @param name unique within its policy
 * @param images the images the rule applies to
 * @param check what is checked on those images
 */
public record Rule(String name, ImageMatcher images, Check check) {
  public Rule {
    Objects.requireNonNull(name);
    Objects.requireNonNull(images);
    Objects.requireNonNull(check);
  }
}
