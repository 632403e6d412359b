package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.policy.VerificationRequest;
import java.util.Objects;

/**
 * One signature lookup: the signatures of {@code digest} stored in {@code repository}, read with
 * the credentials of {@code scope}. Each distinct key is looked up once per scan.
 *
 * @param repository where the signatures are stored, at {@code digest}
 * @param digest the image manifest digest the signatures must be for
 * @param scope the credential scope ({@link RegistryAccess#scopeOf})
 */
public record LookupKey(ImageRef repository, Digest digest, String scope) {
  public LookupKey {
    Objects.requireNonNull(repository);
    Objects.requireNonNull(digest);
    Objects.requireNonNull(scope);
  }

  /** Where {@code request}'s signatures are read: its signature repository, else the image's. */
  static LookupKey of(VerificationRequest request, String scope) {
    ImageRef repo = request.signatureRepository().orElse(request.image());
    Digest d = request.image().digest();
    return new LookupKey(repo.atDigest(d), d, scope);
  }

  /** {@code repository@digest}, for counting distinct digests. */
  String image() {
    return repository.name() + "@" + digest;
  }
}
