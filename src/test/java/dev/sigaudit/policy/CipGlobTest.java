package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * policy-controller's glob semantics. The first two tests are the cases of upstream's {@code
 * pkg/apis/glob/glob_test.go} ({@code TestGlobMatch}), with the same expectations.
 */
class CipGlobTest {
  private static final String DIGEST =
      "sha256:5504f2a95018e3d8a52d80d9e1a128c6ea337581808ff9fe96f5628ce2336350";

  @ParameterizedTest(name = "image ''{0}'' matches glob ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "foo|index.docker.io/library/foo:latest",
        "foo|index.docker.io/library/foo:*",
        "foo|index.docker.io/library/*",
        "foo|index.docker.io/library/*:latest",
        "foo|index.docker.io/*/*",
        "foo|index.docker.io/**",
        "foo|index.docker.**",
        "foo|inde**",
        "foo|**",
        "foo|foo", // upstream: deprecated fallback to the text as given
        "foo|foo*",
        "foo|foo**",
        "myuser/myapp|index.docker.io/myuser/myapp:latest",
        "myuser/myapp|index.docker.io/myuser/myapp:*",
        "myuser/myapp|index.docker.io/myuser/*",
        "myuser/myapp|index.docker.io/myuser/*:latest",
        "myuser/myapp|index.docker.io/*/*",
        "myuser/myapp|index.docker.io/**",
        "myuser/myapp|index.docker.**",
        "myuser/myapp|inde**",
        "myuser/myapp|**",
        "myuser/myapp|myuser/myapp",
        "myuser/myapp|myuser/myapp*",
        "myuser/myapp|myuser/myapp**",
        "ghcr.io/foo/bar|ghcr.io/*/*",
        "ghcr.io/foo/bar|ghcr.io/**",
        "ghcr.io/foo|ghcr.io/**",
        "ghcr.io/foo|ghc**",
        "ghcr.io/foo|**",
        "ghcr.io/foo|*/**",
        "ghcr.io/foo|ghcr.io/foo*",
        "ghcr.io/foo|ghcr.io/foo**",
        "foo|*", // "*" alone is upgraded to index.docker.io/library/*
        "myuser/myapp|*/*", // "*/*" alone is upgraded to index.docker.io/*/*
        "ghcr.io/foo@" + DIGEST + "|ghcr.io/foo@" + DIGEST,
      })
  void upstreamMatches(String image, String glob) {
    assertThat(CipGlob.matches(glob, image)).isTrue();
  }

  @ParameterizedTest(name = "image ''{0}'' does not match glob ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "ghcr.io/foo|ghcr.io/*/*", // the second * has nothing to match
        "prefix-ghcr.io/foo|ghcr.io/foo", // anchored at the start
        "ghcr.io/foo-suffix|ghcr.io/foo", // anchored at the end
        "ghcrxio/foo|ghcr.io/**", // '.' is literal
        "invalid&name|**", // an invalid reference matches nothing
      })
  void upstreamDoesNotMatch(String image, String glob) {
    assertThat(CipGlob.matches(glob, image)).isFalse();
  }

  @ParameterizedTest(name = "glob ''{0}'' is invalid")
  @CsvSource({".+", "'[a-z]*'", "ghcr.io/acme/app?", "'ghcr.io/acme app'", "''"})
  void upstreamRejectsInvalidGlobs(String glob) {
    assertThatThrownBy(() -> CipGlob.compile(glob))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid glob");
  }

  @ParameterizedTest(name = "''{1}'' {2} the qualified name of ''{0}''")
  @CsvSource(
      delimiter = '|',
      value = {
        // '*' stops at '/': unlike Kyverno's wildcard
        "ghcr.io/acme/app:1|ghcr.io/acme/*|true",
        "ghcr.io/acme/team/app:1|ghcr.io/acme/*|false",
        "ghcr.io/acme/team/app:1|ghcr.io/acme/**|true",
        // ':' is not a separator: '*' spans the tag
        "ghcr.io/acme/app:1.0|ghcr.io/acme/app*|true",
        // Docker Hub is index.docker.io, not docker.io
        "nginx:1.27|docker.io/library/nginx*|false",
        "nginx:1.27|index.docker.io/library/nginx*|true",
        "docker.io/library/nginx:1.27|index.docker.io/library/nginx:1.27|true",
        // a reference with a digest drops its tag
        "ghcr.io/acme/app:1@" + DIGEST + "|ghcr.io/acme/app:1*|false",
        "ghcr.io/acme/app:1@" + DIGEST + "|ghcr.io/acme/app@*|true",
      })
  void semanticsThatDifferFromKyverno(String image, String glob, boolean matches) {
    String name = CipGlob.qualifiedName(ImageRef.parse(image));
    assertThat(CipGlob.compile(glob).matcher(name).matches()).isEqualTo(matches);
  }

  @Test
  void aTripleStarIsADoubleStarFollowedByASingleOne() {
    assertThat(CipGlob.compile("ghcr.io/***").pattern()).isEqualTo("ghcr\\.io/.*[^/]*");
  }

  @Test
  void theSubjectIsTheRepositoryAtTheDigestPolicyControllerResolvedTheTagTo() {
    Digest running = Digest.parse(DIGEST);
    ImageRef tagged = ImageRef.parse("nginx:1.27");

    assertThat(CipGlob.subject(tagged, Optional.of(running)))
        .isEqualTo("index.docker.io/library/nginx@" + DIGEST);
    assertThat(CipGlob.subject(tagged, Optional.empty()))
        .isEqualTo("index.docker.io/library/nginx:1.27");
    // A digest in the spec wins over the running one: it is what the webhook saw.
    Digest other = Digest.sha256("other".getBytes());
    assertThat(CipGlob.subject(ImageRef.parse("ghcr.io/a/b:1@" + DIGEST), Optional.of(other)))
        .isEqualTo("ghcr.io/a/b@" + DIGEST);
  }

  @Test
  void aGlobWithATagNeverMatchesAnAdmittedPodBecauseTheWebhookAddsTheDigest() {
    ImageMatcher m = ImageMatcher.globs(java.util.List.of("ghcr.io/acme/app:v1"));
    ImageRef image = ImageRef.parse("ghcr.io/acme/app:v1");
    var target =
        new AuditTarget("prod", java.util.Map.of(), image, Optional.of(Digest.parse(DIGEST)));

    assertThat(m.test(image)).isEqualTo(ImageMatcher.Outcome.MATCHED);
    assertThat(m.test(target)).isEqualTo(ImageMatcher.Outcome.NOT_LISTED);
  }
}
