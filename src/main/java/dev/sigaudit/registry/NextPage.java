package dev.sigaudit.registry;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The next page of a paginated registry answer (tag lists, the referrers API), from its {@code
 * Link: <…>; rel="next"} header. The next page must stay on the registry: it will carry our
 * Authorization header.
 */
final class NextPage {
  private static final Pattern NEXT =
      Pattern.compile("<([^>]*)>\\s*;(?:[^,]*?)\\brel=\"?next\"?", Pattern.CASE_INSENSITIVE);

  private NextPage() {}

  /** Why a next page cannot be followed; each caller words it as its own error. */
  enum Problem {
    MALFORMED,
    OTHER_HOST
  }

  /** A Link header that cannot be followed. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final Problem problem;

    Refused(Problem problem) {
      super(problem.name());
      this.problem = problem;
    }

    Problem problem() {
      return problem;
    }
  }

  /**
   * The next page {@code r} links to, resolved against its URI, or nothing on the last page.
   *
   * @param first the first page's URI, whose origin every page must share
   */
  static Optional<URI> of(Response r, URI first) throws Refused {
    for (String link : r.headers().allValues("Link")) {
      Matcher m = NEXT.matcher(link);
      if (m.find()) {
        URI next;
        try {
          next = r.uri().resolve(m.group(1).trim());
        } catch (IllegalArgumentException e) {
          throw new Refused(Problem.MALFORMED);
        }
        if (!RegistryCaller.sameOrigin(next, first)) {
          throw new Refused(Problem.OTHER_HOST);
        }
        return Optional.of(next);
      }
    }
    return Optional.empty();
  }
}
