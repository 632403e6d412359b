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
 * How fast the JVM sigaudit ships (its {@link ScaleRun#PRODUCT_JVM_FLAGS}) runs the cryptography a
 * scan spends its CPU on, against the JVM's default JIT, in one run: the two TLS 1.3 AEADs
 * (decision 0008) and a P-256 ECDSA verification by the JDK and by BouncyCastle (decision 0002).
 * Not part of the suite (its name does not end in Test or IT):
 *
 * <pre>
 * mvn -B -ntp test -Dtest=CryptoBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class CryptoBenchmark {
  @Test
  void aeadsAndEcdsaVerification() throws Exception {
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

  /**
   * Encrypts 16 KiB records (TLS's largest) for two seconds with each AEAD, then verifies one P-256
   * signature over and over with each ECDSA implementation; all twice.
   */
  public static final class Main {
    public static void main(String[] args) throws Exception {
      var keys = java.security.KeyPairGenerator.getInstance("EC");
      keys.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      var pair = keys.generateKeyPair();
      byte[] payload = new byte[300];
      var signer = java.security.Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(payload);
      byte[] signature = signer.sign();
      var ecdsa = dev.sigaudit.verify.SignatureScheme.ECDSA_SHA256;
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
        for (String impl : List.of("JDK (SunEC)", "BouncyCastle (sigaudit)")) {
          int n = 0;
          long t0 = System.nanoTime();
          while (System.nanoTime() - t0 < 2_000_000_000L) {
            boolean ok;
            if (impl.startsWith("JDK")) {
              var v = java.security.Signature.getInstance("SHA256withECDSA");
              v.initVerify(pair.getPublic());
              v.update(payload);
              ok = v.verify(signature);
            } else {
              ok = ecdsa.verifies(pair.getPublic(), payload, signature);
            }
            if (!ok) {
              throw new IllegalStateException(impl + " rejected a valid signature");
            }
            n++;
          }
          double ms = (System.nanoTime() - t0) / 1e6 / n;
          System.out.printf("  round %d  P-256 verify, %-24s %6.2f ms%n", round, impl, ms);
        }
      }
    }
  }
}
