package dev.sigaudit.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cases mirror the behaviour of Kyverno's matcher (kyverno ext/wildcard, which calls
 * IGLOU-EU/go-wildcard v1.0.3 Match), as checked in its source and its match_test.go.
 */
class WildcardTest {

  @ParameterizedTest(name = "''{0}'' matches ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "*|ghcr.io/acme/app:1.0",
        "*|''",
        "''|''",
        "ghcr.io/acme/*|ghcr.io/acme/app:1.0",
        // '*' crosses '/', ':' and '@': the reference is a flat string
        "ghcr.io/acme/*|ghcr.io/acme/team/app:1.0",
        "ghcr.io/*:1.0|ghcr.io/acme/team/app:1.0",
        "ghcr.io/acme/app*|ghcr.io/acme/app",
        "ghcr.io/acme/app*|ghcr.io/acme/app@sha256:abc",
        "ghcr.io/ac*/ap*/x|ghcr.io/acme/app/y/z/app/x",
        // '?' is exactly one character, any character, '/' included
        "ghcr.io/acme/app:v?|ghcr.io/acme/app:v1",
        "ghcr.io/acme?app:1|ghcr.io/acme/app:1",
        "ghcr.io/acme/app:*?|ghcr.io/acme/app:1",
        "ghcr.io/acme/*?and|ghcr.io/acme/xand",
        "*.gcr.io/*|eu.gcr.io/p/app:1",
      })
  void matches(String pattern, String text) {
    assertThat(Wildcard.matches(pattern, text)).isTrue();
  }

  @ParameterizedTest(name = "''{0}'' does not match ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|ghcr.io/acme/app:1.0",
        "ghcr.io/acme/app|ghcr.io/acme/app:1.0",
        // anchored at both ends
        "acme/*|ghcr.io/acme/app:1.0",
        "ghcr.io/acme/*|ghcr.io/acme",
        // '?' never matches nothing (go-wildcard v2 changed this; Kyverno pins v1.0.3)
        "ghcr.io/acme/app:v?|ghcr.io/acme/app:v",
        "ghcr.io/acme/app:v?|ghcr.io/acme/app:v10",
        "ghcr.io/acme/app:*?|ghcr.io/acme/app:",
        "ghcr.io/acme/*?and|ghcr.io/acme/and",
        // '.' is a literal (v2 made it a wildcard)
        "ghcr.io/*|ghcrXio/acme/app:1",
        // case-sensitive
        "GHCR.io/*|ghcr.io/acme/app:1",
        // no escaping, no character classes
        "ghcr.io/[a]*|ghcr.io/a/app:1",
      })
  void doesNotMatch(String pattern, String text) {
    assertThat(Wildcard.matches(pattern, text)).isFalse();
  }

  @Test
  void prefixPatternAlsoMatchesLongerNamesBecauseStarIsNotSegmentAware() {
    // A documented pitfall, identical in Kyverno: write "ghcr.io/acme/*", not "ghcr.io/acme*".
    assertThat(Wildcard.matches("ghcr.io/acme*", "ghcr.io/acmecorp-evil/app:1")).isTrue();
    assertThat(Wildcard.matches("ghcr.io/acme/*", "ghcr.io/acmecorp-evil/app:1")).isFalse();
  }

  @Test
  void questionMarkMatchesOneCodePointNotOneUtf16Unit() {
    assertThat(Wildcard.matches("a?b", "a\uD83D\uDE00b")).isTrue();
  }

  @Test
  @Timeout(2)
  void pathologicalPatternsRunInPolynomialTime() {
    String text = "a".repeat(20_000);
    assertThat(Wildcard.matches("*a*a*a*a*a*a*a*a*b", text)).isFalse();
  }

  @Test
  void hasWildcardSeesStarAndQuestionMarkOnly() {
    assertThat(Wildcard.hasWildcard("ghcr.io/*")).isTrue();
    assertThat(Wildcard.hasWildcard("ghcr.io/a?")).isTrue();
    assertThat(Wildcard.hasWildcard("ghcr.io/a.b")).isFalse();
  }
}
