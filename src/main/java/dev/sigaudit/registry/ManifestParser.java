package dev.sigaudit.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sigaudit.model.Digest;
import dev.sigaudit.registry.ManifestJson.DescriptorJson;
import dev.sigaudit.registry.ManifestJson.Document;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses manifest bytes into {@link ImageManifest} / {@link ImageIndex}. The bytes are already
 * digest-checked; parsing is strict about digests (they become URLs) and lenient about what we do
 * not use.
 */
final class ManifestParser {
  /**
   * Duplicate keys are rejected: two parsers reading {@code {"layers":[A],"layers":[B]}}
   * differently is how signature confusion bugs start.
   */
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** The content is not a manifest we can read; the message is safe to show. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  private ManifestParser() {}

  /**
   * @param contentType the response Content-Type; used only when the body names no media type
   */
  static Manifest parse(byte[] raw, String contentType, Digest digest) throws Malformed {
    Document doc = read(raw, Document.class, "manifest");
    String mediaType = doc.mediaType() != null ? doc.mediaType() : MediaTypes.essence(contentType);
    if (mediaType == null) {
      mediaType = "";
    }
    boolean index =
        MediaTypes.isIndex(mediaType)
            || (!MediaTypes.isImageManifest(mediaType) && doc.manifests() != null);
    boolean image =
        !index
            && (MediaTypes.isImageManifest(mediaType)
                || doc.layers() != null
                || doc.config() != null);
    ImageIndex idx = null;
    ImageManifest img = null;
    if (index) {
      idx = index(mediaType, doc);
    } else if (image) {
      img =
          new ImageManifest(
              mediaType,
              Optional.ofNullable(doc.artifactType()),
              optional(doc.config(), "config"),
              descriptors(doc.layers(), "layers"),
              optional(doc.subject(), "subject"),
              annotations(doc.annotations()));
    }
    return new Manifest(raw, mediaType, digest, img, idx);
  }

  /** A referrers API answer: an index we have no digest for. */
  static ImageIndex parseIndex(byte[] raw) throws Malformed {
    Document doc = read(raw, Document.class, "referrers index");
    return index(doc.mediaType() == null ? MediaTypes.OCI_INDEX : doc.mediaType(), doc);
  }

  private static ImageIndex index(String mediaType, Document doc) throws Malformed {
    return new ImageIndex(
        mediaType,
        Optional.ofNullable(doc.artifactType()),
        descriptors(doc.manifests(), "manifests"),
        optional(doc.subject(), "subject"),
        annotations(doc.annotations()));
  }

  private static <T> T read(byte[] raw, Class<T> type, String what) throws Malformed {
    try {
      T value = JSON.readValue(raw, type);
      if (value == null) {
        throw new Malformed(what + " is JSON null");
      }
      return value;
    } catch (JsonProcessingException e) {
      // Position only: parser messages quote content, which may be anything.
      var loc = e.getLocation();
      throw new Malformed(
          what
              + " is not valid JSON of the expected shape"
              + (loc == null
                  ? ""
                  : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
    } catch (IOException e) {
      throw new Malformed(what + " could not be read");
    }
  }

  private static List<Descriptor> descriptors(List<DescriptorJson> list, String field)
      throws Malformed {
    if (list == null) {
      return List.of();
    }
    List<Descriptor> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(descriptor(list.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  private static Optional<Descriptor> optional(DescriptorJson d, String field) throws Malformed {
    return d == null ? Optional.empty() : Optional.of(descriptor(d, field));
  }

  private static Descriptor descriptor(DescriptorJson d, String field) throws Malformed {
    if (d == null) {
      throw new Malformed(field + " is null");
    }
    Digest digest;
    try {
      digest = Digest.parse(d.digest());
    } catch (IllegalArgumentException e) {
      throw new Malformed(field + " has an invalid digest");
    }
    long size = d.size() == null ? -1 : d.size();
    if (d.size() != null && size < 0) {
      throw new Malformed(field + " has a negative size");
    }
    Optional<Platform> platform =
        Optional.ofNullable(d.platform())
            .map(
                p ->
                    new Platform(
                        p.architecture() == null ? "" : p.architecture(),
                        p.os() == null ? "" : p.os(),
                        Optional.ofNullable(p.variant()),
                        Optional.ofNullable(p.osVersion())));
    return new Descriptor(
        d.mediaType() == null ? "" : d.mediaType(),
        digest,
        size,
        Optional.ofNullable(d.artifactType()),
        annotations(d.annotations()),
        platform);
  }

  private static Map<String, String> annotations(Map<String, String> a) {
    if (a == null) {
      return Map.of();
    }
    Map<String, String> out = new java.util.HashMap<>();
    a.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            out.put(k, v);
          }
        });
    return out;
  }
}
