package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.io.RetryAfter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsers of untrusted header and body text: challenges, Retry-After, error bodies. */
class WireParsingTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void bearerChallengeParamsAreUnquotedAndKeepCommasInsideQuotes() {
    List<AuthChallenge> parsed =
        AuthChallenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull,push\"");

    assertThat(parsed)
        .containsExactly(
            new AuthChallenge(
                "bearer",
                Map.of(
                    "realm", "https://auth.docker.io/token",
                    "service", "registry.docker.io",
                    "scope", "repository:library/nginx:pull,push")));
  }

  @Test
  void severalChallengesInOneHeaderAreSeparated() {
    List<AuthChallenge> parsed =
        AuthChallenge.parse(
            "Basic realm=\"basic\", BEARER Realm=\"https://x/t\", error=\"invalid_token\"");

    assertThat(parsed).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
    assertThat(parsed.get(1).param("realm")).contains("https://x/t");
    assertThat(parsed.get(1).param("error")).contains("invalid_token");
    assertThat(AuthChallenge.preferred(List.of("Basic realm=\"a\"", "Bearer realm=\"b\"")))
        .map(AuthChallenge::scheme)
        .contains("bearer");
  }

  @Test
  void escapedQuotesAndUnquotedValuesAreHandled() {
    AuthChallenge c =
        AuthChallenge.parse("Bearer realm=https://x/token, service=\"a\\\"b\"").get(0);

    assertThat(c.param("realm")).contains("https://x/token");
    assertThat(c.param("service")).contains("a\"b");
  }

  @Test
  void garbageChallengesYieldNothingUsable() {
    assertThat(AuthChallenge.preferred(List.of("", "=\"x\"", "Negotiate abc=="))).isEmpty();
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    assertThat(RetryAfter.parse("7", CLOCK)).contains(Duration.ofSeconds(7));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 12:00:42 GMT", CLOCK))
        .contains(Duration.ofSeconds(42));
    assertThat(RetryAfter.parse("Sun, 01 Mar 2026 11:00:00 GMT", CLOCK)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", CLOCK)).isEmpty();
    assertThat(RetryAfter.parse("-5", CLOCK)).isEmpty();
  }

  @Test
  void ociErrorEnvelopeIsSummarizedWithCodes() {
    ErrorBody.Summary s =
        ErrorBody.parse(
            bytes(
                "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull"
                    + " rate limit.\",\"detail\":{\"big\":[1,2,3]}},{\"code\":\"X\"}]}"));

    assertThat(s.text()).isEqualTo("TOOMANYREQUESTS: You have reached your pull rate limit.; X");
    assertThat(s.codes()).containsExactly("TOOMANYREQUESTS", "X");
  }

  @Test
  void oddErrorBodiesAreSummarizedSafely() {
    assertThat(ErrorBody.parse(bytes("404 page not found\n")).text())
        .isEqualTo("404 page not found");
    assertThat(ErrorBody.parse(bytes("<html><body>Bad gateway</body></html>")).text()).isEmpty();
    assertThat(ErrorBody.parse(bytes("{\"errors\":\"not-a-list\"}")).text())
        .isEqualTo("{\"errors\":\"not-a-list\"}");
    assertThat(
            ErrorBody.parse(bytes("{\"errors\":[{\"code\":{\"nested\":1},\"message\":\"m\"}]}"))
                .text())
        .isEqualTo("m");
    assertThat(ErrorBody.parse(new byte[0]).text()).isEmpty();
  }

  @Test
  void untrustedTextLosesControlCharactersAndIsBounded() {
    assertThat(Untrusted.text("line1\r\nFAKE LOG \u001b[31mred\u202e", 100))
        .isEqualTo("line1 FAKE LOG [31mred");
    assertThat(Untrusted.text("abcdefghij", 4)).isEqualTo("abcd…");
    assertThat(Untrusted.text("abcd  ", 4)).isEqualTo("abcd");
    assertThat(Untrusted.text(null, 4)).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
