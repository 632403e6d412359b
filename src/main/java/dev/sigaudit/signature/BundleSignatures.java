package dev.sigaudit.signature;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.SignatureFormat;
import dev.sigaudit.registry.Descriptor;
import dev.sigaudit.registry.ImageManifest;
import dev.sigaudit.registry.Manifest;
import dev.sigaudit.registry.MediaTypes;
import dev.sigaudit.registry.OciSource;
import dev.sigaudit.registry.ReferrersAnswer;
import dev.sigaudit.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sigstore bundles stored as OCI 1.1 referrers of the image (cosign v3's default): listed by the <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers">referrers
 * API</a>, or — when the registry lacks it — by the index at the <a
 * href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema">fallback
 * tag</a> {@code sha256-<hex>}.
 *
 * <p>Referrers that are known not to be Sigstore bundles (SBOM documents, notation signatures:
 * their {@code artifactType} says so) are skipped without fetching. Each remaining one is fetched
 * by digest, must name this image as its {@code subject} (a referrer copied from another image
 * proves nothing about this one), and must carry a bundle layer.
 *
 * <p>Attestation bundles (a {@code predicateType} other than cosign's signing predicate) are kept
 * as candidates: which of them count is a question of the policy's reading, not of discovery.
 * Kyverno's {@code SigstoreBundle} rules and ImageValidatingPolicies accept an attestation by the
 * key as a signature, and an ImageValidatingPolicy stops reading {@code .sig} once any bundle
 * exists, so dropping them here made sigaudit disagree with the engine both ways. The verifier
 * rejects them for readings that want a signature ({@code BundleVerifier.checkStatement}).
 */
final class BundleSignatures {
  private final OciSource source;
  private final DiscoveryLimits limits;

  BundleSignatures(OciSource source, DiscoveryLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  void discover(ImageRef repo, Digest digest, Findings out) throws RegistryException {
    List<Descriptor> entries;
    SignatureFormat format;
    if (source.referrers(repo, digest) instanceof ReferrersAnswer.Supported s) {
      entries = s.manifests();
      format = SignatureFormat.BUNDLE_REFERRER;
      out.tokens.put(SignatureRoute.REFERRERS, apiState(entries));
    } else {
      Optional<Manifest> fallback;
      String tag = CosignFormats.referrersTag(digest);
      try {
        fallback = source.manifestByTag(repo, tag);
      } catch (IllegalArgumentException tooLongForATag) {
        out.note("bundles: " + digest.algorithm() + " digests have no valid fallback tag");
        return;
      }
      if (fallback.isEmpty()) {
        out.tokens.put(SignatureRoute.REFERRERS, SignatureState.ABSENT);
        return;
      }
      out.tokens.put(SignatureRoute.REFERRERS, "tag:" + fallback.get().digest());
      if (fallback.get().index().isEmpty()) {
        out.note(repo.name() + ":" + tag + " is not an index; ignored");
        return;
      }
      entries = fallback.get().index().orElseThrow().manifests();
      format = SignatureFormat.BUNDLE_FALLBACK_TAG;
    }
    List<Descriptor> candidates = new ArrayList<>();
    for (Descriptor e : entries) {
      if (mayBeSignatureBundle(e, out)) {
        candidates.add(e);
      }
    }
    if (candidates.size() > limits.maxEntries()) {
      out.note(
          candidates.size()
              + " possible bundle referrers; only the first "
              + limits.maxEntries()
              + " were read");
      candidates = candidates.subList(0, limits.maxEntries());
    }
    for (Descriptor d : candidates) {
      referrer(repo, digest, d, format, out);
    }
  }

  private static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";

  /**
   * A token for the set of referrers the API listed: any referrer added or removed changes it. The
   * referrers answer has no digest of its own (it is generated per request), so hash the sorted
   * entries.
   */
  static String apiState(List<Descriptor> entries) {
    String joined =
        entries.stream()
            .map(d -> d.digest() + "|" + d.artifactType().orElse(""))
            .sorted()
            .collect(java.util.stream.Collectors.joining("\n"));
    return "api:" + Digest.sha256(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
  }

  /** Decides from the descriptor alone, without a request, whether to look closer. */
  private static boolean mayBeSignatureBundle(Descriptor d, Findings out) {
    if (d.artifactType().isPresent()
        && !CosignFormats.isBundle(d.artifactType().get())
        // Some registries (go-containerregistry's) fill a referrer's artifactType from its config
        // media type, which is the empty descriptor for cosign bundles: undecided, so the
        // manifest itself decides.
        && !EMPTY_CONFIG.equals(d.artifactType().get())) {
      return false; // SBOM, notation signature, anything not a Sigstore bundle
    }
    if (MediaTypes.isIndex(d.mediaType())) {
      out.note("referrer " + d.digest() + " is an index; skipped");
      return false;
    }
    return true;
  }

  private void referrer(
      ImageRef repo, Digest subject, Descriptor d, SignatureFormat format, Findings out)
      throws RegistryException {
    String where = "referrer " + d.digest();
    Manifest manifest;
    try {
      manifest = source.manifest(repo, d.digest());
    } catch (RegistryException e) {
      if (e.kind() != RegistryException.Kind.NOT_FOUND) {
        throw e;
      }
      out.note(where + " is listed but missing; skipped");
      return;
    }
    Optional<ImageManifest> image = manifest.image();
    if (image.isEmpty()) {
      out.note(where + " is not an image manifest; skipped");
      return;
    }
    ImageManifest m = image.get();
    if (!isBundleManifest(m)) {
      if (d.artifactType().isPresent()) {
        out.note(where + " was listed as a bundle but is not one; skipped");
      }
      return;
    }
    Optional<Digest> named = m.subject().map(Descriptor::digest);
    if (!named.map(subject::equals).orElse(false)) {
      out.note(
          where
              + " has subject "
              + named.map(Digest::toString).orElse("(none)")
              + ", not "
              + subject
              + "; skipped");
      return;
    }
    List<Descriptor> bundleLayers =
        m.layers().stream().filter(l -> CosignFormats.isBundle(l.mediaType())).toList();
    if (bundleLayers.isEmpty()) {
      out.note(where + " has no bundle layer; skipped");
      return;
    }
    for (Descriptor layer : bundleLayers) {
      if (layer.size() > limits.maxBlobBytes()) {
        out.note(
            where + " bundle layer declares " + layer.size() + " bytes, over the limit; skipped");
        continue;
      }
      Blobs.fetchOrNote(source, repo, layer.digest(), limits, where, out)
          .ifPresent(b -> out.add(new SignatureCandidate.Bundle(manifest.digest(), b, format)));
    }
  }

  /** The manifest's artifactType, or (older writers) its config media type, names a bundle. */
  private static boolean isBundleManifest(ImageManifest m) {
    if (m.artifactType().isPresent()) {
      return CosignFormats.isBundle(m.artifactType().get());
    }
    return m.config().map(c -> CosignFormats.isBundle(c.mediaType())).orElse(false);
  }
}
