package dev.sigaudit.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.testenv.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Proves both registries are real: jib pushes an image and the manifest is served by digest. */
@RealEnvironment
class RegistryPushSmokeIT {

  static Stream<Arguments> registries() {
    TestEnvironment env = TestEnvironment.get();
    return Stream.of(
        Arguments.of(env.distributionRegistry(), 404), Arguments.of(env.referrersRegistry(), 200));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registries")
  void jibPushesAnImageThatIsServedByDigestAndReferrersAnswerAsExpected(
      OciRegistry registry, int referrersStatus) throws Exception {
    TestImages.Pushed image = TestImages.push(registry, "smoke/app", "v1");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> manifest =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(registry.url() + "/v2/smoke/app/manifests/" + image.digest()))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat(Digest.sha256(manifest.body())).isEqualTo(image.digest());

    HttpResponse<String> referrers =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(registry.url() + "/v2/smoke/app/referrers/" + image.digest()))
                .header("Accept", "application/vnd.oci.image.index.v1+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(referrers.statusCode()).as(referrers.body()).isEqualTo(referrersStatus);
    assertThat(registry.hasReferrersApi()).isEqualTo(referrersStatus == 200);
  }
}
