package dev.sigaudit.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program (a real admission engine) in a fresh network namespace that has nothing but
 * loopback, so it cannot reach any network however it is configured, yet sees the test registries
 * at the very addresses the host uses ({@code 127.0.0.1:PORT}), so image references are
 * byte-identical inside and out.
 *
 * <p>A new network namespace cannot reach the host's loopback. Each registry port is bridged: on
 * the host a UNIX-domain socket (a file, which crosses network namespaces) forwards every
 * connection to {@code 127.0.0.1:PORT}; inside the namespace {@code socat} listens on {@code
 * 127.0.0.1:PORT} and connects each client to that socket. The namespace also gets its own PID
 * namespace, so when the program ends (or is killed) its {@code socat}s end with it.
 */
public final class OfflineSandbox implements AutoCloseable {
  private final Path dir;
  private final Map<Integer, Path> sockets = new LinkedHashMap<>();
  private final List<ServerSocketChannel> listeners = new ArrayList<>();

  private OfflineSandbox(Path dir) {
    this.dir = dir;
  }

  /** Bridges each {@code 127.0.0.1:PORT} into the sandboxes this object starts. */
  public static OfflineSandbox bridging(List<String> hostPorts) throws IOException {
    // UNIX socket paths are limited to 108 bytes: keep them short, under /tmp.
    OfflineSandbox s = new OfflineSandbox(Files.createTempDirectory(Path.of("/tmp"), "sa-netns-"));
    for (String hp : hostPorts) {
      if (!hp.startsWith("127.0.0.1:")) {
        throw new IllegalArgumentException("only loopback registries can be bridged: " + hp);
      }
      s.bridge(Integer.parseInt(hp.substring("127.0.0.1:".length())));
    }
    return s;
  }

  private void bridge(int port) throws IOException {
    Path sock = dir.resolve(port + ".sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    listeners.add(server);
    sockets.put(port, sock);
    Thread.ofVirtual()
        .name("netns-bridge-" + port)
        .start(
            () -> {
              while (server.isOpen()) {
                try {
                  SocketChannel inside = server.accept();
                  Thread.ofVirtual().start(() -> forward(inside, port));
                } catch (IOException e) {
                  return; // closed
                }
              }
            });
  }

  private static void forward(SocketChannel inside, int port) {
    try (inside;
        SocketChannel host = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      Thread back = Thread.ofVirtual().start(() -> pump(host, inside));
      pump(inside, host);
      back.join();
    } catch (IOException | InterruptedException e) {
      // the peer went away; nothing to clean up beyond the channels
    }
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          to.write(buf);
        }
        buf.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      try {
        to.close();
        from.close();
      } catch (IOException ignored) {
        // already closing
      }
    }
  }

  /** What one sandboxed program returned and printed. */
  public record Run(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code command} in a new network and PID namespace with only loopback and the bridged
   * ports, with {@code HOME} set to {@code home} and an otherwise empty environment besides {@code
   * env} and {@code PATH}.
   */
  public Run run(List<String> command, Path home, Map<String, String> env, Duration timeout)
      throws IOException {
    StringBuilder script = new StringBuilder("ip link set lo up || exit 97\n");
    sockets.forEach(
        (port, sock) ->
            script
                .append("socat TCP-LISTEN:")
                .append(port)
                .append(",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:")
                .append(sock)
                .append(" &\n"));
    // Wait until every bridge listens (state 0A in /proc/net/tcp, which is per namespace).
    sockets
        .keySet()
        .forEach(
            port ->
                script
                    .append("n=0; until grep -q ':")
                    .append(String.format("%04X", port))
                    .append(" 00000000:0000 0A' /proc/net/tcp; do n=$((n+1));")
                    .append(" [ $n -gt 200 ] && exit 98; sleep 0.02; done\n"));
    script.append("\"$@\"\n");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "unshare",
                "--net",
                "--pid",
                "--fork",
                "--kill-child",
                "sh",
                "-c",
                script.toString(),
                "sandbox"));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IOException(
            command + " timed out after " + timeout + ":\n" + Files.readString(err));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    Run r =
        new Run(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    if (r.exitCode() == 97 || r.exitCode() == 98) {
      throw new IOException(
          "the sandbox did not come up (exit " + r.exitCode() + "): " + r.stderr());
    }
    return r;
  }

  /**
   * Proves the sandbox is offline: inside it, the only interface is {@code lo} and no address off
   * loopback has a route (asking the kernel for a route sends nothing).
   */
  public void requireOffline(Path home) throws IOException {
    Run links = run(List.of("ip", "-o", "link", "show"), home, Map.of(), Duration.ofSeconds(30));
    for (String line : links.stdout().strip().split("\n")) {
      if (!line.matches("\\d+: lo: .*")) {
        throw new IllegalStateException("the sandbox has an interface besides lo: " + line);
      }
    }
    for (String target : List.of("192.0.2.1", "1.1.1.1", "10.0.0.1")) {
      Run route =
          run(List.of("ip", "route", "get", target), home, Map.of(), Duration.ofSeconds(30));
      if (route.exitCode() == 0) {
        throw new IllegalStateException(
            "the sandbox has a route to " + target + ": " + route.stdout());
      }
    }
    Run v6 =
        run(
            List.of("ip", "-6", "route", "get", "2001:db8::1"),
            home,
            Map.of(),
            Duration.ofSeconds(30));
    if (v6.exitCode() == 0) {
      throw new IllegalStateException("the sandbox has an IPv6 route: " + v6.stdout());
    }
  }

  @Override
  public void close() {
    for (ServerSocketChannel l : listeners) {
      try {
        l.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    sockets.values().forEach(s -> s.toFile().delete());
    dir.toFile().delete();
  }
}
