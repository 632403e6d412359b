package dev.sigaudit.policy.kyverno;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.ImageMatcher;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.Rule;
import dev.sigaudit.policy.Scope;
import dev.sigaudit.policy.crd.Node;
import dev.sigaudit.policy.crd.ProblemLog;
import dev.sigaudit.policy.crd.Repositories;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates one {@code spec.rules[i].verifyImages[j]} entry into up to two rules: {@code base},
 * the signature check of its attestors (all sets must hold), and {@code base.verifyDigest}, the
 * requirement that the Pod spec names the image by digest.
 *
 * <p>The digest rule exists only when Kyverno's admission would leave a tag unpinned: {@code
 * verifyDigest} (true by default) without {@code mutateDigest} (also true by default). With {@code
 * mutateDigest} Kyverno's mutating webhook adds the digest to a tag reference before its validating
 * webhook checks {@code verifyDigest} ({@code imageverifier.go handleMutateDigest}), so the
 * requirement always holds for a Pod submitted now.
 *
 * <p>Ignored, because they do not change what an audit of running Pods finds: {@code useCache},
 * {@code required} (it only makes Kyverno's validation step demand its own {@code
 * kyverno.io/verify-images} annotation; signatures are verified either way) and {@code
 * imageRegistryCredentials} (sigaudit uses its own registry credentials).
 */
final class VerifyImagesTranslator {
  private static final Set<SignatureFormat> LEGACY = Set.of(SignatureFormat.LEGACY_TAG);
  private static final Set<SignatureFormat> BUNDLES =
      Set.of(SignatureFormat.BUNDLE_REFERRER, SignatureFormat.BUNDLE_FALLBACK_TAG);

  private final ProblemLog log;
  private final AttestorTranslator attestors;

  VerifyImagesTranslator(KeyParser keys, ProblemLog log) {
    this.log = log;
    this.attestors = new AttestorTranslator(keys, log);
  }

  List<Rule> translate(Node vi, String base, Scope scope) {
    int before = log.size();
    Optional<ImageMatcher> images = images(vi);
    Optional<Mode> mode = FailureActions.read(vi.get("failureAction"), log);
    String type = vi.get("type").string(log).orElse("Cosign");
    if (!List.of("Cosign", "SigstoreBundle", "Notary", "").contains(type)) {
      log.add(vi.get("type"), "'" + type + "' is not one of Cosign, SigstoreBundle, Notary");
      return List.of();
    }
    Optional<ImageRef> repo = Repositories.read(vi.get("repository"), log);
    if (images.isEmpty() || (vi.get("repository").present() && repo.isEmpty())) {
      return List.of();
    }
    if (vi.get("cosignOCI11").bool(log).orElse(false)) {
      log.add(
          vi.get("cosignOCI11"),
          "signatures cosign stores as OCI 1.1 referrers in its experimental format are not"
              + " discovered: an image signed only that way is reported unsigned");
    }
    List<Rule> out = new ArrayList<>();
    signatures(vi, type, repo)
        .ifPresent(c -> out.add(new Rule(base, images.get(), c, scope, mode)));
    if (log.size() > before && out.isEmpty() && hasSignatureCheck(vi)) {
      // The signature part could not be translated (already reported): do not report only the
      // digest half of the entry as if it were the whole rule.
      return List.of();
    }
    boolean verifyDigest = vi.get("verifyDigest").bool(log).orElse(true);
    boolean mutateDigest = vi.get("mutateDigest").bool(log).orElse(true);
    if (verifyDigest && !mutateDigest) {
      out.add(
          new Rule(base + ".verifyDigest", images.get(), new Check.RequireDigest(), scope, mode));
    }
    return out;
  }

  private static boolean hasSignatureCheck(Node vi) {
    return !vi.get("attestors").list(new ProblemLog("", "")).isEmpty()
        || !vi.get("attestations").list(new ProblemLog("", "")).isEmpty()
        || vi.get("key").present()
        || vi.get("issuer").present();
  }

  private Optional<ImageMatcher> images(Node vi) {
    List<String> refs = new ArrayList<>(vi.get("imageReferences").strings(log));
    vi.get("image").text(log).ifPresent(refs::add); // deprecated single image
    List<String> skip = vi.get("skipImageReferences").strings(log);
    if (refs.isEmpty()) {
      log.add(vi.get("imageReferences"), "an image reference is required");
      return Optional.empty();
    }
    for (String r : concat(refs, skip)) {
      if (r.contains("{{")) {
        log.add(vi.get("imageReferences"), "variables ({{ … }}) are not resolved by sigaudit");
        return Optional.empty();
      }
    }
    return Optional.of(new ImageMatcher(refs, skip));
  }

  /** The signature check, or empty when there is none (no attestors) or it cannot be built. */
  private Optional<Check> signatures(Node vi, String type, Optional<ImageRef> repo) {
    boolean bundle = type.equals("SigstoreBundle");
    Map<String, String> annotations = vi.get("annotations").stringMap(log);
    var ctx = new AttestorTranslator.Context(bundle ? BUNDLES : LEGACY, bundle, annotations);
    if (type.equals("Notary")) {
      // Notary (notation) signatures: nothing sigaudit discovers or verifies, whatever the
      // certificates its attestors name.
      log.add(vi.get("type"), "Notary signatures are not supported by sigaudit");
      return Optional.of(
          new Check.Signatures(
              List.of(unsupported("Notary signatures (" + vi.get("type").path() + ")")), repo));
    }
    List<Attestors> sets = new ArrayList<>();
    List<Node> setNodes = vi.get("attestors").list(log);
    boolean ok = true;
    for (Node s : setNodes) {
      Optional<Attestors> a = attestors.set(s, ctx);
      a.ifPresent(sets::add);
      ok &= a.isPresent();
    }
    deprecatedAttestor(vi, ctx).ifPresent(sets::add);
    List<Node> attestations = vi.get("attestations").list(log);
    if (!attestations.isEmpty()) {
      log.add(vi.get("attestations"), "in-toto attestations are not verified by sigaudit");
      sets.add(unsupported("the attestations of " + vi.get("attestations").path()));
    }
    Node validate = vi.get("validate");
    if (validate.get("deny").present()) {
      log.add(validate.get("deny"), "conditions on verified attestations are not supported");
      sets.add(unsupported("the conditions of " + validate.get("deny").path()));
    }
    if (!ok) {
      return Optional.empty();
    }
    if (sets.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Check.Signatures(sets, repo));
  }

  /** Kyverno's {@code Convert()}: the deprecated {@code key}/{@code issuer} fields as one set. */
  private Optional<Attestors> deprecatedAttestor(Node vi, AttestorTranslator.Context ctx) {
    Optional<String> key = vi.get("key").text(log);
    if (key.isPresent()) {
      return Optional.of(attestors.deprecatedKey(vi.get("key"), key.get(), ctx));
    }
    if (vi.get("issuer").text(log).isPresent()) {
      return Optional.of(attestors.deprecatedKeyless(vi, ctx.formats()));
    }
    return Optional.empty();
  }

  private static Attestors unsupported(String what) {
    return new Attestors(1, List.of(new AttestorEntry.Unsupported(what)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
