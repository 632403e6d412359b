package dev.sigaudit.testenv;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.sigaudit.model.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Pushes small, unique images to a test registry with jib-core. */
public final class TestImages {
  private TestImages() {}

  /** A pushed image: {@code registry/repository:tag} and its manifest digest. */
  public record Pushed(String registry, String repository, String tag, Digest digest) {
    /** {@code registry/repository@sha256:…}, the form cosign signs. */
    public String byDigest() {
      return registry + "/" + repository + "@" + digest;
    }

    public String byTag() {
      return registry + "/" + repository + ":" + tag;
    }

    /** What a container runtime reports in {@code status.containerStatuses[].imageID}. */
    public String imageId() {
      return registry + "/" + repository + "@" + digest;
    }
  }

  /** Pushes an OCI image with one unique layer, so every call yields a distinct digest. */
  public static Pushed push(OciRegistry registry, String repository, String tag) throws Exception {
    return push(registry.hostPort(), repository, tag);
  }

  /** Pushes to {@code hostPort} (a plain-HTTP registry, or a proxy in front of one). */
  public static Pushed push(String hostPort, String repository, String tag) throws Exception {
    Path dir = Files.createTempDirectory("sigaudit-image-");
    Path file = dir.resolve("content.txt");
    Files.writeString(file, "sigaudit test image " + UUID.randomUUID());
    String ref = hostPort + "/" + repository + ":" + tag;
    JibContainer c =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addLayer(List.of(file), AbsoluteUnixPath.get("/"))
            .containerize(
                Containerizer.to(RegistryImage.named(ImageReference.parse(ref)))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(dir.resolve("cache"))
                    .setApplicationLayersCache(dir.resolve("cache"))
                    .setToolName("sigaudit-tests"));
    return new Pushed(hostPort, repository, tag, Digest.parse(c.getDigest().toString()));
  }
}
