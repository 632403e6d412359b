package dev.sigaudit.cli;

import dev.sigaudit.io.ChaChaFirst;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.ConnectionSpec;

/**
 * Builds the Kubernetes client the way kubectl finds its cluster: an explicit {@code --kubeconfig};
 * else, inside a Pod, the in-cluster ServiceAccount; else {@code $KUBECONFIG} or {@code
 * ~/.kube/config}.
 */
final class KubeClients {
  private KubeClients() {}

  static ApiClient create(Path kubeconfig, String context) throws IOException {
    ApiClient client;
    if (kubeconfig != null) {
      client = fromFile(kubeconfig, context);
    } else if (System.getenv("KUBERNETES_SERVICE_HOST") != null && context == null) {
      client = ClientBuilder.cluster().build();
    } else {
      String env = System.getenv("KUBECONFIG");
      Path file =
          env != null && !env.isBlank()
              ? Path.of(env.split(java.io.File.pathSeparator)[0])
              : Path.of(System.getProperty("user.home"), ".kube", "config");
      if (!Files.isRegularFile(file)) {
        throw new IOException(
            "no cluster configuration: not in a Pod, and no kubeconfig at "
                + file
                + " (use --kubeconfig)");
      }
      client = fromFile(file, context);
    }
    preferChaCha20(client);
    // Listing 500 Pods per page can take a while on a large cluster.
    client.setReadTimeout(120_000);
    return client;
  }

  /**
   * Offers ChaCha20-Poly1305 first to the apiserver ({@link ChaChaFirst}: AES-GCM is slow Java code
   * in sigaudit's C1-only JVM, and every Pod list and PolicyReport crosses this TLS). Trust,
   * credentials and everything else client-java configured stay as they are; a plain-HTTP server
   * still works.
   */
  static void preferChaCha20(ApiClient client) {
    client.setHttpClient(
        client
            .getHttpClient()
            .newBuilder()
            .connectionSpecs(List.of(ChaChaFirst.modernTls(), ConnectionSpec.CLEARTEXT))
            .build());
  }

  private static ApiClient fromFile(Path file, String context) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("kubeconfig " + file + " does not exist or is not a file");
    }
    KubeConfig kc;
    try (Reader r = Files.newBufferedReader(file)) {
      kc = KubeConfig.loadKubeConfig(r);
    } catch (IOException | RuntimeException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof MalformedInputException) {
          throw new IOException("kubeconfig " + file + " is not a kubeconfig: not UTF-8 text");
        }
      }
      // The YAML parser's message names a line and column, not the file or what it is.
      throw new IOException("kubeconfig " + file + " is not a kubeconfig: " + firstLine(e), e);
    }
    if (kc == null || kc.getServer() == null && context == null) {
      throw new IOException(
          "kubeconfig "
              + file
              + " is not a kubeconfig: no current-context naming a cluster with a server");
    }
    kc.setFile(file.toFile());
    if (context != null && !kc.setContext(context)) {
      throw new IOException("context '" + context + "' not found in kubeconfig " + file);
    }
    try {
      return ClientBuilder.kubeconfig(kc).build();
    } catch (IOException | RuntimeException e) {
      throw new IOException("kubeconfig " + file + " cannot be used: " + firstLine(e), e);
    }
  }

  /** The first line of an exception's message (parsers add a snippet of the input after it). */
  private static String firstLine(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    m = m.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }
}
