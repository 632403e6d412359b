package dev.sigaudit.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.io.AtomicFiles;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.Signer;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.Authority;
import dev.sigaudit.signature.SignatureRoute;
import dev.sigaudit.signature.SignatureState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verdicts that survive between CronJob runs, in a JSON file (on the CronJob's volume).
 *
 * <p>An entry holds, for one {@link LookupKey} (repository, digest, credential scope), verdicts
 * named by {@link VerdictKey} (requirement, accepted formats, trusted root) and the {@link
 * SignatureState} they were computed from. A later scan reuses them only after a cheap check (a
 * HEAD of the {@code .sig} tag, the referrers list or a HEAD of the fallback tag) shows the
 * signatures unchanged, so an added or deleted signature is noticed on the next run. Errors are
 * never cached; entries older than the maximum age are verified again from scratch; a change of
 * {@link #FORMAT} (new verification rules) discards the file.
 *
 * <p>Trust: the file decides verdicts, so it must be writable by sigaudit alone (the CronJob's own
 * volume). An unreadable or malformed file is ignored with a warning, never fatal.
 */
public final class VerificationCache {
  /**
   * Bump when what "verified" means changes, so old verdicts are not reused. 2: verdicts are named
   * by {@link VerdictKey#cacheName()}, which includes the trusted root; states are per route.
   */
  static final int FORMAT = 2;

  private static final long MAX_FILE_BYTES = 64L << 20;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  static {
    JSON.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
  }

  /** A cached verdict for one trusted key. */
  record CachedVerdict(
      String verdict,
      String format,
      String signer,
      String issuer,
      String signed,
      List<String> reasons,
      List<String> notes,
      String kind) {

    static Optional<CachedVerdict> of(Verdict v) {
      return switch (v) {
        case Verdict.Verified ok ->
            Optional.of(
                new CachedVerdict(
                    "verified",
                    ok.format().name(),
                    ok.signer().description(),
                    ok.signer().issuer().orElse(null),
                    ok.signedDigest().toString(),
                    null,
                    // What the pass rests on the engine's laxness for must survive the cache.
                    ok.notes().isEmpty() ? null : ok.notes(),
                    null));
        case Verdict.Unsigned u ->
            Optional.of(new CachedVerdict("unsigned", null, null, null, null, null, null, null));
        case Verdict.Rejected r ->
            Optional.of(
                new CachedVerdict(
                    "rejected", null, null, null, null, r.reasons(), null, r.kind().name()));
        // "Signatures exist" (a presence request) is a fact about the signatures, as stable as
        // they are: cached, so that a policy with such a request still benefits from the cache.
        case Verdict.CheckError e when e.cause().equals(Authority.Presence.SIGNED) ->
            Optional.of(new CachedVerdict("signed", null, null, null, null, null, null, null));
        case Verdict.CheckError e -> Optional.empty(); // could not check: must be checked again
      };
    }

    Verdict toVerdict() {
      return switch (verdict) {
        case "verified" ->
            new Verdict.Verified(
                SignatureFormat.valueOf(format),
                new Signer(signer, Optional.ofNullable(issuer)),
                Digest.parse(signed),
                notes == null ? List.of() : notes);
        case "unsigned" -> new Verdict.Unsigned();
        case "signed" ->
            new Verdict.CheckError(Authority.Presence.SIGNED, Cause.SIGNER_NOT_CHECKABLE);
        case "rejected" -> new Verdict.Rejected(reasons, rejectionKind(kind));
        default -> throw new IllegalArgumentException("unknown cached verdict " + verdict);
      };
    }

    /** An entry written before rejections had a kind, or by a newer version, reads as plain. */
    private static Cause rejectionKind(String kind) {
      return java.util.Arrays.stream(Cause.values())
          .filter(c -> c.name().equals(kind))
          .findFirst()
          .orElse(Cause.SIGNATURE_REJECTED);
    }
  }

  /**
   * One {@link LookupKey}: its verdicts by {@link VerdictKey#cacheName()}, and the signature state
   * they came from as a token per {@link SignatureRoute} name.
   */
  record Entry(
      String key, Map<String, String> state, Map<String, CachedVerdict> verdicts, long verifiedAt) {
    /** The state; a route name this version does not know makes the entry unusable. */
    SignatureState signatureState() {
      Map<SignatureRoute, String> tokens = new EnumMap<>(SignatureRoute.class);
      state.forEach((route, token) -> tokens.put(SignatureRoute.valueOf(route), token));
      return new SignatureState(tokens);
    }
  }

  record FileFormat(int format, List<Entry> entries) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Entry> next = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration maxAge;

  VerificationCache(Clock clock, Duration maxAge) {
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /** An empty cache that is never saved (no {@code --cache-file}). */
  public static VerificationCache none() {
    return new VerificationCache(Clock.systemUTC(), Duration.ZERO);
  }

  /** Loads {@code file}; a missing, old-format or malformed file gives an empty cache. */
  public static VerificationCache load(
      Path file, Clock clock, Duration maxAge, List<String> warnings) {
    VerificationCache cache = new VerificationCache(clock, maxAge);
    if (!Files.exists(file)) {
      return cache;
    }
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        warnings.add(
            "verification cache "
                + file
                + " is larger than "
                + (MAX_FILE_BYTES >> 20)
                + " MiB; ignored");
        return cache;
      }
      FileFormat f;
      try (InputStream in = Files.newInputStream(file)) {
        f = JSON.readValue(in, FileFormat.class);
      }
      if (f == null || f.format() != FORMAT || f.entries() == null) {
        return cache; // written by another version: start over
      }
      for (Entry e : f.entries()) {
        if (e != null && e.key() != null && e.verdicts() != null && e.state() != null) {
          cache.entries.put(e.key(), e);
        }
      }
    } catch (IOException | RuntimeException e) {
      warnings.add(
          "verification cache "
              + file
              + " is unreadable ("
              + e.getClass().getSimpleName()
              + "); ignored");
    }
    return cache;
  }

  /**
   * What a previous scan found for one lookup: the verdicts asked for and the signature state they
   * were computed from, still to be compared with the registry's current one.
   */
  record Hit(Entry entry, Map<VerdictKey, Verdict> verdicts, SignatureState state) {}

  /**
   * A usable entry for {@code lookup} holding a verdict for every key, if any: not older than the
   * maximum age, and readable.
   */
  Optional<Hit> lookup(LookupKey lookup, Collection<VerdictKey> keys) {
    Entry e = entries.get(entryName(lookup));
    if (e == null || clock.millis() - e.verifiedAt() > maxAge.toMillis()) {
      return Optional.empty();
    }
    Map<VerdictKey, Verdict> verdicts = new HashMap<>();
    SignatureState state;
    try {
      state = e.signatureState();
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
    for (VerdictKey k : keys) {
      CachedVerdict cached = e.verdicts().get(k.cacheName());
      if (cached == null) {
        return Optional.empty();
      }
      try {
        verdicts.put(k, cached.toVerdict());
      } catch (RuntimeException malformed) {
        return Optional.empty();
      }
    }
    return Optional.of(new Hit(e, verdicts, state));
  }

  /** Keeps {@code hit} for the next run (unchanged: its verification time stays). */
  void keep(Hit hit) {
    next.put(hit.entry().key(), hit.entry());
  }

  /** Records fresh verdicts of {@code lookup} for the next run; errors are left out. */
  void record(LookupKey lookup, SignatureState state, Map<VerdictKey, Verdict> verdicts) {
    Map<String, CachedVerdict> cached = new HashMap<>();
    verdicts.forEach((k, v) -> CachedVerdict.of(v).ifPresent(c -> cached.put(k.cacheName(), c)));
    if (!cached.isEmpty()) {
      String name = entryName(lookup);
      Map<String, String> tokens = new HashMap<>();
      state.tokens().forEach((route, token) -> tokens.put(route.name(), token));
      next.put(name, new Entry(name, tokens, cached, clock.millis()));
    }
  }

  /** An entry per lookup: credential scope, signature repository and digest. */
  private static String entryName(LookupKey k) {
    return k.scope() + "|" + k.repository().name() + "@" + k.digest();
  }

  /** Writes what this scan kept and recorded (entries of digests no longer running are dropped). */
  public void save(Path file) throws IOException {
    AtomicFiles.write(
        file, out -> JSON.writeValue(out, new FileFormat(FORMAT, new ArrayList<>(next.values()))));
  }

  /** Entries written by {@link #save}. */
  public int size() {
    return next.size();
  }
}
