package dev.sigaudit.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Parsing of X.509 certificates from untrusted DER and PEM, with size limits. */
final class Certificates {
  /** Fulcio leaves with every GitHub claim are about 2 KiB; a CA certificate is smaller. */
  static final int MAX_CERT_BYTES = 32 * 1024;

  /** A leaf plus a few intermediates and a root; cosign never writes more. */
  static final int MAX_PEM_CERTS = 10;

  private Certificates() {}

  /**
   * Parses one DER certificate. The JDK parser is lenient about what surrounds the structure (it
   * skips PEM armour and ignores trailing bytes), so the re-encoding must equal the input: what is
   * verified is then exactly what was shipped.
   */
  static X509Certificate fromDer(byte[] der, String what) throws Rejection {
    if (der.length > MAX_CERT_BYTES) {
      throw new Rejection(what + " is " + der.length + " bytes, more than " + MAX_CERT_BYTES);
    }
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new Rejection(
          what + " is not an X.509 certificate (" + Texts.clip(e.getMessage()) + ")");
    }
    try {
      if (!Arrays.equals(cert.getEncoded(), der)) {
        throw new Rejection(what + " is not a single DER-encoded certificate");
      }
    } catch (CertificateException e) {
      throw new Rejection(what + " cannot be re-encoded (" + Texts.clip(e.getMessage()) + ")");
    }
    return cert;
  }

  /**
   * Parses the {@code CERTIFICATE} blocks of a PEM text (cosign's {@code
   * dev.sigstore.cosign/certificate} and {@code …/chain} annotations).
   */
  static List<X509Certificate> fromPem(String pem, String what) throws Rejection {
    if (pem.length() > MAX_PEM_CERTS * MAX_CERT_BYTES * 2) {
      throw new Rejection(what + " is " + pem.length() + " characters, too long");
    }
    List<X509Certificate> certs = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject block; (block = reader.readPemObject()) != null; ) {
        String where = what + " PEM block " + (certs.size() + 1);
        if (!"CERTIFICATE".equals(block.getType())) {
          throw new Rejection(
              where + " is a " + Texts.quote(block.getType()) + ", not a CERTIFICATE");
        }
        if (certs.size() == MAX_PEM_CERTS) {
          throw new Rejection(what + " has more than " + MAX_PEM_CERTS + " certificates");
        }
        certs.add(fromDer(block.getContent(), where));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new Rejection(what + " is not valid PEM (" + Texts.clip(e.getMessage()) + ")");
    }
    if (certs.isEmpty()) {
      throw new Rejection(what + " holds no PEM CERTIFICATE block");
    }
    return List.copyOf(certs);
  }

  /** The certificate's subject for messages, e.g. {@code O=sigstore.dev,CN=sigstore}. */
  static String subject(X509Certificate cert) {
    String name = cert.getSubjectX500Principal().getName();
    return name.isEmpty() ? "(empty subject)" : Texts.clip(name);
  }
}
