package dev.sigaudit.scan;

import dev.sigaudit.model.Digest;
import dev.sigaudit.model.ImageRef;

/** Resolves a tag to the digest it points at now (for containers that report no imageID yet). */
public interface TagResolver {

  /**
   * @throws TagResolutionException with the cause when the registry cannot answer
   */
  Digest resolve(ImageRef image) throws TagResolutionException;

  /** A tag could not be resolved; the message says why. */
  final class TagResolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    public TagResolutionException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
