package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kyverno's string patterns ({@code pkg/engine/pattern}) on images as written in a Pod spec. */
class KyvernoPatternTest {

  @ParameterizedTest(name = "''{1}'' matches ''{0}'': {2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "ghcr.io/yourorg/*;ghcr.io/yourorg/nginx-signed:v1.0.0;true",
        "ghcr.io/yourorg/*;ghcr.io/other/nginx:1;false",
        // the text as written: no registry, no tag are added
        "docker.io/*;nginx:1.27;false",
        "nginx*;nginx;true",
        "*:*;nginx;false",
        // alternatives, spaces around them trimmed
        "registry.io/* | ghcr.io/acme/*;ghcr.io/acme/app:1;true",
        "registry.io/* | ghcr.io/acme/*;registry.io/x;true",
        "registry.io/* | ghcr.io/acme/*;quay.io/x;false",
        // negation and conjunction (Kyverno's disallow-latest-tag)
        "!*:latest & *:*;nginx:1.27;true",
        "!*:latest & *:*;nginx:latest;false",
        "!*:latest & *:*;nginx;false",
        "!ghcr.io/* | ghcr.io/acme/*;ghcr.io/acme/x;true",
        "!ghcr.io/* | ghcr.io/acme/*;ghcr.io/evil/x;false",
        "!ghcr.io/* | ghcr.io/acme/*;quay.io/x;true",
        // a one-character term is never an operator
        "!;!;true",
        // '?' is one character; '.' is literal
        "ghcr.io/acme/app:v?;ghcr.io/acme/app:v1;true",
        "ghcr.io/acme/app:v?;ghcr.io/acme/app:v10;false",
        "ghcr.io/*;ghcrxio/x;false",
        // equal to the whole pattern, operators included, always matches
        "a|b;a|b;true",
      })
  void matches(String pattern, String image, boolean expected) {
    assertThat(new KyvernoPattern(pattern).matches(image)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "''{0}'' is refused")
  @CsvSource(
      delimiter = ';',
      value = {">1", "<= 5", "registry.io/* | >=2", "1-5", "1!-5"})
  void numericOperatorsAreRefused(String pattern) {
    assertThatThrownBy(() -> new KyvernoPattern(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compares numbers or quantities");
  }
}
