package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoRegexpTest {

  @Test
  void matchingIsASearchLikeGosMatchString() throws Rejection {
    GoRegexp re = GoRegexp.compile("@example\\.com");

    assertThat(re.find("dev@example.com")).isTrue();
    assertThat(re.find("dev@example.com.attacker.test")).isTrue();
    assertThat(GoRegexp.compile("^[^@]+@example\\.com$").find("dev@example.com.attacker.test"))
        .isFalse();
  }

  @Test
  void goNamedGroupsAreTranslated() throws Rejection {
    assertThat(GoRegexp.compile("^(?P<org>[a-z]+)@example\\.com$").find("dev@example.com"))
        .isTrue();
  }

  @Test
  void caseInsensitiveFlagWorksAsInGo() throws Rejection {
    assertThat(GoRegexp.compile("(?i)^DEV@EXAMPLE\\.COM$").find("dev@example.com")).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "(a)\\1|a back-reference (\\1)",
        "foo(?=bar)|look-around",
        "(?<!x)y|look-around",
        "a*+|a possessive quantifier (*+)",
        "(?>ab)|an atomic group",
        "[[:alpha:]]+|a POSIX class [[:name:]]",
        "[a-z&&[^x]]|a nested class or class intersection",
        "(?U)a+|the flag U",
        "(?<name>x)|a Java named group (?<name>; Go writes (?P<name>",
        "x\\Z|\\Z"
      })
  void syntaxThatGoReadsDifferentlyIsRefused(String pattern, String construct) {
    assertThatThrownBy(() -> GoRegexp.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(" uses " + construct + ", which Go's RE2 syntax");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\\\\1", "\\++", "[]a]", "[^]a]", "a{2}b", "\\d+\\.\\d+", "(?i:x)"})
  void similarLookingValidSyntaxIsAccepted(String pattern) {
    assertThat(GoRegexp.compile(pattern)).isNotNull();
  }

  @Test
  void invalidPatternIsRefusedAtPolicyLoad() {
    assertThatThrownBy(() -> IdentityMatch.regexp("(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid regular expression \"(unclosed\"");
  }

  @Test
  void catastrophicBacktrackingIsCutOff() {
    // Java memoizes the textbook (a+)+$ case; this one still explodes (millions of steps).
    GoRegexp evil = GoRegexp.compile("(.*a){20}");

    assertThatThrownBy(() -> evil.find("a".repeat(19) + "!"))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("took too long");
  }

  @Test
  void valuesWithLineBreaksAreNotMatched() {
    // Java's $ also matches before a final newline, Go's does not.
    assertThatThrownBy(() -> GoRegexp.compile("^dev@example\\.com$").find("dev@example.com\n"))
        .isInstanceOf(Rejection.class)
        .hasMessageContaining("contains a line break");
  }
}
