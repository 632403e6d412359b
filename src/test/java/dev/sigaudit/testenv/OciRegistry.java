package dev.sigaudit.testenv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real OCI registry on a loopback port: Debian's Distribution 2.8 ({@code docker-registry}, no
 * referrers API) or go-containerregistry's in-memory registry with the OCI 1.1 referrers API.
 */
public final class OciRegistry {
  private final String name;
  private final String hostPort;
  private final boolean referrersApi;
  private final ManagedProcess process;

  private OciRegistry(String name, String hostPort, boolean referrersApi, ManagedProcess process) {
    this.name = name;
    this.hostPort = hostPort;
    this.referrersApi = referrersApi;
    this.process = process;
  }

  static OciRegistry distribution(Path binary, Path workDir, Path logDir) throws IOException {
    int port = FreePort.pick();
    Path storage = Files.createDirectories(workDir.resolve("distribution-" + port));
    Path config = workDir.resolve("distribution-" + port + ".yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log: {level: warn}
        storage: {filesystem: {rootdirectory: %s}, delete: {enabled: true}}
        http: {addr: 127.0.0.1:%d}
        """
            .formatted(storage, port));
    ManagedProcess p =
        ManagedProcess.start(
            "distribution-" + port,
            List.of(binary.toString(), "serve", config.toString()),
            logDir,
            Map.of());
    OciRegistry r = new OciRegistry("distribution", "127.0.0.1:" + port, false, p);
    p.awaitReady(Duration.ofSeconds(30), () -> Http.answers200(r.url() + "/v2/"));
    return r;
  }

  /**
   * Distribution with htpasswd authentication: anonymous requests get 401, the answer a registry
   * gives when a pull secret is missing or wrong.
   */
  static OciRegistry distributionWithAuth(
      Path binary, Path workDir, Path logDir, String user, String password) throws IOException {
    int port = FreePort.pick();
    Path storage = Files.createDirectories(workDir.resolve("distribution-auth-" + port));
    Path htpasswd = workDir.resolve("htpasswd-" + port);
    byte[] salt = new byte[16];
    new java.security.SecureRandom().nextBytes(salt);
    Files.writeString(
        htpasswd,
        user
            + ":"
            + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate(
                "2a", password.toCharArray(), salt, 6)
            + "\n");
    Path config = workDir.resolve("distribution-auth-" + port + ".yml");
    Files.writeString(
        config,
        """
        version: 0.1
        log: {level: warn}
        storage: {filesystem: {rootdirectory: %s}}
        http: {addr: 127.0.0.1:%d}
        auth: {htpasswd: {realm: sigaudit-test, path: %s}}
        """
            .formatted(storage, port, htpasswd));
    ManagedProcess p =
        ManagedProcess.start(
            "distribution-auth-" + port,
            List.of(binary.toString(), "serve", config.toString()),
            logDir,
            Map.of());
    OciRegistry r = new OciRegistry("distribution-htpasswd", "127.0.0.1:" + port, false, p);
    p.awaitReady(Duration.ofSeconds(30), () -> Http.status(r.url() + "/v2/") == 401);
    return r;
  }

  static OciRegistry withReferrers(Path binary, Path logDir) throws IOException {
    int port = FreePort.pick();
    ManagedProcess p =
        ManagedProcess.start(
            "ocireg-" + port,
            List.of(binary.toString(), "-addr", "127.0.0.1:" + port),
            logDir,
            Map.of());
    OciRegistry r = new OciRegistry("ggcr-referrers", "127.0.0.1:" + port, true, p);
    p.awaitReady(Duration.ofSeconds(30), () -> Http.answers200(r.url() + "/v2/"));
    return r;
  }

  /** The registry's own log (Distribution logs every request). */
  public java.nio.file.Path log() {
    return process.log();
  }

  /** {@code 127.0.0.1:PORT}, the registry part of image references. */
  public String hostPort() {
    return hostPort;
  }

  public String url() {
    return "http://" + hostPort;
  }

  /** Whether {@code GET /v2/<name>/referrers/<digest>} is implemented. */
  public boolean hasReferrersApi() {
    return referrersApi;
  }

  @Override
  public String toString() {
    return name + "@" + hostPort;
  }

  /** Stops the process(es); only the test environment calls this, at the end of the run. */
  void stop() {
    process.close();
  }
}
