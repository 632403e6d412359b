package dev.sigaudit.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * How fast the JVM sigaudit ships (its {@link ScaleRun#PRODUCT_JVM_FLAGS}) encrypts with the two
 * TLS 1.3 AEADs, against the JVM's default JIT, in one run (decision 0008). Not part of the suite
 * (its name does not end in Test or IT):
 *
 * <pre>
 * mvn -B -ntp test -Dtest=CipherBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class CipherBenchmark {
  @Test
  void aesGcmAgainstChaCha20Poly1305() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (List<String> flags : List.of(ScaleRun.PRODUCT_JVM_FLAGS, List.<String>of())) {
      List<String> cmd = new ArrayList<>(List.of(java));
      cmd.addAll(flags);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      System.out.print(
          (flags.isEmpty() ? "default JIT (C1+C2)" : String.join(" ", flags)) + ":\n" + out);
    }
  }

  /** Encrypts 16 KiB records (TLS's largest) for a few seconds with each AEAD, twice. */
  public static final class Main {
    public static void main(String[] args) throws Exception {
      byte[] record = new byte[16 * 1024];
      for (int round = 1; round <= 2; round++) {
        for (String alg : List.of("AES/GCM/NoPadding", "ChaCha20-Poly1305")) {
          boolean aes = alg.startsWith("AES");
          var key = new SecretKeySpec(new byte[aes ? 16 : 32], aes ? "AES" : "ChaCha20");
          Cipher c = Cipher.getInstance(alg);
          long bytes = 0;
          long t0 = System.nanoTime();
          for (int i = 0; System.nanoTime() - t0 < 2_000_000_000L; i++) {
            byte[] iv = new byte[12];
            iv[0] = (byte) i;
            iv[1] = (byte) (i >> 8);
            iv[2] = (byte) (i >> 16);
            if (aes) {
              c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            } else {
              c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            }
            bytes += c.doFinal(record).length;
          }
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf("  round %d  %-18s %6.1f MB/s%n", round, alg, bytes / 1e6 / s);
        }
      }
    }
  }
}
