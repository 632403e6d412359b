package dev.sigaudit.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The referrers-capable test registry ({@code testenv/ocireg}) answers the referrers API as the OCI
 * distribution spec 1.1 says, which the engine-parity suite depends on: a cosign v3 bundle is
 * listed with its own {@code artifactType}, not its config's media type (what
 * go-containerregistry's registry reports on its own), so cosign and the real engines find it.
 */
@RealEnvironment
class SpecReferrersIT {
  static final String BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCosignV3BundleIsListedWithItsOwnArtifactTypeAndCosignFindsIt(TestEnvironment env)
      throws Exception {
    OciRegistry registry = env.referrersRegistry();
    Path dir = env.newDirectory("referrers-");
    env.cosignV2().generateKeyPair(dir, "k");
    var image = TestImages.push(registry, "referrers/signed", "1");
    env.cosignV3().sign(dir.resolve("k.key"), image.byDigest()).requireSuccess("cosign v3 sign");

    JsonNode all = referrers(registry, "referrers/signed", image.digest().toString(), "");
    List<String> types = new ArrayList<>();
    all.path("manifests").forEach(m -> types.add(m.path("artifactType").asText()));
    assertThat(types).as(all.toString()).containsExactly(BUNDLE);
    JsonNode bundle = all.path("manifests").get(0);
    assertThat(bundle.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    // The descriptor carries the manifest's annotations, as the spec asks.
    assertThat(bundle.path("annotations").path("dev.sigstore.bundle.predicateType").asText())
        .as(bundle.toString())
        .isEqualTo("https://sigstore.dev/cosign/sign/v1");

    // The optional filter is applied, and said to be.
    HttpResponse<String> filtered =
        get(
            registry,
            "referrers/signed",
            image.digest().toString(),
            "?artifactType=" + URLEncoder.encode(BUNDLE, StandardCharsets.UTF_8));
    assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
    assertThat(JSON.readTree(filtered.body()).path("manifests")).hasSize(1);
    HttpResponse<String> other =
        get(registry, "referrers/signed", image.digest().toString(), "?artifactType=text/plain");
    assertThat(JSON.readTree(other.body()).path("manifests")).isEmpty();

    // cosign v3, which selects referrers by artifact type, finds and verifies the bundle.
    var verify = env.cosignV3().verify(dir.resolve("k.pub"), image.byDigest());
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    // And an unsigned image of the same registry lists nothing.
    var unsigned = TestImages.push(registry, "referrers/signed", "2");
    assertThat(
            referrers(registry, "referrers/signed", unsigned.digest().toString(), "")
                .path("manifests"))
        .isEmpty();
  }

  private static JsonNode referrers(OciRegistry r, String repo, String digest, String query)
      throws Exception {
    HttpResponse<String> resp = get(r, repo, digest, query);
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    return JSON.readTree(resp.body());
  }

  private static HttpResponse<String> get(OciRegistry r, String repo, String digest, String query)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(r.url() + "/v2/" + repo + "/referrers/" + digest + query))
                .header("Accept", "application/vnd.oci.image.index.v1+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
