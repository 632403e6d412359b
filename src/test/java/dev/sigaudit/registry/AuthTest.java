package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.MutableClock;
import dev.sigaudit.testing.Oci;
import dev.sigaudit.testing.RecordingListener;
import dev.sigaudit.testing.Responses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthTest {
  private static final String PASSWORD = "s3cret-Pa55";
  private static final Credentials ALICE = Credentials.basic("alice", PASSWORD);
  private static final String ALICE_BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final FakeRegistry reg = new FakeRegistry();
  private final FakeRegistry auth = new FakeRegistry();
  private final FakeSleeper sleeper = new FakeSleeper();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingListener listener = new RecordingListener();
  private final ImageRef repo = ImageRef.parse(reg.host() + "/app");
  private final byte[] manifest = Oci.manifest().build();
  private final Digest digest = reg.manifest("app", Oci.MANIFEST, manifest);
  private RegistryClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    reg.close();
    auth.close();
  }

  private RegistryClient client(CredentialProvider creds) {
    client =
        RegistryClient.builder()
            .insecureRegistries(Set.of(reg.host(), auth.host()))
            .credentials(creds)
            .sleeper(sleeper)
            .clock(clock)
            .listener(listener)
            .build();
    return client;
  }

  private static CredentialProvider only(String host, Credentials c) {
    return CredentialProvider.of(Map.of(host, c));
  }

  private String bearerChallenge(String scope) {
    return "Bearer realm=\""
        + auth.url()
        + "/token\",service=\"fake-registry\",scope=\""
        + scope
        + "\"";
  }

  private void tokenEndpoint(String json) {
    auth.route("/token", ex -> FakeRegistry.sendJson(ex, 200, json));
  }

  @Test
  void bearerTokenIsFetchedOnceWithBasicCredentialsAndReused() throws Exception {
    reg.requireAuthorization("Bearer tok-1", bearerChallenge("repository:app:pull"));
    tokenEndpoint("{\"token\":\"tok-1\",\"expires_in\":300}");
    RegistryClient c = client(only(reg.host(), ALICE));

    c.manifest(repo, digest);
    c.manifest(repo, digest);
    c.manifest(repo, digest);

    assertThat(auth.requests()).hasSize(1);
    FakeRegistry.Recorded tokenRequest = auth.requests().get(0);
    assertThat(tokenRequest.header("Authorization")).isEqualTo(ALICE_BASIC);
    assertThat(tokenRequest.query())
        .isEqualTo("service=fake-registry&scope=repository%3Aapp%3Apull");
    // One anonymous probe answered 401, then the token is sent up front.
    assertThat(reg.requests())
        .extracting(r -> r.header("Authorization"))
        .containsExactly(null, "Bearer tok-1", "Bearer tok-1", "Bearer tok-1");
    assertThat(listener.events())
        .containsExactly(
            "manifest 401", "token 200", "manifest 200", "manifest 200", "manifest 200");
  }

  @Test
  void anotherRepositoryGetsItsOwnScopedTokenWithoutAnother401() throws Exception {
    reg.route(
        "/v2/other/manifests/" + digest,
        ex -> {
          assertThat(ex.getRequestHeaders().getFirst("Authorization"))
              .isEqualTo("Bearer tok-other");
          ex.getResponseHeaders().add("Content-Type", Oci.MANIFEST);
          FakeRegistry.send(ex, 200, manifest);
        });
    reg.requireAuthorization("Bearer tok-app", bearerChallenge("repository:app:pull"));
    auth.route(
        "/token",
        ex -> {
          String q = ex.getRequestURI().getQuery();
          String token = q.contains("repository:other:pull") ? "tok-other" : "tok-app";
          FakeRegistry.sendJson(ex, 200, "{\"token\":\"" + token + "\"}");
        });
    RegistryClient c = client(CredentialProvider.anonymous());

    c.manifest(repo, digest);
    c.manifest(ImageRef.parse(reg.host() + "/other"), digest);

    assertThat(auth.requests())
        .extracting(FakeRegistry.Recorded::query)
        .containsExactly(
            "service=fake-registry&scope=repository%3Aapp%3Apull",
            "service=fake-registry&scope=repository%3Aother%3Apull");
    assertThat(auth.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
    assertThat(reg.requests()).hasSize(3); // 401 probe, app, other (no second probe)
  }

  @Test
  void expiredTokenIsFetchedAgain() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    reg.requireAuthorization("Bearer t", bearerChallenge("repository:app:pull"));
    auth.route(
        "/token",
        ex -> {
          issued.incrementAndGet();
          FakeRegistry.sendJson(ex, 200, "{\"access_token\":\"t\",\"expires_in\":120}");
        });
    RegistryClient c = client(CredentialProvider.anonymous());

    c.manifest(repo, digest);
    clock.advance(Duration.ofSeconds(60));
    c.manifest(repo, digest);
    assertThat(issued).hasValue(1);

    clock.advance(Duration.ofSeconds(61)); // within the 5 s renewal margin of expiry
    c.manifest(repo, digest);
    assertThat(issued).hasValue(2);
  }

  @Test
  void tokenTheRegistryStillRefusesGivesUnauthorizedAfterOneRefresh() {
    reg.requireAuthorization("Bearer never-valid", bearerChallenge("repository:app:pull"));
    tokenEndpoint("{\"token\":\"tok-1\"}");
    RegistryClient c = client(only(reg.host(), ALICE));

    assertThatThrownBy(() -> c.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
              assertThat(e.status()).hasValue(401);
            })
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: 401 Unauthorized (UNAUTHORIZED: authentication required)");
    assertThat(auth.requests()).hasSize(1);
    assertThat(reg.requests()).hasSize(2);
  }

  @Test
  void refusedCachedTokenIsReplacedOnce() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    auth.route(
        "/token",
        ex -> FakeRegistry.sendJson(ex, 200, "{\"token\":\"t" + issued.incrementAndGet() + "\"}"));
    reg.requireAuthorization("Bearer t1", bearerChallenge("repository:app:pull"));
    RegistryClient c = client(CredentialProvider.anonymous());
    c.manifest(repo, digest);

    reg.requireAuthorization("Bearer t2", bearerChallenge("repository:app:pull")); // revoked t1
    c.manifest(repo, digest);

    assertThat(issued).hasValue(2);
    assertThat(reg.requests())
        .extracting(r -> r.header("Authorization"))
        .containsExactly(null, "Bearer t1", "Bearer t1", "Bearer t2");
  }

  @Test
  void rejectedCredentialsAtTheTokenServiceAreUnauthorizedAndNeverShown() {
    reg.requireAuthorization("Bearer x", bearerChallenge("repository:app:pull"));
    auth.route(
        "/token",
        ex ->
            FakeRegistry.sendJson(
                ex, 401, Responses.error("UNAUTHORIZED", "incorrect username or password")));
    RegistryClient c = client(only(reg.host(), ALICE));

    RegistryException e = catchRegistry(() -> c.manifest(repo, digest));

    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(e)
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: token request to "
                + auth.url()
                + "/token returned 401 Unauthorized (UNAUTHORIZED: incorrect username or password)");
    assertNoSecretIn(e);
  }

  @Test
  void credentialsAreWithheldFromATokenRealmOutsideTheRegistryDomain() {
    reg.requireAuthorization(
        "Bearer x", "Bearer realm=\"http://collector.example/token\",service=\"s\"");
    RegistryClient c = client(only(reg.host(), ALICE));

    RegistryException e = catchRegistry(() -> c.manifest(repo, digest));

    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(e)
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: token realm host collector.example is outside the registry's domain;"
                + " credentials withheld");
    assertNoSecretIn(e);
  }

  @Test
  void tokenResponseWithoutATokenIsAnInvalidResponseThatDoesNotQuoteIt() {
    reg.requireAuthorization("Bearer x", bearerChallenge("repository:app:pull"));
    tokenEndpoint("{\"tokn\":\"half-a-secret\"}");
    RegistryClient c = client(CredentialProvider.anonymous());

    RegistryException e = catchRegistry(() -> c.manifest(repo, digest));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE);
    assertThat(e).hasMessageEndingWith("token response has no 'token' or 'access_token'");
    assertThat(e.getMessage()).doesNotContain("half-a-secret");
  }

  @Test
  void identityTokenIsExchangedWithAnOAuth2RefreshTokenPost() throws Exception {
    reg.requireAuthorization("Bearer from-refresh", bearerChallenge("repository:app:pull"));
    auth.route(
        "/token",
        ex -> {
          String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          boolean ok =
              ex.getRequestMethod().equals("POST")
                  && form.contains("grant_type=refresh_token")
                  && form.contains("refresh_token=idtok-123")
                  && form.contains("scope=repository%3Aapp%3Apull")
                  && ex.getRequestHeaders().getFirst("Authorization") == null;
          FakeRegistry.sendJson(
              ex, ok ? 200 : 400, ok ? "{\"access_token\":\"from-refresh\"}" : "{}");
        });
    RegistryClient c = client(only(reg.host(), Credentials.identityToken("idtok-123")));

    assertThat(c.manifest(repo, digest).digest()).isEqualTo(digest);
  }

  @Test
  void basicChallengeIsAnsweredWithBasicCredentialsThenSentUpFront() throws Exception {
    reg.requireAuthorization(ALICE_BASIC, "Basic realm=\"fake\"");
    RegistryClient c = client(only(reg.host(), ALICE));

    c.manifest(repo, digest);
    c.manifest(repo, digest);

    assertThat(reg.requests())
        .extracting(r -> r.header("Authorization"))
        .containsExactly(null, ALICE_BASIC, ALICE_BASIC);
    assertThat(auth.requests()).isEmpty();
  }

  @Test
  void basicChallengeWithoutCredentialsSaysNoneAreConfigured() {
    reg.requireAuthorization(ALICE_BASIC, "Basic realm=\"fake\"");
    RegistryClient c = client(CredentialProvider.anonymous());

    assertThatThrownBy(() -> c.manifest(repo, digest))
        .hasMessage(
            "fetching manifest "
                + reg.host()
                + "/app@"
                + digest
                + " failed: 401 Unauthorized (UNAUTHORIZED: authentication required)"
                + " [no credentials configured for "
                + reg.host()
                + "]");
    assertThat(reg.requests()).hasSize(1);
  }

  @Test
  void wrongBasicCredentialsAreTriedOnceAndNeverShown() {
    reg.requireAuthorization("Basic something-else", "Basic realm=\"fake\"");
    RegistryClient c = client(only(reg.host(), ALICE));

    RegistryException e = catchRegistry(() -> c.manifest(repo, digest));

    assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED);
    assertThat(reg.requests()).hasSize(2);
    assertNoSecretIn(e);
  }

  @Test
  void anonymousRegistryGetsNoAuthorizationHeader() throws Exception {
    RegistryClient c = client(only("other.example", ALICE));

    c.manifest(repo, digest);

    assertThat(reg.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.header("Authorization")).isNull());
  }

  @Test
  void forbiddenIsDenied() {
    reg.route(
        "/v2/app/manifests/" + digest,
        ex ->
            FakeRegistry.sendJson(
                ex, 403, Responses.error("DENIED", "requested access to the resource is denied")));
    RegistryClient c = client(CredentialProvider.anonymous());

    assertThatThrownBy(() -> c.manifest(repo, digest))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DENIED))
        .hasMessageEndingWith(
            "failed: 403 Forbidden (DENIED: requested access to the resource is denied)");
  }

  @Test
  void credentialsToStringNeverShowsTheSecret() {
    assertThat(ALICE.toString()).isEqualTo("Credentials[username=alice, password=<redacted>]");
    assertThat(Credentials.identityToken("idtok-123").toString())
        .isEqualTo("Credentials[identityToken=<redacted>]")
        .doesNotContain("idtok");
    assertThat(new BearerToken("tok-1", Instant.EPOCH).toString()).doesNotContain("tok-1");
  }

  @Test
  void usernameThatBasicAuthCannotCarryIsRejectedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> Credentials.basic("a:b", PASSWORD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void tokenRealmMustShareTheRegistrySite() {
    assertThat(TokenClient.sameSite("auth.docker.io", "registry-1.docker.io")).isTrue();
    assertThat(TokenClient.sameSite("ghcr.io", "ghcr.io")).isTrue();
    assertThat(TokenClient.sameSite("evil.io", "ghcr.io")).isFalse();
    assertThat(TokenClient.sameSite("127.0.0.1", "127.0.0.2")).isFalse();
    assertThat(TokenClient.sameSite("localhost", "localhost")).isTrue();
  }

  private static RegistryException catchRegistry(ThrowingCall call) {
    try {
      call.run();
    } catch (RegistryException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a RegistryException", e);
    }
    throw new AssertionError("expected a RegistryException");
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  private static void assertNoSecretIn(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String base64 = ALICE_BASIC.substring("Basic ".length());
    for (String text : List.of(trace.toString(), String.valueOf(e))) {
      assertThat(text).doesNotContain(PASSWORD).doesNotContain(base64);
    }
  }
}
