package dev.sigaudit.verify.testing;

import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * A test signing certificate and its private key, able to sign as cosign does with an ephemeral key
 * (ECDSA P-256, SHA-256).
 */
public record FulcioLeaf(X509Certificate certificate, KeyPair keys) {

  public byte[] sign(byte[] data) {
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initSign(keys.getPrivate());
      ecdsa.update(data);
      return ecdsa.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] der() {
    try {
      return certificate.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The certificate as cosign writes it in annotations and Rekor bodies. */
  public String pem() {
    return TestKeys.pem("CERTIFICATE", der());
  }
}
