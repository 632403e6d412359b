package dev.sigaudit.signature;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.registry.Descriptor;
import dev.sigaudit.registry.ImageManifest;
import dev.sigaudit.registry.Manifest;
import dev.sigaudit.registry.OciSource;
import dev.sigaudit.registry.RegistryException;
import dev.sigaudit.registry.Untrusted;
import java.util.List;
import java.util.Optional;

/**
 * Cosign's legacy layout: one manifest at tag {@code sha256-<hex>.sig}, one layer per signature;
 * the layer blob is the signed payload, the signature and its evidence are layer annotations. Costs
 * one request when there is no such tag, plus one blob GET per signature.
 */
final class LegacySignatures {
  private final OciSource source;
  private final DiscoveryLimits limits;

  LegacySignatures(OciSource source, DiscoveryLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  void discover(ImageRef repo, Digest digest, Findings out) throws RegistryException {
    String tag = CosignFormats.legacyTag(digest);
    Optional<Manifest> found;
    try {
      found = source.manifestByTag(repo, tag);
    } catch (IllegalArgumentException tooLongForATag) {
      out.note("legacy signatures: " + digest.algorithm() + " digests have no valid .sig tag");
      return;
    }
    if (found.isEmpty()) {
      out.tokens.put(SignatureRoute.LEGACY_TAG, SignatureState.ABSENT);
      return;
    }
    Manifest manifest = found.get();
    out.tokens.put(SignatureRoute.LEGACY_TAG, "sig:" + manifest.digest());
    String where = repo.name() + ":" + tag;
    if (manifest.image().isEmpty()) {
      out.note(where + " is not an image manifest (" + clean(manifest.mediaType()) + "); ignored");
      return;
    }
    List<Descriptor> layers = manifest.image().map(ImageManifest::layers).orElseThrow();
    if (layers.size() > limits.maxEntries()) {
      out.note(
          where
              + " has "
              + layers.size()
              + " layers; only the first "
              + limits.maxEntries()
              + " were read");
      layers = layers.subList(0, limits.maxEntries());
    }
    for (int i = 0; i < layers.size(); i++) {
      layer(repo, manifest.digest(), where + " layer " + i, layers.get(i), out);
    }
  }

  private void layer(ImageRef repo, Digest manifest, String where, Descriptor layer, Findings out)
      throws RegistryException {
    if (!CosignFormats.SIMPLESIGNING.equals(layer.mediaType())) {
      out.note(where + " has media type " + clean(layer.mediaType()) + "; skipped");
      return;
    }
    Optional<String> signature = layer.annotation(CosignFormats.SIGNATURE_ANNOTATION);
    if (signature.isEmpty() || signature.get().isBlank()) {
      out.note(where + " has no " + CosignFormats.SIGNATURE_ANNOTATION + " annotation; skipped");
      return;
    }
    if (layer.size() > limits.maxBlobBytes()) {
      out.note(where + " declares " + layer.size() + " bytes, over the limit; skipped");
      return;
    }
    Optional<byte[]> payload = Blobs.fetchOrNote(source, repo, layer.digest(), limits, where, out);
    payload.ifPresent(
        p ->
            out.add(
                new SignatureCandidate.Legacy(
                    manifest,
                    p,
                    signature.get(),
                    layer.annotation(CosignFormats.CERTIFICATE_ANNOTATION),
                    layer.annotation(CosignFormats.CHAIN_ANNOTATION),
                    layer.annotation(CosignFormats.REKOR_BUNDLE_ANNOTATION),
                    layer.annotation(CosignFormats.RFC3161_ANNOTATION))));
  }

  private static String clean(String registryText) {
    return registryText.isEmpty() ? "(none)" : Untrusted.text(registryText, 100);
  }
}
