package dev.sigaudit.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import okhttp3.CipherSuite;
import okhttp3.ConnectionSpec;
import org.junit.jupiter.api.Test;

class ChaChaFirstTest {
  @Test
  void putsTheChaCha20SuitesFirstAndKeepsEveryOtherSuiteInItsOrder() {
    var suites =
        List.of(
            CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA);
    assertThat(ChaChaFirst.reorder(suites))
        .containsExactly(
            CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA);
  }

  @Test
  void offersExactlyOkHttpsModernSuitesAndVersionsOnlyInAnotherOrder() {
    ConnectionSpec spec = ChaChaFirst.modernTls();
    ConnectionSpec modern = ConnectionSpec.MODERN_TLS;
    assertThat(spec.cipherSuites()).containsExactlyInAnyOrderElementsOf(modern.cipherSuites());
    assertThat(spec.tlsVersions()).isEqualTo(modern.tlsVersions());
    assertThat(spec.isTls()).isTrue();
    assertThat(spec.cipherSuites().get(0)).isEqualTo(CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
    assertThat(modern.cipherSuites().get(0).javaName())
        .as("OkHttp's own first choice")
        .contains("AES");
  }
}
