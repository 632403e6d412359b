package dev.sigaudit.cluster;

import io.kubernetes.client.openapi.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Lists a Kubernetes collection page by page ({@code limit} + {@code continue}), so that a 100k-Pod
 * cluster is never one response. client-java 27 ships no pager outside client-java-extended, hence
 * this loop.
 *
 * <p>A continue token expires after etcd compaction (about five minutes); the server then answers
 * 410 Gone and the only correct recovery is to restart the list from the beginning.
 */
final class Pager {
  static final int MAX_RESTARTS = 3;

  /** One page: the items and the continue token ({@code null} or empty on the last page). */
  record Page<T>(List<T> items, String continueToken) {}

  /** Fetches the page after {@code continueToken} ({@code null} for the first). */
  interface PageFetcher<T> {
    Page<T> fetch(String continueToken) throws ApiException;
  }

  private Pager() {}

  /**
   * All items of a collection; {@code onPage} is told the size of each page (for progress).
   *
   * @throws ApiException if a page fails, or the list expired more than {@link #MAX_RESTARTS} times
   */
  static <T> List<T> listAll(PageFetcher<T> fetcher, Consumer<Integer> onPage) throws ApiException {
    for (int attempt = 0; ; attempt++) {
      List<T> all = new ArrayList<>();
      String token = null;
      try {
        do {
          Page<T> page = fetcher.fetch(token);
          all.addAll(page.items());
          onPage.accept(page.items().size());
          token = page.continueToken();
        } while (token != null && !token.isEmpty());
        return all;
      } catch (ApiException e) {
        if (e.getCode() != 410 || attempt >= MAX_RESTARTS) {
          throw e;
        }
        // 410 Gone: the continue token expired; restart the whole list.
      }
    }
  }
}
