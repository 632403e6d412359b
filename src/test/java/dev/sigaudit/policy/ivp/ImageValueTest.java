package dev.sigaudit.policy.ivp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kyverno's image accessors, which answer as go-containerregistry's name package does. */
class ImageValueTest {
  private static final String D =
      "sha256:0000000000000000000000000000000000000000000000000000000000000001";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // reference                | registry        | repository   | tag    | digest | identifier
        "nginx                      | index.docker.io | library/nginx | latest | ''    | latest",
        "docker.io/library/nginx:1  | index.docker.io | library/nginx | 1      | ''    | 1",
        "acme/app:2                 | index.docker.io | acme/app      | 2      | ''    | 2",
        "ghcr.io/acme/app@DIGEST    | ghcr.io         | acme/app      | ''     | DIGEST | DIGEST",
        "ghcr.io/acme/app:1@DIGEST  | ghcr.io         | acme/app      | 1      | DIGEST | 1@DIGEST",
        "localhost:5000/x/y:3       | localhost:5000  | x/y           | 3      | ''     | 3",
      })
  void accessorsAnswerAsKyverno(
      String ref, String registry, String repository, String tag, String digest, String id) {
    ImageValue v = ImageValue.parse(ref.replace("DIGEST", D));

    assertThat(v.registry()).isEqualTo(registry);
    assertThat(v.repository()).isEqualTo(repository);
    assertThat(v.tag()).isEqualTo(tag);
    assertThat(v.digest()).isEqualTo(digest.replace("DIGEST", D));
    assertThat(v.identifier()).isEqualTo(id.replace("DIGEST", D));
    assertThat(v.containsDigest()).isEqualTo(!digest.isEmpty());
  }

  @ParameterizedTest
  @CsvSource({"Nginx:1, false", "nginx@sha256:12, false", "ghcr.io/a/b:1, true", "'', false"})
  void isImageTellsReferencesApart(String text, boolean expected) {
    assertThat(ImageValue.isImage(text)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void anInvalidReferenceDoesNotParse() {
    assertThatThrownBy(() -> ImageValue.parse("Not A Reference"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid");
  }
}
