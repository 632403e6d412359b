package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.ImageRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageMatcherTest {
  @Test
  void sigauditFilesMatchRegistryHostsWithoutCaseButTheEnginesDoNot() {
    ImageRef upper = ImageRef.parse("LOCALHOST:5000/team/app@sha256:" + "a".repeat(64));
    List<String> patterns = List.of("localhost:5000/*");

    // DNS names are not case-sensitive: a sigaudit file selects the image and its allow-list
    // covers it.
    assertThat(ImageMatcher.sigaudit(patterns, List.of()).matches(upper)).isTrue();
    assertThat(ImageMatcher.sigaudit(List.of("*"), List.of("LocalHost:5000/team/*")).test(upper))
        .isEqualTo(ImageMatcher.Outcome.SKIPPED);
    assertThat(ImageChecks.allowed(new Check.AllowedImages(patterns), upper).result())
        .isEqualTo(dev.sigaudit.model.Result.PASS);
    // Kyverno's wildcard and policy-controller's glob compare the host byte for byte: the image
    // escapes the rule in the engine, and so it does for the translated policy.
    assertThat(new ImageMatcher(patterns, List.of()).matches(upper)).isFalse();
    assertThat(ImageMatcher.globs(List.of("localhost:5000/**")).matches(upper)).isFalse();
    // The path is case-sensitive everywhere (repositories are lower case by definition).
    assertThat(ImageMatcher.sigaudit(List.of("localhost:5000/TEAM/*"), List.of()).matches(upper))
        .isFalse();
  }

  private static final String DIGEST =
      "sha256:b31bfb4d0213f254d361e0079deaaebefa4f82ba7aa76ef82e90b4935ad5b105";

  private static boolean applies(String pattern, String image) {
    return ImageMatcher.of(pattern).matches(ImageRef.parse(image));
  }

  @ParameterizedTest(name = "''{0}'' matches image ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        // Docker Hub: Kyverno's spelling (no library/) and the canonical one both work
        "docker.io/nginx:*|nginx:1.27",
        "docker.io/library/nginx:*|nginx:1.27",
        "docker.io/nginx:latest|nginx",
        "docker.io/library/nginx:latest|docker.io/library/nginx",
        "docker.io/nginx*|index.docker.io/library/nginx:1.27",
        "docker.io/bitnami/*|bitnami/redis:7",
        "docker.io/*|redis",
        // '*' crosses '/' and ':'
        "ghcr.io/acme/*|ghcr.io/acme/app:1.0",
        "ghcr.io/acme/*|ghcr.io/acme/team/app:1.0",
        "*|registry.k8s.io/pause:3.9",
        "*/pause:*|registry.k8s.io/pause:3.9",
        "localhost:5000/*|localhost:5000/app:dev",
        // a tag and a digest: Kyverno's digest-only spelling, the tag-only one and both
        "ghcr.io/acme/app@sha256:*|ghcr.io/acme/app:1.0@" + DIGEST,
        "ghcr.io/acme/app:1.0|ghcr.io/acme/app:1.0@" + DIGEST,
        "ghcr.io/acme/app:1.0@sha256:*|ghcr.io/acme/app:1.0@" + DIGEST,
        "ghcr.io/acme/app@" + DIGEST + "|ghcr.io/acme/app@" + DIGEST,
      })
  void matches(String pattern, String image) {
    assertThat(applies(pattern, image)).isTrue();
  }

  @ParameterizedTest(name = "''{0}'' does not match image ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        // patterns are matched against the full name: no registry means no match (as in Kyverno)
        "nginx:*|nginx:1.27",
        "nginx*|nginx",
        "ghcr.io/acme/*|ghcr.io/other/app:1.0",
        "ghcr.io/acme/*|docker.io/acme/app:1.0",
        // an image without tag or digest runs :latest
        "ghcr.io/acme/app:v*|ghcr.io/acme/app",
        // by digest only: there is no tag to match
        "ghcr.io/acme/app:*|ghcr.io/acme/app@" + DIGEST,
        "docker.io/library/nginx:*|ghcr.io/library/nginx:1",
      })
  void doesNotMatch(String pattern, String image) {
    assertThat(applies(pattern, image)).isFalse();
  }

  @Test
  void skipImagesExemptAnImageTheImagesListSelects() {
    var m = new ImageMatcher(List.of("ghcr.io/acme/*"), List.of("ghcr.io/acme/debug-*"));

    assertThat(m.test(ImageRef.parse("ghcr.io/acme/app:1")))
        .isEqualTo(ImageMatcher.Outcome.MATCHED);
    assertThat(m.test(ImageRef.parse("ghcr.io/acme/debug-shell:1")))
        .isEqualTo(ImageMatcher.Outcome.SKIPPED);
    assertThat(m.test(ImageRef.parse("ghcr.io/other/debug-shell:1")))
        .isEqualTo(ImageMatcher.Outcome.NOT_LISTED);
    assertThat(m.matches(ImageRef.parse("ghcr.io/acme/debug-shell:1"))).isFalse();
  }

  @Test
  void skipImagesUseTheSameDockerHubSpellings() {
    var m = new ImageMatcher(List.of("*"), List.of("docker.io/busybox*"));

    assertThat(m.test(ImageRef.parse("busybox:1.36"))).isEqualTo(ImageMatcher.Outcome.SKIPPED);
  }

  @Test
  void aMatcherNeedsAtLeastOneImagePattern() {
    assertThatThrownBy(() -> new ImageMatcher(List.of(), List.of("*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an image matcher needs at least one pattern");
  }

  @Test
  void spellingsCoverBothDockerHubNamesAndBothTagAndDigestForms() {
    assertThat(ImageNames.spellings(ImageRef.parse("nginx:1.27@" + DIGEST)))
        .containsExactly(
            "docker.io/library/nginx:1.27@" + DIGEST,
            "docker.io/library/nginx@" + DIGEST,
            "docker.io/library/nginx:1.27",
            "docker.io/nginx:1.27@" + DIGEST,
            "docker.io/nginx@" + DIGEST,
            "docker.io/nginx:1.27");
    assertThat(ImageNames.spellings(ImageRef.parse("ghcr.io/acme/app")))
        .containsExactly("ghcr.io/acme/app:latest");
  }
}
