package dev.sigaudit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The container image, built by the pom's own jib-maven-plugin configuration ({@code mvn
 * jib:build}). No base image can be pulled here, so the test makes one: a JRE linked with jlink
 * from the build JDK, pushed to the local registry, and passed as {@code -Dimage.base}. Proven: the
 * build works, it is reproducible (same digest twice), the image runs as a non-root user and starts
 * sigaudit's main class. Not proven here: the pinned distroless base itself.
 */
@RealEnvironment
class ContainerImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theImageBuildsReproduciblyRunsAsNonRootAndStartsSigaudit(TestEnvironment env)
      throws Exception {
    OciRegistry registry = env.distributionRegistry();
    Path dir = env.newDirectory("image-");
    String base = pushLocalBase(registry, dir);

    String target = registry.hostPort() + "/sigaudit/sigaudit:it";
    Digest first = jibBuild(base, target, dir);
    Digest second = jibBuild(base, target, dir);
    assertThat(second).as("same inputs, same image").isEqualTo(first);

    RegistryHttp http = new RegistryHttp(registry);
    JsonNode manifest =
        JSON.readTree(
            http.manifest(
                "sigaudit/sigaudit",
                first.toString(),
                "application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json"));
    JsonNode config =
        JSON.readTree(
            http.blob(
                "sigaudit/sigaudit",
                Digest.parse(manifest.path("config").path("digest").asText())));
    assertThat(config.path("config").path("User").asText()).isEqualTo("65532:65532");
    assertThat(config.path("config").path("Entrypoint").toString())
        .contains("dev.sigaudit.cli.Main")
        .contains("java");
    assertThat(
            config.path("config").path("Labels").path("org.opencontainers.image.version").asText())
        .isNotBlank();
    assertThat(config.path("created").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(manifest.path("layers").size())
        .as("base + dependencies + resources + classes")
        .isGreaterThanOrEqualTo(3);

    // The image's own files start sigaudit: unpack every layer and run its entrypoint's java with
    // the image's classpath, rooted in the unpacked directory (no container runtime here).
    Path root = Files.createDirectories(dir.resolve("rootfs"));
    for (JsonNode layer : manifest.path("layers")) {
      Path tgz = dir.resolve("layer.tgz");
      Files.write(tgz, http.blob("sigaudit/sigaudit", Digest.parse(layer.path("digest").asText())));
      run(root, List.of("tar", "-xzf", tgz.toString()));
    }
    String classpath =
        Files.readString(root.resolve("app/jib-classpath-file"))
            .trim()
            .replace("/app/", root + "/app/");
    Process p =
        new ProcessBuilder(
                root.resolve("opt/java/bin/java").toString(),
                "-cp",
                classpath,
                "dev.sigaudit.cli.Main",
                "scan",
                "--help")
            .redirectErrorStream(true)
            .start();
    String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(help).isZero();
    assertThat(help).contains("Usage: sigaudit scan").contains("--pull-secrets");
  }

  /** A minimal Java runtime image made here: jlink's output under /opt/java, on the PATH. */
  private static String pushLocalBase(OciRegistry registry, Path dir) throws Exception {
    Path jre = dir.resolve("jre");
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    run(
        dir,
        List.of(
            jlink.toString(),
            "--add-modules",
            "java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.unsupported,jdk.management,jdk.crypto.cryptoki",
            "--strip-debug",
            "--no-header-files",
            "--no-man-pages",
            "--output",
            jre.toString()));
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("jre");
    try (var files = Files.walk(jre)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        layer.addEntry(
            p,
            AbsoluteUnixPath.get("/opt/java/" + jre.relativize(p)),
            FilePermissions.fromPosixFilePermissions(Files.getPosixFilePermissions(p)),
            Instant.EPOCH);
      }
    }
    var base =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addFileEntriesLayer(layer.build())
            .addEnvironmentVariable("PATH", "/opt/java/bin:/usr/bin:/bin")
            .setUser("65532")
            .containerize(
                Containerizer.to(
                        RegistryImage.named(
                            ImageReference.parse(registry.hostPort() + "/sigaudit/base:local")))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(dir.resolve("cache"))
                    .setApplicationLayersCache(dir.resolve("cache")));
    return registry.hostPort() + "/sigaudit/base@" + base.getDigest();
  }

  private static Digest jibBuild(String base, String target, Path dir) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "mvn",
                "-B",
                "-q",
                "jib:build",
                "-Dimage.base=" + base,
                "-Dimage=" + target,
                "-Djib.allowInsecureRegistries=true",
                "-Djib.baseImageCache=" + dir.resolve("cache"),
                "-Djib.applicationCache=" + dir.resolve("app-cache")));
    run(Path.of("").toAbsolutePath(), cmd);
    return Digest.parse(
        Files.readString(Path.of("target", "jib-image.digest"), StandardCharsets.UTF_8).trim());
  }

  private static void run(Path workDir, List<String> cmd) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("timed out: %s", cmd).isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", cmd, out).isZero();
  }
}
