package dev.sigaudit.policy.ivp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GlobTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ghcr.io/acme/*           | ghcr.io/acme/app:1.0                  | true",
        "ghcr.io/acme/*           | ghcr.io/acme/team/app@sha256:00       | true",
        "ghcr.io/acme/*           | ghcr.io/acmecorp/app                  | false",
        "ghcr.io/**               | ghcr.io/a/b/c                         | true",
        "*.gcr.io/*               | eu.gcr.io/p/app                       | true",
        "ghcr.io/acme/ap?         | ghcr.io/acme/app                      | true",
        "ghcr.io/acme/ap?         | ghcr.io/acme/apps                     | false",
        "{ghcr.io,quay.io}/acme/* | quay.io/acme/x                        | true",
        "{ghcr.io,quay.io}/acme/* | docker.io/acme/x                      | false",
        "{a,b{c,d}}               | bd                                    | true",
        "registry[0-9].io/*       | registry7.io/x                        | true",
        "registry[!0-9].io/*      | registry7.io/x                        | false",
        "registry[!0-9].io/*      | registryx.io/x                        | true",
        "ghcr.io/acme/app:v1.?    | ghcr.io/acme/app:v1.2                 | true",
        "ghcr.io/acme/app.v1      | ghcr.io/acme/appxv1                   | false",
        "\\*                      | *                                     | true",
        "\\*                      | a                                     | false",
        "a+b(c)                   | a+b(c)                                | true",
      })
  void matchesAsGobwasGlobWithoutSeparators(String glob, String text, boolean expected) {
    assertThat(Glob.compile(glob).matches(text)).isEqualTo(expected);
  }

  @Test
  void manyStarsDoNotBacktrack() {
    Glob g = Glob.compile("*a*a*a*a*a*a*a*a*a*a*a*a*b");
    String text = "a".repeat(1000);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(g.matches(text)).isFalse());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ghcr.io/[acme", "{a,b", "a\\", "[]", "[z-a]"})
  void malformedGlobsAreRejected(String glob) {
    assertThatThrownBy(() -> Glob.compile(glob)).isInstanceOf(IllegalArgumentException.class);
  }
}
