package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.testing.FakeRegistry;
import dev.sigaudit.testing.FakeSleeper;
import dev.sigaudit.testing.Oci;
import dev.sigaudit.testing.RecordingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A repository's tag list: read once per client and repository, paginated, and given up (never
 * thrown) whenever it cannot prove what it lists.
 */
class TagListTest {
  private final FakeRegistry reg = new FakeRegistry();
  private final RecordingListener events = new RecordingListener();
  private final RegistryClient client =
      RegistryClient.builder()
          .insecureRegistries(Set.of(reg.host()))
          .sleeper(new FakeSleeper())
          .listener(events)
          .build();
  private final ImageRef repo = ImageRef.parse(reg.host() + "/app");
  private final String path = "/v2/app/tags/list";

  @AfterEach
  void close() {
    client.close();
    reg.close();
  }

  private void tags(int count) {
    byte[] m =
        Oci.manifest()
            .config(
                Oci.descriptor(Oci.EMPTY, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .build();
    for (int i = 0; i < count; i++) {
      reg.manifest("app", String.format("t%05d", i), Oci.MANIFEST, m);
    }
  }

  private void answer(int status, String json) {
    reg.route(path, ex -> FakeRegistry.sendJson(ex, status, json));
  }

  private TagList.Unavailable unavailable() {
    TagList list = client.tags(repo);
    assertThat(list).isInstanceOf(TagList.Unavailable.class);
    return (TagList.Unavailable) list;
  }

  @Test
  void everyPageIsReadAThousandTagsAtATime() {
    tags(2001);

    TagList list = client.tags(repo);

    assertThat(list)
        .isInstanceOfSatisfying(
            TagList.Complete.class,
            c -> {
              assertThat(c.tags()).hasSize(2001).contains("t00000", "t01000", "t02000");
              assertThat(c.pages()).isEqualTo(3);
            });
    assertThat(reg.requests(path)).hasSize(3).allMatch(r -> r.query().contains("n=1000"));
    assertThat(list.lists("t02000")).contains(true);
    assertThat(list.lists("sha256-abc.sig")).contains(false);
    assertThat(events.events()).containsExactly("tags 200", "tags 200", "tags 200");
  }

  @Test
  void aRepositoryIsListedOncePerClient() {
    tags(3);

    client.tags(repo);
    client.tags(repo);
    client.tags(ImageRef.parse(reg.host() + "/app:other"));

    assertThat(reg.requests(path)).hasSize(1);
  }

  @Test
  void concurrentReadersWaitForTheOneRequest() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    reg.route(
        path,
        ex -> {
          asked.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          FakeRegistry.sendJson(ex, 200, "{\"name\":\"app\",\"tags\":[\"a\"]}");
        });
    List<TagList> answers = new ArrayList<>();
    Thread first = Thread.ofVirtual().start(() -> add(answers, client.tags(repo)));
    assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();
    Thread second = Thread.ofVirtual().start(() -> add(answers, client.tags(repo)));
    // The second reader is parked on the first one's answer before that answer exists.
    while (second.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    release.countDown();
    first.join();
    second.join();

    assertThat(reg.requests(path)).hasSize(1);
    assertThat(answers).hasSize(2).allSatisfy(a -> assertThat(a.lists("a")).contains(true));
  }

  private static synchronized void add(List<TagList> answers, TagList a) {
    answers.add(a);
  }

  @Test
  void aListThatCannotBeReadIsRememberedAndNeverThrown() {
    for (int status : new int[] {401, 403, 404, 500}) {
      FakeRegistry r = new FakeRegistry();
      try (RegistryClient c =
          RegistryClient.builder()
              .insecureRegistries(Set.of(r.host()))
              .sleeper(new FakeSleeper())
              .build()) {
        r.route(path, ex -> FakeRegistry.sendText(ex, status, "no"));
        ImageRef app = ImageRef.parse(r.host() + "/app");

        assertThat(c.tags(app)).isInstanceOf(TagList.Unavailable.class);
        int sent = r.requests(path).size();
        assertThat(c.tags(app)).isInstanceOf(TagList.Unavailable.class);
        assertThat(r.requests(path)).as("status %d", status).hasSize(sent);
      } finally {
        r.close();
      }
    }
  }

  @Test
  void anOversizedPageIsAbandonedUnread() {
    StringBuilder json = new StringBuilder("{\"name\":\"app\",\"tags\":[\"x\"");
    while (json.length() <= TagLister.MAX_PAGE_BYTES) {
      json.append(",\"").append("t".repeat(120)).append(json.length()).append('"');
    }
    answer(200, json.append("]}").toString());

    assertThat(unavailable().reason()).contains("exceeds");
  }

  @Test
  void moreThanTwentyPagesAreAbandonedWithoutAskingForTheTwentyFirst() {
    reg.route(
        path,
        ex -> {
          int page =
              ex.getRequestURI().getQuery().contains("page=")
                  ? pageOf(ex.getRequestURI().getQuery())
                  : 0;
          ex.getResponseHeaders()
              .add("Link", "</v2/app/tags/list?n=1000&page=" + (page + 1) + ">; rel=\"next\"");
          FakeRegistry.sendJson(ex, 200, "{\"name\":\"app\",\"tags\":[\"t" + page + "\"]}");
        });

    assertThat(unavailable().reason()).contains("more than 20 pages");
    assertThat(reg.requests(path)).hasSize(TagLister.MAX_PAGES);
  }

  private static int pageOf(String query) {
    return Integer.parseInt(query.replaceAll(".*page=(\\d+).*", "$1"));
  }

  @Test
  void aPageLinkingBackIsAbandoned() {
    reg.route(
        path,
        ex -> {
          ex.getResponseHeaders().add("Link", "</v2/app/tags/list?n=1000>; rel=\"next\"");
          FakeRegistry.sendJson(ex, 200, "{\"name\":\"app\",\"tags\":[\"a\"]}");
        });

    assertThat(unavailable().reason()).contains("loop");
  }

  @Test
  void aNextPageOnAnotherHostIsNeverAsked() {
    try (FakeRegistry other = new FakeRegistry()) {
      reg.route(
          path,
          ex -> {
            ex.getResponseHeaders()
                .add("Link", "<" + other.url() + "/v2/app/tags/list?last=a>; rel=\"next\"");
            FakeRegistry.sendJson(ex, 200, "{\"name\":\"app\",\"tags\":[\"a\"]}");
          });

      assertThat(unavailable().reason()).contains("another host");
      assertThat(other.requests()).isEmpty();
    }
  }

  @Test
  void anythingButATagListOfThisRepositoryIsAbandoned() {
    String[] bodies = {
      "{\"name\":\"other\",\"tags\":[\"a\"]}",
      "{\"name\":\"app\",\"tags\":[\"a\"],\"tags\":[]}",
      "{\"name\":\"app\",\"tags\":\"a\"}",
      "{\"name\":\"app\",\"tags\":[\"a\",7]}",
      "[\"a\"]",
      "not json",
    };
    for (String body : bodies) {
      FakeRegistry r = new FakeRegistry();
      try (RegistryClient c =
          RegistryClient.builder().insecureRegistries(Set.of(r.host())).build()) {
        r.route(path, ex -> FakeRegistry.sendJson(ex, 200, body));
        assertThat(c.tags(ImageRef.parse(r.host() + "/app")))
            .as(body)
            .isInstanceOf(TagList.Unavailable.class);
      } finally {
        r.close();
      }
    }
  }

  @Test
  void aRepositoryWithoutTagsIsACompleteEmptyList() {
    answer(200, "{\"name\":\"app\",\"tags\":null}");

    assertThat(client.tags(repo).lists("sha256-abc.sig")).contains(false);
  }

  @Test
  void aListThatCannotBeReadSaysNothingAboutATag() {
    answer(401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");

    assertThat(client.tags(repo).lists("a")).isEmpty();
  }
}
