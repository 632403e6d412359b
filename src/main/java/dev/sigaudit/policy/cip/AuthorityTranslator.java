package dev.sigaudit.policy.cip;

import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import dev.sigaudit.policy.crd.Repositories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates one {@code spec.authorities[i]} into an {@link AttestorEntry}, as policy-controller's
 * validator ({@code pkg/webhook/validator.go}) checks an authority:
 *
 * <ul>
 *   <li>{@code key}: legacy {@code .sig} signatures only (the default {@code signatureFormat});
 *       {@code key.data} is read up to its first PEM block; a transparency-log entry is required
 *       only when {@code ctlog} names a URL or TrustRoot, and an RFC 3161 timestamp when {@code
 *       rfc3161timestamp.trustRootRef} is set (then the log is not) — both are requirements
 *       sigaudit does not check, so a verified signature reads "could not check";
 *   <li>{@code signatureFormat: bundle} with a key always fails in policy-controller ("the
 *       authority must be keyless"), and so does it here;
 *   <li>{@code static}: a fixed pass or fail;
 *   <li>{@code keyless}: kept as a {@link AttestorEntry.Keyless} entry (could-not-check for now);
 *   <li>{@code attestations}: the authority then checks attestations instead of signatures, which
 *       sigaudit does not verify.
 * </ul>
 */
final class AuthorityTranslator {
  private static final Set<SignatureFormat> LEGACY = Set.of(SignatureFormat.LEGACY_TAG);
  private static final String DEFAULT_REKOR = "https://rekor.sigstore.dev";

  private final KeyParser keys;
  private final CipOptions options;
  private final ProblemLog log;

  AuthorityTranslator(KeyParser keys, CipOptions options, ProblemLog log) {
    this.keys = keys;
    this.options = options;
    this.log = log;
  }

  AttestorEntry translate(Node a, int index) {
    String name = a.get("name").text(log).orElse("authority-" + index);
    List<String> kinds = new ArrayList<>();
    for (String k : new String[] {"key", "keyless", "static"}) {
      if (a.get(k).present()) {
        kinds.add(k);
      }
    }
    if (kinds.size() != 1) {
      log.add(a, "exactly one of key, keyless or static is required");
      return unsupported(a, "authority " + name + " without exactly one of key, keyless, static");
    }
    if (kinds.get(0).equals("static")) {
      return staticEntry(a.get("static"), name);
    }
    if (!a.get("attestations").list(log).isEmpty()) {
      log.add(a.get("attestations"), "attestations are not verified by sigaudit");
      return unsupported(a.get("attestations"), "the attestations of authority " + name);
    }
    List<Node> sources = a.get("source").list(log);
    if (sources.size() > 1) {
      log.add(a.get("source"), "only a single source is supported (as in policy-controller)");
      return unsupported(a.get("source"), "several signature sources");
    }
    Optional<ImageRef> repo = Optional.empty();
    if (!sources.isEmpty()) {
      Node s = sources.get(0);
      repo = Repositories.read(s.get("oci"), log);
      if (s.get("oci").present() && repo.isEmpty()) {
        return unsupported(s.get("oci"), "an invalid signature repository");
      }
      if (s.get("tagPrefix").text(log).isPresent()) {
        log.add(s.get("tagPrefix"), "signature tags with a prefix are not discovered by sigaudit");
        return unsupported(s.get("tagPrefix"), "signatures under prefixed tags");
      }
    }
    boolean bundle = a.get("signatureFormat").string(log).orElse("").equals("bundle");
    return kinds.get(0).equals("key") ? key(a, name, repo, bundle) : keyless(a, repo, bundle);
  }

  private AttestorEntry staticEntry(Node s, String name) {
    String action = s.get("action").string(log).orElse("");
    String message = s.get("message").text(log).orElse("");
    return switch (action) {
      case "pass" -> new AttestorEntry.Static(true, "authority " + name + " admits every image");
      case "fail" ->
          new AttestorEntry.Static(
              false,
              "authority "
                  + name
                  + " rejects every image"
                  + (message.isEmpty() ? "" : " (" + message + ")"));
      default -> {
        log.add(s.get("action"), "'" + action + "' is not pass or fail");
        yield unsupported(s.get("action"), "an unknown static action");
      }
    };
  }

  private AttestorEntry key(Node a, String name, Optional<ImageRef> repo, boolean bundle) {
    Node key = a.get("key");
    if (bundle) {
      log.add(
          a.get("signatureFormat"),
          "policy-controller verifies bundles only for keyless authorities: authority "
              + name
              + " rejects every image");
      return new AttestorEntry.Static(
          false, "authority " + name + " cannot verify: signatureFormat bundle needs keyless");
    }
    // policy-controller verifies with exactly this hash (signature.LoadVerifier(key, hash) in
    // webhook/validation.go valid), SHA-256 unless the policy names another.
    String hash = key.get("hashAlgorithm").string(log).orElse("");
    Optional<HashAlgorithm> algorithm =
        hash.isBlank() ? Optional.of(HashAlgorithm.SHA256) : HashAlgorithm.namedLoosely(hash);
    if (algorithm.isEmpty()) {
      // policy-controller's validation refuses such a policy; were it stored anyway, the key could
      // not be read and the authority would fail.
      log.add(
          key.get("hashAlgorithm"),
          "'"
              + hash
              + "' is not one of sha224, sha256, sha384, sha512 (policy-controller refuses it)");
      return new AttestorEntry.Static(
          false, "authority " + name + " has an unknown hashAlgorithm '" + hash + "'");
    }
    KeyAcceptance acceptance = KeyAcceptance.engine(algorithm.get(), false);
    List<String> unchecked = requirements(a);
    Optional<String> data = key.get("data").text(log);
    if (data.isPresent()) {
      return inline(key.get("data"), data.get(), repo, unchecked, acceptance);
    }
    Node secretRef = key.get("secretRef");
    if (secretRef.present()) {
      Optional<String> secret = secretRef.get("name").text(log);
      if (secret.isEmpty()) {
        log.add(secretRef.get("name"), "required");
        return unverifiable(secretRef, "a key in an unnamed Secret", repo);
      }
      String ns = secretRef.get("namespace").text(log).orElse(options.controllerNamespace());
      if (!ns.equals(options.controllerNamespace())) {
        log.add(
            secretRef.get("namespace"),
            "policy-controller reads Secrets only in its own namespace "
                + options.controllerNamespace());
      }
      return new AttestorEntry.SecretKey(
          ns, secret.get(), Optional.empty(), repo, LEGACY, unchecked, false, acceptance);
    }
    if (key.get("kms").text(log).isPresent()) {
      log.add(key.get("kms"), "KMS keys are not supported by sigaudit");
      return unverifiable(key.get("kms"), "the KMS key " + key.get("kms").text(log).get(), repo);
    }
    log.add(key, "one of data, secretRef or kms is required");
    return unverifiable(key, "a key that is not given", repo);
  }

  /** The first PEM block, as sigstore's {@code UnmarshalPEMToPublicKey} reads {@code key.data}. */
  private AttestorEntry inline(
      Node at,
      String data,
      Optional<ImageRef> repo,
      List<String> unchecked,
      KeyAcceptance acceptance) {
    Optional<String> block = PemKeyParser.firstBlock(data);
    if (block.isEmpty()) {
      log.add(at, "not a PEM public key (no PEM block)");
      return unverifiable(at, "a key that is not PEM", repo);
    }
    try {
      return new AttestorEntry.Key(
          keys.parse(block.get()).withAcceptance(acceptance), repo, LEGACY, unchecked);
    } catch (IllegalArgumentException e) {
      log.add(at, "not a usable public key (" + e.getMessage() + ")");
      return unverifiable(at, "a public key sigaudit cannot use", repo);
    }
  }

  /** What policy-controller checks besides a key signature, which sigaudit does not. */
  private List<String> requirements(Node a) {
    List<String> out = new ArrayList<>();
    Optional<String> tsa = a.get("rfc3161timestamp").get("trustRootRef").text(log);
    if (tsa.isPresent()) {
      // policy-controller then skips the transparency log and demands a signed timestamp.
      out.add("an RFC 3161 timestamp from the TSA of TrustRoot " + tsa.get());
      return out;
    }
    Node ctlog = a.get("ctlog");
    Optional<String> url = ctlog.get("url").text(log);
    Optional<String> root = ctlog.get("trustRootRef").text(log);
    if (url.isPresent() || root.isPresent()) {
      out.add(
          "an entry in the transparency log "
              + root.map(r -> "of TrustRoot " + r).orElseGet(url::get)
              + " ("
              + ctlog.path()
              + ")");
    }
    return out;
  }

  /**
   * policy-controller reads one format per authority: {@code .sig} unless {@code signatureFormat:
   * bundle}.
   */
  private AttestorEntry keyless(Node a, Optional<ImageRef> repo, boolean bundle) {
    Node k = a.get("keyless");
    List<AttestorEntry.Keyless.Identity> ids = new ArrayList<>();
    for (Node i : k.get("identities").list(log)) {
      ids.add(
          new AttestorEntry.Keyless.Identity(
              i.get("issuer").text(log),
              i.get("issuerRegExp").text(log),
              i.get("subject").text(log),
              i.get("subjectRegExp").text(log)));
    }
    Optional<String> roots = k.get("ca-cert").get("data").text(log);
    Optional<String> ca =
        k.get("trustRootRef")
            .text(log)
            .map(r -> "TrustRoot " + r)
            .or(() -> k.get("url").text(log).map(u -> "Fulcio at " + u))
            .or(
                () ->
                    roots.isPresent()
                        ? Optional.empty()
                        : Optional.of("Fulcio at fulcio.sigstore.dev"));
    Optional<String> tlog =
        a.get("ctlog").get("url").text(log).or(() -> Optional.of(DEFAULT_REKOR));
    return new AttestorEntry.Keyless(
        ids,
        roots,
        ca,
        tlog,
        Map.of(),
        repo,
        bundle
            ? Set.of(SignatureFormat.BUNDLE_REFERRER, SignatureFormat.BUNDLE_FALLBACK_TAG)
            : LEGACY);
  }

  /** A key sigaudit cannot verify: fails when there is no {@code .sig}, else could-not-check. */
  private static AttestorEntry unverifiable(Node at, String what, Optional<ImageRef> repo) {
    return new AttestorEntry.Unverifiable(what + " (" + at.path() + ")", repo, LEGACY);
  }

  private static AttestorEntry unsupported(Node at, String what) {
    return new AttestorEntry.Unsupported(what + " (" + at.path() + ")");
  }
}
