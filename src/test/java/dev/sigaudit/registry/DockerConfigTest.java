package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static DockerConfig parse(String json) {
    return DockerConfig.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String basicOf(Optional<Credentials> c) {
    return c.orElseThrow().basicAuthorization();
  }

  @Test
  void authFieldIsBase64UserColonPasswordSplitAtTheFirstColon() {
    DockerConfig config =
        parse("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("bob:pa:ss") + "\"}}}");

    assertThat(config.forRegistry("ghcr.io").flatMap(Credentials::username)).contains("bob");
    assertThat(basicOf(config.forRegistry("ghcr.io"))).isEqualTo("Basic " + b64("bob:pa:ss"));
    assertThat(config.forRegistry("quay.io")).isEmpty();
  }

  @Test
  void usernameAndPasswordFieldsAreRead() {
    DockerConfig config =
        parse("{\"auths\":{\"r.example\":{\"username\":\"u\",\"password\":\"p\"}}}");

    assertThat(basicOf(config.forRegistry("r.example"))).isEqualTo("Basic " + b64("u:p"));
  }

  @Test
  void identityTokenWinsOverAuth() {
    DockerConfig config =
        parse(
            "{\"auths\":{\"myacr.azurecr.io\":{\"auth\":\""
                + b64("00000000-0000-0000-0000-000000000000:")
                + "\",\"identitytoken\":\"refresh-me\"}}}");

    Credentials c = config.forRegistry("myacr.azurecr.io").orElseThrow();
    assertThat(c.isIdentityToken()).isTrue();
    assertThat(c.refreshToken()).isEqualTo("refresh-me");
  }

  @Test
  void dockerHubUrlKeyMatchesDockerIo() {
    DockerConfig config =
        parse("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hub:pw") + "\"}}}");

    assertThat(config.forRegistry("docker.io")).isPresent();
    assertThat(config.forRegistry("index.docker.io")).isPresent();
    assertThat(config.registries()).containsExactly("docker.io");
  }

  @Test
  void urlKeysWithSchemeAndPortMatchTheRegistryName() {
    DockerConfig config =
        parse("{\"auths\":{\"http://Registry.Local:5000/v2/\":{\"auth\":\"" + b64("a:b") + "\"}}}");

    assertThat(config.forRegistry("registry.local:5000")).isPresent();
    assertThat(config.forRegistry("registry.local")).isEmpty();
  }

  @Test
  void legacyDockercfgWithoutAuthsIsRead() {
    DockerConfig config =
        parse("{\"old.example\":{\"auth\":\"" + b64("x:y") + "\",\"email\":\"x@example.com\"}}");

    assertThat(config.forRegistry("old.example")).isPresent();
  }

  @Test
  void unusableEntriesAreSkippedWithWarningsThatNeverShowTheSecret() {
    DockerConfig config =
        parse(
            "{\"credsStore\":\"desktop\",\"auths\":{"
                + "\"a.example\":{\"auth\":\"!!not-base64-s3cret!!\"},"
                + "\"b.example\":{\"auth\":\""
                + b64("no-colon-s3cret")
                + "\"},"
                + "\"c.example\":{\"email\":\"only@example.com\"}}}");

    assertThat(config.registries()).isEmpty();
    assertThat(config.warnings())
        .containsExactly(
            "credsStore/credHelpers are not supported; only inline 'auths' entries are read",
            "auths entry for a.example: 'auth' is not valid base64; skipped",
            "auths entry for b.example: 'auth' is not user:password; skipped");
    assertThat(String.join("\n", config.warnings())).doesNotContain("s3cret");
  }

  @Test
  void malformedJsonIsRejectedWithAPositionAndNoContent() {
    assertThatThrownBy(() -> parse("{\"auths\": {\"x\": {\"auth\": s3cret}}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("docker config is not valid JSON at line 1, column ")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> parse("[]")).hasMessage("docker config is not a JSON object");
  }

  @Test
  void loadReadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("u:p") + "\"}}}");

    assertThat(DockerConfig.load(file).forRegistry("ghcr.io")).isPresent();
  }

  @Test
  void providersChainInOrder() {
    CredentialProvider first =
        CredentialProvider.of(Map.of("a.example", Credentials.basic("1", "p")));
    CredentialProvider second =
        CredentialProvider.of(
            Map.of(
                "a.example", Credentials.basic("2", "p"),
                "b.example", Credentials.basic("3", "p")));

    CredentialProvider chain = first.orElse(second);

    assertThat(chain.forRegistry("a.example").flatMap(Credentials::username)).contains("1");
    assertThat(chain.forRegistry("b.example").flatMap(Credentials::username)).contains("3");
    assertThat(chain.forRegistry("c.example")).isEmpty();
  }

  @Test
  void toStringListsHostsOnly() {
    DockerConfig config =
        parse("{\"auths\":{\"ghcr.io\":{\"username\":\"u\",\"password\":\"s3cret\"}}}");

    assertThat(config.toString()).isEqualTo("DockerConfig[ghcr.io]");
  }
}
