package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.registry.RegistryClient;
import dev.sigaudit.registry.RegistryException;
import dev.sigaudit.signature.Discovery;
import dev.sigaudit.signature.SignatureDiscovery;

/** Signature lookup and tag resolution against real registries. */
public final class RegistrySignatureLookup implements SignatureLookup, TagResolver {
  private final RegistryClient registry;
  private final SignatureDiscovery discovery;

  public RegistrySignatureLookup(RegistryClient registry) {
    this.registry = registry;
    this.discovery = new SignatureDiscovery(registry);
  }

  @Override
  public Lookup find(ImageRef repository, Digest digest) {
    return switch (discovery.discover(repository, digest)) {
      case Discovery.Found f -> new Lookup.Found(f.candidates());
      case Discovery.Failed f ->
          f.candidates().isEmpty()
              ? new Lookup.Failed(f.message())
              : new Lookup.Partial(f.candidates(), f.message());
    };
  }

  @Override
  public Digest resolve(ImageRef image) throws TagResolutionException {
    try {
      return registry.resolveTag(image);
    } catch (RegistryException e) {
      throw new TagResolutionException(e.getMessage(), e);
    }
  }
}
