package dev.sigaudit.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.CosignCli;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Proves the real cosign CLIs sign and verify against both registries, and that they store
 * signatures where formats.md says: v2 as a {@code .sig} tag, v3 as a bundle referrer (referrers
 * API or fallback tag).
 */
@RealEnvironment
class CosignSmokeIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void cosignV2WritesALegacySigTagOnBothRegistriesAndVerifiesIt(TestEnvironment env)
      throws Exception {
    CosignCli cosign = env.cosignV2();
    Path dir = env.newDirectory("cosign2-");
    Path pub = cosign.generateKeyPair(dir, "a");
    Path otherPub = cosign.generateKeyPair(dir, "b");
    for (OciRegistry registry :
        new OciRegistry[] {env.distributionRegistry(), env.referrersRegistry()}) {
      var image = TestImages.push(registry, "smoke/v2", "1");
      cosign.sign(dir.resolve("a.key"), image.byDigest()).requireSuccess("cosign v2 sign");

      assertThat(cosign.verify(pub, image.byDigest()).exitCode())
          .as("verify with the right key")
          .isZero();
      assertThat(cosign.verify(otherPub, image.byDigest()).exitCode())
          .as("verify with another key")
          .isNotZero();
      assertThat(tags(registry, "smoke/v2")).contains(image.digest().tagForm() + ".sig");
    }
  }

  @Test
  void cosignV3WritesABundleReferrerThroughTheApiOrTheFallbackTag(TestEnvironment env)
      throws Exception {
    CosignCli cosign = env.cosignV3();
    Path dir = env.newDirectory("cosign3-");
    Path pub = cosign.generateKeyPair(dir, "a");

    OciRegistry withApi = env.referrersRegistry();
    var viaApi = TestImages.push(withApi, "smoke/v3", "1");
    cosign.sign(dir.resolve("a.key"), viaApi.byDigest()).requireSuccess("cosign v3 sign");
    assertThat(cosign.verify(pub, viaApi.byDigest()).exitCode()).isZero();
    String referrers =
        get(
            withApi,
            "/v2/smoke/v3/referrers/" + viaApi.digest(),
            "application/vnd.oci.image.index.v1+json");
    assertThat(referrers).contains("\"manifests\":[{");
    assertThat(tags(withApi, "smoke/v3"))
        .doesNotContain(viaApi.digest().tagForm(), viaApi.digest().tagForm() + ".sig");

    OciRegistry without = env.distributionRegistry();
    var viaTag = TestImages.push(without, "smoke/v3", "1");
    cosign.sign(dir.resolve("a.key"), viaTag.byDigest()).requireSuccess("cosign v3 sign");
    assertThat(cosign.verify(pub, viaTag.byDigest()).exitCode()).isZero();
    assertThat(tags(without, "smoke/v3"))
        .contains(viaTag.digest().tagForm())
        .doesNotContain(viaTag.digest().tagForm() + ".sig");
    assertThat(
            get(
                without,
                "/v2/smoke/v3/manifests/" + viaTag.digest().tagForm(),
                "application/vnd.oci.image.index.v1+json"))
        .contains("\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"");
  }

  private String tags(OciRegistry r, String repo) throws Exception {
    return get(r, "/v2/" + repo + "/tags/list", "application/json");
  }

  private String get(OciRegistry r, String path, String accept) throws Exception {
    HttpResponse<String> resp =
        http.send(
            HttpRequest.newBuilder(URI.create(r.url() + path)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as("GET %s: %s", path, resp.body()).isEqualTo(200);
    return resp.body();
  }
}
