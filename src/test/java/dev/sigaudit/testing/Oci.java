package dev.sigaudit.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.model.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds manifest and index JSON for fixtures. */
public final class Oci {
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String SIMPLESIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Oci() {}

  public static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", mediaType);
    d.put("digest", digest.toString());
    d.put("size", size);
    return d;
  }

  public static Map<String, Object> descriptor(String mediaType, byte[] content) {
    return descriptor(mediaType, Digest.sha256(content), content.length);
  }

  /** A fluent manifest/index builder. */
  public static Builder manifest() {
    return new Builder(MANIFEST);
  }

  public static Builder index() {
    return new Builder(INDEX);
  }

  public static final class Builder {
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final List<Object> items = new ArrayList<>();

    private Builder(String mediaType) {
      root.put("schemaVersion", 2);
      root.put("mediaType", mediaType);
    }

    public Builder artifactType(String type) {
      root.put("artifactType", type);
      return this;
    }

    public Builder config(Map<String, Object> descriptor) {
      root.put("config", descriptor);
      return this;
    }

    /** Adds a layer (manifest) or an entry (index). */
    public Builder add(Map<String, Object> descriptor) {
      items.add(descriptor);
      return this;
    }

    public Builder subject(Digest digest) {
      root.put("subject", descriptor(MANIFEST, digest, 1234));
      return this;
    }

    public Builder annotations(Map<String, String> annotations) {
      root.put("annotations", annotations);
      return this;
    }

    public byte[] build() {
      Map<String, Object> out = new LinkedHashMap<>(root);
      boolean index = INDEX.equals(root.get("mediaType"));
      out.put(index ? "manifests" : "layers", items);
      try {
        return JSON.writeValueAsBytes(out);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A descriptor with extra fields. */
  public static Map<String, Object> with(Map<String, Object> d, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(d);
    copy.put(key, value);
    return copy;
  }
}
