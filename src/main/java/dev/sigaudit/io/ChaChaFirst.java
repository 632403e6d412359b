package dev.sigaudit.io;

import java.util.ArrayList;
import java.util.List;
import okhttp3.CipherSuite;
import okhttp3.ConnectionSpec;

/**
 * OkHttp's modern TLS configuration with the ChaCha20-Poly1305 cipher suites offered before the
 * AES-GCM ones: the same suites and TLS versions as {@link ConnectionSpec#MODERN_TLS}, in another
 * order of preference (OkHttp sends its connection spec's order, not the socket's).
 *
 * <p>Why: sigaudit runs with C1 only ({@code -XX:TieredStopAtLevel=1}, docs/benchmarks.md), and the
 * JDK's AES and GHASH intrinsics are C2's, so AES-GCM runs as plain Java, several times slower than
 * ChaCha20-Poly1305 (decision 0008, {@code CryptoBenchmark}). Every byte of the Pod lists and of
 * the thousands of PolicyReports a cold scan writes crosses the apiserver's TLS. Go's TLS server
 * (the apiserver's) picks ChaCha20-Poly1305 when the client lists it first; a server that does not
 * offer it picks what it prefers of the rest, as before. Nothing is enabled or disabled.
 */
public final class ChaChaFirst {
  private ChaChaFirst() {}

  /** {@link ConnectionSpec#MODERN_TLS}, ChaCha20 first. */
  public static ConnectionSpec modernTls() {
    List<CipherSuite> suites = reorder(ConnectionSpec.MODERN_TLS.cipherSuites());
    return new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
        .cipherSuites(suites.toArray(CipherSuite[]::new))
        .build();
  }

  /** {@code suites} with those using ChaCha20 first, each group in its original order. */
  static List<CipherSuite> reorder(List<CipherSuite> suites) {
    List<CipherSuite> first = new ArrayList<>();
    List<CipherSuite> rest = new ArrayList<>();
    for (CipherSuite s : suites) {
      (s.javaName().contains("CHACHA20") ? first : rest).add(s);
    }
    first.addAll(rest);
    return first;
  }
}
