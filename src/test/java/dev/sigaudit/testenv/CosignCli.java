package dev.sigaudit.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code cosign} CLI, the reference signer and verifier sigaudit must agree with. Runs
 * with an empty key password and its own HOME, so nothing of the developer's is read or written.
 */
public final class CosignCli {
  private final Path binary;
  private final int major;
  private final Path home;

  CosignCli(Path binary, int major, Path home) {
    this.binary = binary;
    this.major = major;
    this.home = home;
  }

  public int major() {
    return major;
  }

  public Path binary() {
    return binary;
  }

  /** Result of one cosign invocation. */
  public record Run(int exitCode, String output) {
    public Run requireSuccess(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + output);
      }
      return this;
    }
  }

  /** Generates {@code <dir>/<name>.key} and {@code <dir>/<name>.pub} (P-256, empty password). */
  public Path generateKeyPair(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    run(dir, List.of("generate-key-pair", "--output-key-prefix", name))
        .requireSuccess("cosign generate-key-pair");
    return dir.resolve(name + ".pub");
  }

  /**
   * Signs {@code ref} (registry/repo@digest) with a key and no transparency log: cosign v2 writes a
   * legacy {@code .sig} manifest; cosign v3 writes a Sigstore bundle as an OCI 1.1 referrer (the
   * referrers API where the registry has it, else the {@code sha256-<hex>} fallback tag).
   */
  public Run sign(Path key, String ref, String... extra) throws IOException {
    return sign(Map.of(), key, ref, extra);
  }

  /** {@link #sign} with extra environment, e.g. {@code COSIGN_REPOSITORY}. */
  public Run sign(Map<String, String> env, Path key, String ref, String... extra)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("sign", "--yes", "--key", key.toString()));
    args.addAll(offlineFlags(true));
    args.addAll(List.of(extra));
    args.add(ref);
    return run(key.getParent(), args, env);
  }

  /**
   * Attests {@code ref} with a predicate file of the given {@code --type}, with a key and no
   * transparency log: cosign v2 writes a legacy {@code .att} manifest, cosign v3 a Sigstore bundle
   * (a DSSE in-toto statement) as an OCI 1.1 referrer.
   */
  public Run attest(Path key, Path predicate, String type, String ref) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "attest",
                "--yes",
                "--key",
                key.toString(),
                "--predicate",
                predicate.toString(),
                "--type",
                type));
    args.addAll(offlineFlags(true));
    args.add(ref);
    return run(key.getParent(), args);
  }

  /** {@code cosign verify --key} without a transparency log, the reference verdict. */
  public Run verify(Path publicKey, String ref) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("verify", "--key", publicKey.toString(), "--insecure-ignore-tlog"));
    args.addAll(offlineFlags(false));
    args.add(ref);
    return run(publicKey.getParent(), args);
  }

  /**
   * Flags that keep cosign off the network. v2: {@code --tlog-upload=false}. v3 refuses that flag
   * and instead takes a signing config without a transparency log, and a trusted root given as a
   * file (without one it tries to fetch the public-good root over TUF).
   */
  private List<String> offlineFlags(boolean signing) throws IOException {
    List<String> flags = new ArrayList<>(List.of("--allow-http-registry"));
    if (major == 2) {
      if (signing) {
        flags.add("--tlog-upload=false");
      }
      return flags;
    }
    Path root = home.resolve("empty_trusted_root.json");
    Files.writeString(
        root, "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\"}");
    flags.addAll(List.of("--trusted-root", root.toString()));
    if (signing) {
      Path config = home.resolve("signing_config_no_tlog.json");
      Files.writeString(
          config,
          "{\"mediaType\":\"application/vnd.dev.sigstore.signingconfig.v0.2+json\","
              + "\"rekorTlogConfig\":{},\"tsaConfig\":{}}");
      flags.addAll(List.of("--signing-config", config.toString()));
    }
    return flags;
  }

  /** Runs {@code cosign ARGS…} in {@code workDir}. */
  public Run run(Path workDir, List<String> args) throws IOException {
    return run(workDir, args, Map.of());
  }

  /** Runs {@code cosign ARGS…} in {@code workDir} with extra environment variables. */
  public Run run(Path workDir, List<String> args, Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().put("COSIGN_PASSWORD", "");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("COSIGN_YES", "true");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("cosign " + args + " timed out");
      }
      return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "cosign v" + major + " (" + binary + ")";
  }
}
