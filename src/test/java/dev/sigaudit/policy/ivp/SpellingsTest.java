package dev.sigaudit.policy.ivp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.ImageRef;
import org.junit.jupiter.api.Test;

class SpellingsTest {
  @Test
  void anOfficialDockerHubImageHasItsShortSpellings() {
    assertThat(Spellings.of(ImageRef.parse("nginx")))
        .containsExactly(
            "docker.io/library/nginx",
            "docker.io/library/nginx:latest",
            "index.docker.io/library/nginx",
            "index.docker.io/library/nginx:latest",
            "library/nginx",
            "library/nginx:latest",
            "docker.io/nginx",
            "docker.io/nginx:latest",
            "nginx",
            "nginx:latest");
  }

  @Test
  void tagAndDigestAreSpelledAsWrittenAndApart() {
    String d = "sha256:" + "a".repeat(64);
    assertThat(Spellings.of(ImageRef.parse("ghcr.io/acme/app:1@" + d)))
        .containsExactly("ghcr.io/acme/app:1@" + d, "ghcr.io/acme/app@" + d, "ghcr.io/acme/app:1");
  }
}
