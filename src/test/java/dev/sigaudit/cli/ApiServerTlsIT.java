package dev.sigaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import io.kubernetes.client.openapi.apis.VersionApi;
import java.nio.file.Path;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The apiserver connection sigaudit builds: still verified against the kubeconfig's CA, and
 * negotiating ChaCha20-Poly1305 with the real apiserver (Go's TLS), the cheaper cipher for a
 * C1-only JVM (decision 0008).
 */
@RealEnvironment
class ApiServerTlsIT {

  @Test
  void theApiserverConnectionIsVerifiedAndNegotiatesChaCha20(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    Path kubeconfig = kube.writeAdminKubeconfig(env.newDirectory("tls-").resolve("kc"));
    var client = KubeClients.create(kubeconfig, null);

    try (Response r = new VersionApi(client).getCode().buildCall(null).execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.handshake()).isNotNull();
      assertThat(r.handshake().cipherSuite().javaName()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    }

    // client-java's own client, without the preference: Go's server picks AES-GCM for it where
    // the CPU has AES instructions (it prefers ChaCha20 for every client elsewhere), so the
    // assertion above is about sigaudit's choice, not the server's.
    var usual = io.kubernetes.client.util.Config.fromConfig(kubeconfig.toString());
    try (Response r = new VersionApi(usual).getCode().buildCall(null).execute()) {
      String suite = r.handshake().cipherSuite().javaName();
      if (cpuHasAes()) {
        assertThat(suite).contains("_AES_");
      } else {
        assertThat(suite).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
      }
    }
  }

  /** Whether the CPU advertises AES instructions (x86 {@code aes}, arm64 {@code aes}). */
  private static boolean cpuHasAes() throws java.io.IOException {
    return java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("flags") || l.startsWith("Features"))
        .anyMatch(
            l ->
                java.util.Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))
                    .contains("aes"));
  }
}
