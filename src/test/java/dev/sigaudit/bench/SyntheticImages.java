package dev.sigaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.RegistryHttp;
import java.nio.charset.StandardCharsets;

/** Pushes small, distinct OCI images by HTTP: one shared layer, a unique config each. */
final class SyntheticImages {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A pushed image: its manifest digest and size. */
  record Image(String repo, String tag, Digest digest, long size) {}

  private SyntheticImages() {}

  static Image push(RegistryHttp reg, String repo, String tag, byte[] sharedLayer)
      throws Exception {
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"id\":\""
                + repo
                + ":"
                + tag
                + "\"}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
            .getBytes(StandardCharsets.UTF_8);
    Digest c = reg.putBlob(repo, config);
    Digest l = reg.putBlob(repo, sharedLayer);
    var m =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", RegistryHttp.OCI_MANIFEST);
    m.putObject("config")
        .put("mediaType", "application/vnd.oci.image.config.v1+json")
        .put("digest", c.toString())
        .put("size", config.length);
    m.putArray("layers")
        .addObject()
        .put("mediaType", "application/vnd.oci.image.layer.v1.tar")
        .put("digest", l.toString())
        .put("size", sharedLayer.length);
    byte[] manifest = JSON.writeValueAsBytes(m);
    Digest d = reg.putManifest(repo, tag, RegistryHttp.OCI_MANIFEST, manifest);
    return new Image(repo, tag, d, manifest.length);
  }
}
