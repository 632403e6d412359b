package dev.sigaudit.policy;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Wildcard;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The glob semantics of Sigstore policy-controller's {@code ClusterImagePolicy.spec.images[].glob}
 * ({@code pkg/apis/glob}), which differ from Kyverno's {@link Wildcard}:
 *
 * <ul>
 *   <li>{@code *} matches any run of characters <em>except {@code /}</em>; {@code **} matches any
 *       run including {@code /} (a third {@code *} after {@code **} is a plain {@code *});
 *   <li>every other character matches itself; a glob may only contain letters, digits and {@code -
 *       _ : / * . @}, anything else is invalid;
 *   <li>the whole name must match;
 *   <li>the glob {@code *} alone means {@code index.docker.io/library/*}, and {@code *}{@code /*}
 *       means {@code index.docker.io/*}{@code /*}.
 * </ul>
 *
 * <p>The name matched is go-containerregistry's fully qualified {@code Name()}: Docker Hub is
 * {@code index.docker.io} (not {@code docker.io}), official images carry {@code library/}, and the
 * reference ends in {@code :tag} ({@code :latest} by default) or, for a reference with a digest, in
 * {@code @sha256:…} <em>without</em> the tag. policy-controller's mutating webhook first resolves
 * every tag to {@code tag@digest}, so at admission globs are matched against {@code
 * registry/repository@digest}; {@link #subject} reproduces that.
 */
public final class CipGlob {
  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9\\-_:/*.@]+");
  private static final String DOCKER_HUB = "index.docker.io";
  // Compiled globs, keyed by the glob: policies hold a handful, and every container is matched.
  private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

  private CipGlob() {}

  /**
   * The glob as a regular expression over qualified names.
   *
   * @throws IllegalArgumentException when the glob contains a character outside the allowed set
   */
  public static Pattern compile(String glob) {
    Pattern cached = CACHE.get(glob);
    if (cached != null) {
      return cached;
    }
    Pattern p = translate(glob);
    if (CACHE.size() < 10_000) {
      CACHE.put(glob, p);
    }
    return p;
  }

  private static Pattern translate(String glob) {
    String g = glob;
    if (g.equals("*/*")) {
      g = DOCKER_HUB + "/*/*";
    } else if (g.equals("*")) {
      g = DOCKER_HUB + "/library/*";
    }
    if (!VALID.matcher(g).matches()) {
      throw new IllegalArgumentException(
          "invalid glob '" + glob + "': only letters, digits and - _ : / * . @ are allowed");
    }
    // The same sequence of substitutions as upstream: stash "**" behind a placeholder ('#' can
    // never occur in a valid glob) so that the single-star rule does not rewrite it.
    String re = g.replace(".", "\\.").replace("**", "#").replace("*", "[^/]*").replace("#", ".*");
    return Pattern.compile(re);
  }

  /**
   * Whether {@code image} matches {@code glob} as policy-controller's {@code glob.Match} decides:
   * the glob against the qualified name of the parsed reference, then (a deprecated fallback)
   * against the text as given when that differs. An invalid reference matches nothing.
   *
   * @throws IllegalArgumentException when the glob is invalid
   */
  public static boolean matches(String glob, String image) {
    Pattern p = compile(glob);
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String name = qualifiedName(ref);
    return p.matcher(name).matches() || (!name.equals(image) && p.matcher(image).matches());
  }

  /** go-containerregistry's {@code Name()} of {@code ref}. */
  public static String qualifiedName(ImageRef ref) {
    String registry = ref.registry().equals(ImageRef.DOCKER_HUB) ? DOCKER_HUB : ref.registry();
    String name = registry + "/" + ref.repository();
    if (ref.digest() != null) {
      return name + "@" + ref.digest();
    }
    return name + ":" + (ref.tag() == null ? "latest" : ref.tag());
  }

  /**
   * The name policy-controller matches globs against for a container: the qualified name at the
   * digest the Pod spec names, else at the digest its tag resolved to ({@code resolved}, the
   * running digest), else with its tag when no digest is known.
   */
  public static String subject(ImageRef image, Optional<Digest> resolved) {
    if (image.digest() != null) {
      return qualifiedName(image.atDigest(image.digest()));
    }
    return resolved
        .map(d -> qualifiedName(image.atDigest(d)))
        .orElseGet(() -> qualifiedName(image));
  }
}
