package dev.sigaudit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.verify.testing.BundleBuilder;
import dev.sigaudit.verify.testing.LegacySignatureBuilder;
import dev.sigaudit.verify.testing.TestKey;
import java.nio.charset.StandardCharsets;

/**
 * Publishes signatures in exactly the shapes cosign writes (formats.md §1, §2), without running
 * cosign once per image: the scale benchmark needs thousands. {@code SignerCompatibilityIT} proves
 * that {@code cosign verify --key} accepts what this writes.
 */
public final class TestSigner {
  static final String SIMPLESIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
  static final String BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
  static final String EMPTY = "application/vnd.oci.empty.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TestKey key;

  TestSigner(TestKey key) {
    this.key = key;
  }

  /** A legacy signature: one simplesigning layer in the {@code sha256-<hex>.sig} manifest. */
  void signLegacy(RegistryHttp reg, String host, String repo, Digest image) throws Exception {
    publishLegacy(
        reg,
        repo,
        image,
        LegacySignatureBuilder.forImage(image)
            .dockerReference(host + "/" + repo)
            .signedBy(key)
            .build());
  }

  /**
   * Publishes a prepared legacy candidate (keyed or keyless) as cosign does: the payload as the
   * layer, the signature, certificate, chain and Rekor bundle as its annotations.
   */
  public static void publishLegacy(
      RegistryHttp reg, String repo, Digest image, SignatureCandidate.Legacy sig) throws Exception {
    byte[] payload = sig.payload();
    Digest config = reg.putBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
    Digest layer = reg.putBlob(repo, payload);
    ObjectNode m = manifest(config, "application/vnd.oci.image.config.v1+json", 2);
    ObjectNode l = ((ArrayNode) m.get("layers")).addObject();
    l.put("mediaType", SIMPLESIGNING).put("digest", layer.toString()).put("size", payload.length);
    ObjectNode a = l.putObject("annotations");
    a.put("dev.cosignproject.cosign/signature", sig.signatureBase64());
    sig.certificatePem().ifPresent(c -> a.put("dev.sigstore.cosign/certificate", c));
    sig.chainPem().ifPresent(c -> a.put("dev.sigstore.cosign/chain", c));
    sig.rekorBundle().ifPresent(b -> a.put("dev.sigstore.cosign/bundle", b));
    sig.rfc3161Timestamp().ifPresent(t -> a.put("dev.sigstore.cosign/rfc3161timestamp", t));
    reg.putManifest(
        repo, image.tagForm() + ".sig", RegistryHttp.OCI_MANIFEST, JSON.writeValueAsBytes(m));
  }

  /**
   * A cosign v3 bundle manifest whose subject is the image. With {@code fallbackTag}, also the
   * {@code sha256-<hex>} index that registries without the referrers API need.
   */
  void signBundle(RegistryHttp reg, String repo, Digest image, long imageSize, boolean fallbackTag)
      throws Exception {
    publishBundle(
        reg,
        repo,
        image,
        imageSize,
        BundleBuilder.forImage(image).signedBy(key).json(),
        fallbackTag);
  }

  /** Publishes a prepared bundle (keyed or keyless) as a referrer of the image. */
  public static void publishBundle(
      RegistryHttp reg,
      String repo,
      Digest image,
      long imageSize,
      byte[] bundle,
      boolean fallbackTag)
      throws Exception {
    Digest config = reg.putBlob(repo, "{}".getBytes(StandardCharsets.UTF_8));
    Digest layer = reg.putBlob(repo, bundle);
    ObjectNode m = manifest(config, EMPTY, 2);
    m.put("artifactType", BUNDLE);
    ((ArrayNode) m.get("layers"))
        .addObject()
        .put("mediaType", BUNDLE)
        .put("digest", layer.toString())
        .put("size", bundle.length);
    m.putObject("subject")
        .put("mediaType", RegistryHttp.OCI_MANIFEST)
        .put("digest", image.toString())
        .put("size", imageSize);
    m.putObject("annotations")
        .put("dev.sigstore.bundle.content", "dsse-envelope")
        .put("dev.sigstore.bundle.predicateType", "https://sigstore.dev/cosign/sign/v1");
    byte[] manifest = JSON.writeValueAsBytes(m);
    Digest md =
        reg.putManifest(
            repo, Digest.sha256(manifest).toString(), RegistryHttp.OCI_MANIFEST, manifest);
    if (fallbackTag) {
      ObjectNode index =
          JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", RegistryHttp.OCI_INDEX);
      index
          .putArray("manifests")
          .addObject()
          .put("mediaType", RegistryHttp.OCI_MANIFEST)
          .put("digest", md.toString())
          .put("size", manifest.length)
          .put("artifactType", BUNDLE);
      reg.putManifest(repo, image.tagForm(), RegistryHttp.OCI_INDEX, JSON.writeValueAsBytes(index));
    }
  }

  private static ObjectNode manifest(Digest config, String configType, long configSize) {
    ObjectNode m =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", RegistryHttp.OCI_MANIFEST);
    m.putObject("config")
        .put("mediaType", configType)
        .put("digest", config.toString())
        .put("size", configSize);
    m.putArray("layers");
    return m;
  }
}
