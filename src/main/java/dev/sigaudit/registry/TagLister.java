package dev.sigaudit.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.model.ImageRef;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * {@code GET /v2/<name>/tags/list?n=1000}, following {@code Link: <…>; rel="next"} (<a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags">distribution
 * spec: listing tags</a>), once per repository for the life of this client (one scan, one
 * credential scope).
 *
 * <p>Why: a warm scan must show that an unsigned digest is still unsigned, which costs a HEAD of
 * each signature tag per digest. One list per repository answers that for all of its digests.
 *
 * <p>The list is read by the first lookup that needs it; lookups of the same repository that need
 * it meanwhile wait for that one answer instead of sending their own (single flight). A list that
 * cannot be read — any status but 200, a page over {@value #MAX_PAGE_BYTES} bytes, more than
 * {@value #MAX_PAGES} pages, a malformed page, a timeout — is remembered as {@link
 * TagList.Unavailable} for the repository: its callers ask for each tag as they did without a list,
 * so a registry that refuses to list tags costs one request per scan and never a verdict.
 */
final class TagLister {
  /** Tags per page asked for; registries may send fewer. */
  static final int PAGE_SIZE = 1000;

  /**
   * Pages read at most (20,000 tags at {@value #PAGE_SIZE} a page): past that, reading the list
   * costs more requests than the HEADs it saves for any plausible number of running digests of one
   * repository.
   */
  static final int MAX_PAGES = 20;

  /**
   * A page of 1,000 tags of at most 128 characters is ~135 KB; a registry that ignores {@code n}
   * and sends more in one answer is abandoned rather than read.
   */
  static final long MAX_PAGE_BYTES = 1L << 20;

  private final RegistryCaller caller;
  private final RegistryListener listener;
  private final Map<String, CompletableFuture<TagList>> lists = new ConcurrentHashMap<>();

  TagLister(RegistryCaller caller, RegistryListener listener) {
    this.caller = caller;
    this.listener = listener;
  }

  /** The tags of {@code repo} (its tag and digest are ignored); never throws. */
  TagList list(ImageRef repo) {
    CompletableFuture<TagList> mine = new CompletableFuture<>();
    CompletableFuture<TagList> known = lists.putIfAbsent(repo.name(), mine);
    if (known == null) {
      // Completed whatever happens: lookups waiting for it must never wait forever.
      TagList answer = new TagList.Unavailable("reading the tag list failed");
      try {
        answer = read(repo);
      } catch (RuntimeException e) {
        answer = new TagList.Unavailable("reading the tag list failed: " + e);
      } finally {
        mine.complete(answer);
      }
      return answer;
    }
    if (!known.isDone()) {
      // This lookup waits for a request another one sent: a round trip on its critical path.
      listener.onAwaited(repo.registry(), Endpoint.TAGS);
    }
    try {
      return known.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TagList.Unavailable("interrupted while waiting for the tag list");
    } catch (ExecutionException e) {
      return new TagList.Unavailable("reading the tag list failed: " + e.getCause());
    }
  }

  /** Why a list was given up; the message is safe to show. */
  static final class Abandoned extends Exception {
    private static final long serialVersionUID = 1L;

    Abandoned(String message) {
      super(message);
    }
  }

  private TagList read(ImageRef repo) {
    CallContext ctx = CallContext.of(Endpoint.TAGS, repo.registry(), repo.name());
    URI first = caller.hosts().v2(repo, "tags/list?n=" + PAGE_SIZE);
    Set<String> tags = new HashSet<>();
    Set<URI> seen = new HashSet<>();
    try {
      Optional<URI> page = Optional.of(first);
      while (page.isPresent()) {
        if (!seen.add(page.get())) {
          throw new Abandoned("its pages link in a loop");
        }
        if (seen.size() > MAX_PAGES) {
          throw new Abandoned("it has more than " + MAX_PAGES + " pages");
        }
        Response r =
            caller.expect(
                new RegistryCaller.Call(
                    ctx, repo, "GET", page.get(), "application/json", MAX_PAGE_BYTES),
                Set.of(200));
        parse(r.body(), repo.repository(), tags);
        page = next(r, first);
      }
    } catch (RegistryException e) {
      if (e.kind() == RegistryException.Kind.INTERRUPTED) {
        Thread.currentThread().interrupt();
      }
      return new TagList.Unavailable(e.getMessage());
    } catch (Abandoned e) {
      return new TagList.Unavailable(
          "listing tags of " + repo.name() + " abandoned: " + e.getMessage());
    }
    return new TagList.Complete(tags, seen.size());
  }

  /** A page's wire shape; anything else in it is ignored. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  private record Page(String name, JsonNode tags) {}

  /**
   * Adds the tags of one page to {@code into}. Strict where a wrong reading would hide a tag:
   * duplicate keys, a list of another repository, a tag that is not a string.
   */
  static void parse(byte[] body, String repository, Set<String> into) throws Abandoned {
    Page page;
    try {
      page = ManifestParser.JSON.readValue(body, Page.class);
    } catch (JsonProcessingException e) {
      throw new Abandoned("malformed JSON (" + Untrusted.text(e.getOriginalMessage(), 100) + ")");
    } catch (IOException e) {
      throw new Abandoned("unreadable answer");
    }
    if (page == null) {
      throw new Abandoned("empty answer");
    }
    if (page.name() != null && !page.name().equals(repository)) {
      throw new Abandoned(
          "it names another repository ('" + Untrusted.text(page.name(), 100) + "')");
    }
    JsonNode tags = page.tags();
    if (tags == null || tags.isNull()) {
      return; // how Distribution lists a repository without tags
    }
    if (!tags.isArray()) {
      throw new Abandoned("'tags' is not an array");
    }
    for (JsonNode tag : tags) {
      if (!tag.isTextual()) {
        throw new Abandoned("a tag is not a string");
      }
      into.add(tag.textValue());
    }
  }

  private static Optional<URI> next(Response r, URI first) throws Abandoned {
    try {
      return NextPage.of(r, first);
    } catch (NextPage.Refused e) {
      throw new Abandoned(
          switch (e.problem()) {
            case MALFORMED -> "malformed Link header";
            case OTHER_HOST -> "its Link header points to another host";
          });
    }
  }
}
