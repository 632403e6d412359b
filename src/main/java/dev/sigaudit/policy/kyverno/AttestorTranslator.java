package dev.sigaudit.policy.kyverno;

import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import dev.sigaudit.policy.crd.Repositories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates {@code verifyImages[].attestors[]} sets and their entries, as Kyverno's image verifier
 * ({@code pkg/engine/internal/imageverifier.go}) evaluates them:
 *
 * <ul>
 *   <li>a set needs {@code count} of its entries, all of them when {@code count} is absent or 0;
 *   <li>{@code keys.publicKeys} with several PEM keys becomes one entry per key ({@code
 *       ExpandStaticKeys}), the count applying across them;
 *   <li>key entries verify legacy {@code .sig} signatures ({@code type: Cosign}) or bundles ({@code
 *       type: SigstoreBundle}); unless {@code keys.rekor.ignoreTlog} is true Kyverno also demands a
 *       transparency-log entry, which sigaudit cannot check (recorded as {@link
 *       AttestorEntry.Key#unchecked()}: a verified signature then reads "could not check", never
 *       "pass").
 * </ul>
 */
final class AttestorTranslator {
  static final String DEFAULT_REKOR = "https://rekor.sigstore.dev";

  /**
   * What the enclosing {@code verifyImages} entry fixes for all its attestors.
   *
   * @param acceptance how Kyverno reads signatures by the keys of an entry: SHA-256 unless {@code
   *     keys.signatureAlgorithm} says otherwise; with {@code SigstoreBundle}, any attestation by
   *     the key counts ({@code sigstore.go fetchBundles} filters no predicate for signatures)
   */
  record Context(
      Set<SignatureFormat> formats,
      boolean bundle,
      Map<String, String> defaultAnnotations,
      KeyAcceptance acceptance) {
    Context(Set<SignatureFormat> formats, boolean bundle, Map<String, String> defaultAnnotations) {
      this(formats, bundle, defaultAnnotations, KeyAcceptance.engine(HashAlgorithm.SHA256, bundle));
    }

    Context withAcceptance(KeyAcceptance acceptance) {
      return new Context(formats, bundle, defaultAnnotations, acceptance);
    }
  }

  private final KeyParser keys;
  private final ProblemLog log;

  AttestorTranslator(KeyParser keys, ProblemLog log) {
    this.keys = keys;
    this.log = log;
  }

  /** One set; empty (after a problem) when Kyverno's own validation would refuse it. */
  Optional<Attestors> set(Node set, Context ctx) {
    List<Node> entries = set.get("entries").list(log);
    if (entries.isEmpty()) {
      log.add(set.get("entries"), "at least one entry is required");
      return Optional.empty();
    }
    List<AttestorEntry> compiled = new ArrayList<>();
    boolean ok = true;
    for (Node e : entries) {
      Optional<List<AttestorEntry>> t = entry(e, ctx);
      t.ifPresent(compiled::addAll);
      ok &= t.isPresent();
    }
    Optional<Integer> count = set.get("count").integer(log);
    if (!ok) {
      return Optional.empty();
    }
    int required = count.filter(c -> c != 0).orElse(compiled.size());
    if (required < 1 || required > compiled.size()) {
      log.add(
          set.get("count"),
          required + " is not between 1 and the number of entries (" + compiled.size() + ")");
      return Optional.empty();
    }
    return Optional.of(new Attestors(required, compiled));
  }

  /** The entries one {@code entries[k]} stands for (several for a multi-key {@code keys}). */
  private Optional<List<AttestorEntry>> entry(Node e, Context ctx) {
    List<String> kinds = new ArrayList<>();
    for (String k : new String[] {"keys", "certificates", "keyless", "attestor"}) {
      if (e.get(k).present()) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      log.add(e, "exactly one of keys, certificates, keyless or attestor is required");
      return Optional.empty();
    }
    Optional<ImageRef> repo = Repositories.read(e.get("repository"), log);
    if (e.get("repository").present() && repo.isEmpty()) {
      return Optional.empty();
    }
    return switch (kinds.get(0)) {
      case "keys" -> Optional.of(keys(e, repo, ctx));
      case "keyless" -> Optional.of(List.of(keyless(e.get("keyless"), repo, ctx.formats())));
      case "certificates" -> {
        log.add(e.get("certificates"), "certificate attestors are not supported by sigaudit");
        yield Optional.of(
            List.of(unverifiable(e.get("certificates"), "a certificate attestor", repo, ctx)));
      }
      default -> nested(e.get("attestor"), ctx);
    };
  }

  private Optional<List<AttestorEntry>> nested(Node n, Context ctx) {
    // The CRD stores a nested set as free-form JSON; Kyverno parses it as an AttestorSet.
    if (!n.isObject()) {
      log.add(n, "expected a nested attestor set (count, entries)");
      return Optional.empty();
    }
    return set(n, ctx).map(s -> List.of(new AttestorEntry.Nested(s)));
  }

  private List<AttestorEntry> keys(Node entry, Optional<ImageRef> repo, Context ctx) {
    Node k = entry.get("keys");
    List<String> unchecked = requirements(entry, k, ctx);
    // Kyverno uses keys.signatureAlgorithm (not the attestor's) for keys, and verifies with
    // exactly that hash (cosign.go buildCosignOptions → signature.LoadVerifier).
    String algorithm = k.get("signatureAlgorithm").string(log).orElse("sha256");
    Optional<HashAlgorithm> hash =
        algorithm.isEmpty() ? Optional.of(HashAlgorithm.SHA256) : HashAlgorithm.named(algorithm);
    if (hash.isEmpty()) {
      // buildCosignOptions fails ("invalid signature algorithm"), which Kyverno reports as a
      // failure of the entry for every image: the engine's decision, not something to guess.
      log.add(
          k.get("signatureAlgorithm"),
          "'"
              + algorithm
              + "' is not one of sha224, sha256, sha384, sha512: Kyverno rejects every"
              + " image for this entry");
      return List.of(
          new AttestorEntry.Static(
              false,
              "Kyverno cannot load a key with signatureAlgorithm '"
                  + algorithm
                  + "' ("
                  + k.get("signatureAlgorithm").path()
                  + ")"));
    }
    Context keyed = ctx.withAcceptance(KeyAcceptance.engine(hash.get(), ctx.bundle()));
    Optional<String> publicKeys = k.get("publicKeys").text(log);
    if (publicKeys.isPresent()) {
      return withTlog(
          publicKeys(k.get("publicKeys"), publicKeys.get(), repo, keyed, unchecked),
          defaultTlogRequired(k));
    }
    Node secret = k.get("secret");
    if (secret.present()) {
      Optional<String> name = secret.get("name").text(log);
      Optional<String> ns = secret.get("namespace").text(log);
      if (name.isEmpty() || ns.isEmpty()) {
        log.add(secret, "name and namespace are required");
        return List.of(unverifiable(secret, "a key in an unnamed Secret", repo, ctx));
      }
      return withTlog(
          List.of(secretKey(ns.get(), name.get(), repo, keyed, unchecked)), defaultTlogRequired(k));
    }
    Optional<String> kms = k.get("kms").text(log);
    if (kms.isPresent()) {
      log.add(k.get("kms"), "KMS keys are not supported by sigaudit");
      return List.of(unverifiable(k.get("kms"), "the KMS key " + kms.get(), repo, ctx));
    }
    log.add(k, "a public key, kms key or secret is required");
    return List.of(unverifiable(k, "a key that is not given", repo, ctx));
  }

  /**
   * Kyverno's {@code splitPEM}: several keys are cut after each {@code -----END PUBLIC KEY-----}; a
   * single value (one key, or a key reference) is used whole.
   */
  private List<AttestorEntry> publicKeys(
      Node at, String text, Optional<ImageRef> repo, Context ctx, List<String> unchecked) {
    String end = "-----END PUBLIC KEY-----";
    List<String> values = new ArrayList<>();
    int from = 0;
    int i;
    while ((i = text.indexOf(end, from)) >= 0) {
      values.add(text.substring(from, i + end.length()));
      from = i + end.length();
    }
    if (values.size() <= 1) {
      values = List.of(text);
    }
    List<AttestorEntry> out = new ArrayList<>();
    for (String v : values) {
      out.add(publicKey(at, v, repo, ctx, unchecked));
    }
    return out;
  }

  private AttestorEntry publicKey(
      Node at, String value, Optional<ImageRef> repo, Context ctx, List<String> unchecked) {
    String v = value.strip();
    if (v.contains("{{")) {
      log.add(at, "variables ({{ … }}) are not resolved by sigaudit");
      return unverifiable(at, "a key given by a variable", repo, ctx);
    }
    if (v.startsWith("-----BEGIN PUBLIC KEY-----")) {
      try {
        TrustedKey key = keys.parse(v).withAcceptance(ctx.acceptance());
        return new AttestorEntry.Key(key, repo, ctx.formats(), unchecked);
      } catch (IllegalArgumentException ex) {
        log.add(at, "not a usable public key (" + ex.getMessage() + ")");
        return unverifiable(at, "a public key sigaudit cannot use", repo, ctx);
      }
    }
    if (v.startsWith("k8s://")) {
      String[] parts = v.substring("k8s://".length()).split("/", -1);
      if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        return secretKey(parts[0], parts[1], repo, ctx, unchecked);
      }
      log.add(at, "'" + v + "' is not k8s://<namespace>/<name>");
      return unverifiable(at, "a malformed Secret reference", repo, ctx);
    }
    log.add(at, "key references other than PEM keys and k8s:// Secrets are not supported");
    String shown = v.length() > 60 ? v.substring(0, 60) + "…" : v;
    return unverifiable(at, "the key reference " + shown, repo, ctx);
  }

  private static AttestorEntry secretKey(
      String ns, String name, Optional<ImageRef> repo, Context ctx, List<String> unchecked) {
    // cosign's k8s:// key reference reads the data entry cosign.pub.
    return new AttestorEntry.SecretKey(
        ns,
        name,
        Optional.of("cosign.pub"),
        repo,
        ctx.formats(),
        unchecked,
        false,
        ctx.acceptance());
  }

  /**
   * Kyverno requires a Rekor entry for keys unless ignoreTlog; for its default log we verify it.
   */
  private boolean defaultTlogRequired(Node k) {
    Node rekor = k.get("rekor");
    return !rekor.get("ignoreTlog").bool(log).orElse(false)
        && rekor.get("url").text(log).orElse(DEFAULT_REKOR).equals(DEFAULT_REKOR);
  }

  /** The key entries with the transparency-log requirement set. */
  private static List<AttestorEntry> withTlog(List<AttestorEntry> entries, boolean requireTlog) {
    if (!requireTlog) {
      return entries;
    }
    return entries.stream()
        .map(
            e ->
                switch (e) {
                  case AttestorEntry.Key k ->
                      (AttestorEntry)
                          new AttestorEntry.Key(
                              k.key(), k.signatureRepository(), k.formats(), k.unchecked(), true);
                  case AttestorEntry.SecretKey s -> s.withTlog();
                  default -> e;
                })
        .toList();
  }

  /** What Kyverno checks besides the signature itself, which sigaudit does not. */
  private List<String> requirements(Node entry, Node k, Context ctx) {
    List<String> out = new ArrayList<>();
    Node rekor = k.get("rekor");
    String url = rekor.get("url").text(log).orElse(DEFAULT_REKOR);
    // The public-good log's entries are verified against the trusted root (defaultTlogRequired);
    // another log's key is not in it, so that requirement stays unchecked.
    if (!rekor.get("ignoreTlog").bool(log).orElse(false) && !url.equals(DEFAULT_REKOR)) {
      out.add(
          "an entry in the transparency log "
              + url
              + " (Kyverno requires it unless "
              + rekor.path()
              + ".ignoreTlog is true)");
    }
    Node ctlog = k.get("ctlog");
    if (ctlog.get("tsaCertChain").text(log).isPresent()) {
      out.add("an RFC 3161 timestamp from the TSA of " + ctlog.path() + ".tsaCertChain");
    }
    if (ctx.bundle() && !ctlog.get("ignoreSCT").bool(log).orElse(false)) {
      out.add("a verified timestamp in the bundle (" + ctlog.path() + ".ignoreSCT is not true)");
    }
    Map<String, String> annotations =
        entry.get("annotations").present()
            ? entry.get("annotations").stringMap(log)
            : ctx.defaultAnnotations();
    if (!annotations.isEmpty()) {
      out.add("the signed payload annotations " + annotations);
    }
    return out;
  }

  /**
   * The set Kyverno's {@code Convert()} makes of the deprecated {@code verifyImages[].key}: one key
   * entry with default transparency-log settings.
   */
  Attestors deprecatedKey(Node key, String text, Context ctx) {
    Node none = Node.at(null, key.path());
    List<String> unchecked = requirements(none, none, ctx);
    List<AttestorEntry> entries = publicKeys(key, text, Optional.empty(), ctx, unchecked);
    return Attestors.all(withTlog(entries, true));
  }

  /** The same for the deprecated {@code issuer}/{@code subject}/{@code roots}. */
  Attestors deprecatedKeyless(Node vi, Set<SignatureFormat> formats) {
    return Attestors.all(List.of(keyless(vi, Optional.empty(), formats)));
  }

  private AttestorEntry keyless(Node k, Optional<ImageRef> repo, Set<SignatureFormat> formats) {
    Node rekor = k.get("rekor");
    Optional<String> tlog =
        rekor.get("ignoreTlog").bool(log).orElse(false)
            ? Optional.empty()
            : Optional.of(rekor.get("url").text(log).orElse(DEFAULT_REKOR));
    var identity =
        new AttestorEntry.Keyless.Identity(
            k.get("issuer").text(log),
            k.get("issuerRegExp").text(log),
            k.get("subject").text(log),
            k.get("subjectRegExp").text(log));
    Optional<String> roots = k.get("roots").text(log);
    return new AttestorEntry.Keyless(
        List.of(identity),
        roots,
        roots.isPresent() ? Optional.empty() : Optional.of("Sigstore's public-good Fulcio"),
        tlog,
        k.get("additionalExtensions").stringMap(log),
        repo,
        formats,
        k.get("rekor").get("ignoreTlog").bool(log).orElse(false),
        k.get("ctlog").get("ignoreSCT").bool(log).orElse(false));
  }

  /** A cosign signer sigaudit cannot verify: fails when unsigned, else could-not-check. */
  private static AttestorEntry unverifiable(
      Node at, String what, Optional<ImageRef> repo, Context ctx) {
    return new AttestorEntry.Unverifiable(what + " (" + at.path() + ")", repo, ctx.formats());
  }

  private static AttestorEntry unsupported(Node at, String what) {
    return new AttestorEntry.Unsupported(what + " (" + at.path() + ")");
  }
}
