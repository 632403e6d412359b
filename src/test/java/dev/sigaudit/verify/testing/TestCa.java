package dev.sigaudit.verify.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key pairs and X.509 certificates made in the test JVM with BouncyCastle's certificate builder
 * (signatures by the JDK's providers; nothing registered globally).
 */
public final class TestCa {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private TestCa() {}

  /** A fresh EC key pair on {@code curve} (e.g. secp256r1, secp384r1). */
  public static KeyPair ecKeyPair(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed CA certificate. */
  public static X509Certificate root(String name, KeyPair keys, Instant from, Instant to) {
    return ca(name, keys.getPublic(), new X500Name(name), null, keys, from, to, -1, List.of());
  }

  /**
   * A CA certificate for {@code subjectKey} issued by {@code issuer}.
   *
   * @param ekus extended key usages to restrict it to (empty: none)
   */
  public static X509Certificate intermediate(
      String name,
      PublicKey subjectKey,
      X509Certificate issuer,
      KeyPair issuerKeys,
      Instant from,
      Instant to,
      List<KeyPurposeId> ekus) {
    return ca(name, subjectKey, subjectOf(issuer), issuer, issuerKeys, from, to, 0, ekus);
  }

  private static X509Certificate ca(
      String name,
      PublicKey subjectKey,
      X500Name issuerName,
      X509Certificate issuer,
      KeyPair issuerKeys,
      Instant from,
      Instant to,
      int pathLength,
      List<KeyPurposeId> ekus) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName, serial(), Date.from(from), Date.from(to), new X500Name(name), subjectKey);
      b.addExtension(
          Extension.basicConstraints,
          true,
          pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      if (issuer != null) {
        b.addExtension(
            Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
      }
      if (!ekus.isEmpty()) {
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(ekus.toArray(KeyPurposeId[]::new)));
      }
      return sign(b, issuerKeys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a prepared certificate with {@code issuerKeys} (ECDSA with the curve's hash). */
  public static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys) {
    try {
      String algorithm = algorithmFor(issuerKeys);
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String algorithmFor(KeyPair keys) {
    int bits =
        ((java.security.interfaces.ECPublicKey) keys.getPublic())
            .getParams()
            .getOrder()
            .bitLength();
    return bits > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
  }

  /** The subject of {@code cert} exactly as encoded, for use as an issuer name. */
  public static X500Name subjectOf(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  public static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }
}
