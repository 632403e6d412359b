package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryException.Kind;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.Oci;
import dev.sigaudit.testing.Responses;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReferrersTest {
  private final FakeRegistry reg = new FakeRegistry();
  private final RegistryClient client =
      RegistryClient.builder()
          .insecureRegistries(Set.of(reg.host()))
          .sleeper(new FakeSleeper())
          .build();
  private final ImageRef repo = ImageRef.parse(reg.host() + "/app");
  private final Digest subject = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
  private final String path = "/v2/app/referrers/" + subject;
  private final Digest bundle = Digest.sha256(new byte[] {1});
  private final Digest sbom = Digest.sha256(new byte[] {2});

  @AfterEach
  void close() {
    client.close();
    reg.close();
  }

  private byte[] index(Digest... entries) {
    Oci.Builder b = Oci.index();
    for (Digest d : entries) {
      String type = d.equals(bundle) ? Oci.BUNDLE : "application/spdx+json";
      b.add(Oci.with(Oci.descriptor(Oci.MANIFEST, d, 100), "artifactType", type));
    }
    return b.build();
  }

  @Test
  void referrersIndexIsReturnedWithEachEntrysArtifactType() throws Exception {
    reg.route(
        path,
        ex -> {
          ex.getResponseHeaders().add("Content-Type", Oci.INDEX);
          FakeRegistry.send(ex, 200, index(bundle, sbom));
        });

    ReferrersAnswer answer = client.referrers(repo, subject);

    assertThat(answer)
        .isInstanceOfSatisfying(
            ReferrersAnswer.Supported.class,
            s ->
                assertThat(s.manifests())
                    .extracting(d -> d.digest(), d -> d.artifactType().orElseThrow())
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(bundle, Oci.BUNDLE),
                        org.assertj.core.groups.Tuple.tuple(sbom, "application/spdx+json")));
    assertThat(reg.requests().get(0).header("Accept")).isEqualTo(Oci.INDEX);
  }

  @Test
  void distributionsPlainText404MeansUnsupported() throws Exception {
    ReferrersAnswer answer = client.referrers(repo, subject);

    assertThat(answer)
        .isEqualTo(new ReferrersAnswer.Unsupported("referrers API answered 404 Not Found"));
  }

  @Test
  void aRegistryWithoutTheApiIsAskedOnlyOncePerClient() throws Exception {
    Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

    client.referrers(repo, subject);
    ReferrersAnswer second = client.referrers(ImageRef.parse(reg.host() + "/another"), other);

    assertThat(second)
        .isEqualTo(
            new ReferrersAnswer.Unsupported(
                "referrers API answered 404 Not Found (remembered for this registry)"));
    assertThat(reg.requests("/referrers/")).hasSize(1);
  }

  @Test
  void anOciError404ForAMissingRepositoryIsNotRememberedAsUnsupported() throws Exception {
    // A registry that has the API answers NAME_UNKNOWN for a repository that does not exist;
    // remembering that as "no API" would hide the bundles of every other repository.
    reg.route(
        path,
        ex ->
            FakeRegistry.sendJson(
                ex, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"no repo\"}]}"));
    Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
    reg.route(
        "/v2/app/referrers/" + other,
        ex -> {
          ex.getResponseHeaders().add("Content-Type", Oci.INDEX);
          FakeRegistry.send(ex, 200, index(bundle));
        });

    assertThat(client.referrers(repo, subject)).isInstanceOf(ReferrersAnswer.Unsupported.class);
    assertThat(client.referrers(repo, other)).isInstanceOf(ReferrersAnswer.Supported.class);
  }

  @Test
  void okAnswerThatIsNotAnOciIndexMeansUnsupported() throws Exception {
    reg.route(path, ex -> FakeRegistry.sendJson(ex, 200, "{\"hello\":1}"));

    assertThat(client.referrers(repo, subject))
        .isEqualTo(
            new ReferrersAnswer.Unsupported(
                "referrers API answered 200 with Content-Type application/json"));
  }

  @Test
  void unauthorizedReferrersAreAnErrorNotAReasonToFallBack() {
    reg.route(path, ex -> FakeRegistry.sendJson(ex, 401, Responses.error("UNAUTHORIZED", "nope")));

    assertThatThrownBy(() -> client.referrers(repo, subject))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
        .hasMessage(
            "listing referrers of "
                + reg.host()
                + "/app@"
                + subject
                + " failed: 401 Unauthorized (UNAUTHORIZED: nope) [no credentials configured for "
                + reg.host()
                + "]");
  }

  @Test
  void paginatedReferrersAreFollowedThroughLinkHeaders() throws Exception {
    reg.route(
        path,
        ex -> {
          ex.getResponseHeaders().add("Content-Type", Oci.INDEX);
          if (ex.getRequestURI().getQuery() == null) {
            ex.getResponseHeaders().add("Link", "<" + path + "?last=1>; rel=\"next\"");
            FakeRegistry.send(ex, 200, index(bundle));
          } else {
            FakeRegistry.send(ex, 200, index(sbom));
          }
        });

    ReferrersAnswer answer = client.referrers(repo, subject);

    assertThat(((ReferrersAnswer.Supported) answer).manifests())
        .extracting(Descriptor::digest)
        .containsExactly(bundle, sbom);
    assertThat(reg.requests()).hasSize(2);
  }

  @Test
  void paginationThatLoopsIsAnInvalidResponse() {
    reg.route(
        path,
        ex -> {
          ex.getResponseHeaders().add("Content-Type", Oci.INDEX);
          ex.getResponseHeaders().add("Link", "<" + path + "?again>; rel=\"next\"");
          FakeRegistry.send(ex, 200, index(bundle));
        });

    assertThatThrownBy(() -> client.referrers(repo, subject))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE))
        .hasMessageEndingWith("failed: referrers pagination loops or exceeds 16 pages");
  }
}
