package dev.sigaudit.registry;

import java.util.Locale;
import java.util.Set;

/**
 * Manifest media types this client asks for and understands (<a
 * href="https://github.com/opencontainers/image-spec/blob/main/media-types.md">OCI image spec media
 * types</a> plus the Docker v2 schema 2 ones registries still serve).
 */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /**
   * The {@code Accept} header of every manifest request. All four are listed because registries
   * answer 404 (not 406) when the stored type is not accepted — Distribution does so even for a
   * fetch by digest.
   */
  static final String MANIFEST_ACCEPT =
      String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  private static final Set<String> IMAGES = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return mediaType != null && INDEXES.contains(mediaType);
  }

  public static boolean isImageManifest(String mediaType) {
    return mediaType != null && IMAGES.contains(mediaType);
  }

  /** {@code application/json; charset=utf-8} → {@code application/json}; null stays null. */
  static String essence(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }
}
