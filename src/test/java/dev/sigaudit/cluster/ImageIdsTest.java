package dev.sigaudit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageIdsTest {
  private static final String HEX = "0123456789abcdef".repeat(4);

  @Test
  void dockerPullableFormNamesTheRegistryDigest() {
    var p = ImageIds.parse("docker-pullable://ghcr.io/acme/app@sha256:" + HEX);
    assertThat(p.running())
        .hasValueSatisfying(
            r -> assertThat(r.toString()).isEqualTo("ghcr.io/acme/app@sha256:" + HEX));
    assertThat(p.note()).isEmpty();
  }

  @Test
  void containerdRepoDigestFormIsNormalizedToDockerHub() {
    var p = ImageIds.parse("nginx@sha256:" + HEX);
    assertThat(p.running().orElseThrow().toString())
        .isEqualTo("docker.io/library/nginx@sha256:" + HEX);
  }

  @Test
  void bareAndDockerSchemeImageIdsAreLocalIdsNotRegistryDigests() {
    assertThat(ImageIds.parse("sha256:" + HEX).running()).isEmpty();
    assertThat(ImageIds.parse("sha256:" + HEX).note())
        .hasValueSatisfying(n -> assertThat(n).contains("local image ID"));
    assertThat(ImageIds.parse("docker://sha256:" + HEX).note())
        .hasValueSatisfying(n -> assertThat(n).contains("local image ID"));
  }

  @Test
  void missingImageIdMeansNotStarted() {
    assertThat(ImageIds.parse(null).note())
        .contains("no imageID reported yet (container not started)");
    assertThat(ImageIds.parse("").running()).isEmpty();
  }

  @Test
  void garbageIsANoteNotAnException() {
    assertThat(ImageIds.parse("docker-pullable://UPPER/Case@sha256:zz").note())
        .hasValueSatisfying(n -> assertThat(n).contains("does not parse"));
  }
}
