package dev.sigaudit.verify.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Issues a Fulcio-style signing certificate: empty subject, one critical SAN, code-signing EKU, the
 * OIDC issuer in both Fulcio extensions, and an embedded SCT signed by the test CT log over the
 * precertificate, as RFC 6962 §3.2 defines it.
 *
 * <p>How the SCT is made, independently of the production code: the certificate is first built
 * without the SCT extension; its TBSCertificate is exactly what the log signs (Fulcio's
 * precertificate minus the poison extension). The SCT is then signed over that, and the certificate
 * is rebuilt identically with the SCT list appended as last extension.
 */
public final class FulcioLeafBuilder {
  /** What the SCT extension holds. */
  public enum Sct {
    /** A valid SCT by the trusted CT log. */
    VALID,
    /** No SCT extension. */
    NONE,
    /** An SCT signed by a CT log the trusted root does not list. */
    UNKNOWN_LOG,
    /** An SCT by the trusted log's ID but over other data. */
    BAD_SIGNATURE
  }

  static final ASN1ObjectIdentifier ISSUER_V1 = new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.1");
  static final ASN1ObjectIdentifier ISSUER_V2 = new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.8");
  static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier("1.3.6.1.4.1.11129.2.4.2");

  private final FakeSigstore sigstore;
  private KeyPair keys = TestCa.ecKeyPair("secp256r1");
  private GeneralName san = new GeneralName(GeneralName.rfc822Name, "dev@example.com");
  private String issuer = "https://accounts.example.com";
  private String issuerV1;
  private boolean issuerV2 = true;
  private Instant notBefore = FakeSigstore.SIGNING_TIME.minus(Duration.ofMinutes(1));
  private Duration lifetime = Duration.ofMinutes(10);
  private KeyPurposeId eku = KeyPurposeId.id_kp_codeSigning;
  private Sct sct = Sct.VALID;
  private X509Certificate issuingCa;
  private KeyPair issuingKeys;

  FulcioLeafBuilder(FakeSigstore sigstore) {
    this.sigstore = sigstore;
    this.issuingCa = sigstore.fulcioIntermediate;
    this.issuingKeys = sigstore.fulcioIntermediateKeys;
    this.issuerV1 = null;
  }

  public FulcioLeafBuilder email(String email) {
    this.san = new GeneralName(GeneralName.rfc822Name, email);
    return this;
  }

  public FulcioLeafBuilder uri(String uri) {
    this.san = new GeneralName(GeneralName.uniformResourceIdentifier, uri);
    return this;
  }

  /** The OIDC issuer, written to both extensions. */
  public FulcioLeafBuilder issuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  /** A different value in the deprecated v1 extension than in v2. */
  public FulcioLeafBuilder issuerV1(String issuerV1) {
    this.issuerV1 = issuerV1;
    return this;
  }

  /** Leaves out the v2 issuer extension (old Fulcio certificates have only v1). */
  public FulcioLeafBuilder withoutIssuerV2() {
    this.issuerV2 = false;
    return this;
  }

  public FulcioLeafBuilder notBefore(Instant notBefore) {
    this.notBefore = notBefore;
    return this;
  }

  public FulcioLeafBuilder lifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  public FulcioLeafBuilder eku(KeyPurposeId eku) {
    this.eku = eku;
    return this;
  }

  public FulcioLeafBuilder sct(Sct sct) {
    this.sct = sct;
    return this;
  }

  /** Issues by another CA (certificate and keys), e.g. one the trusted root does not know. */
  public FulcioLeafBuilder issuedBy(X509Certificate ca, KeyPair caKeys) {
    this.issuingCa = ca;
    this.issuingKeys = caKeys;
    return this;
  }

  public FulcioLeaf build() {
    java.math.BigInteger serial = TestCa.serial();
    X509Certificate precert = TestCa.sign(builder(serial, null), issuingKeys);
    byte[] sctList = sct == Sct.NONE ? null : sctList(precert);
    X509Certificate cert = TestCa.sign(builder(serial, sctList), issuingKeys);
    return new FulcioLeaf(cert, keys);
  }

  private X509v3CertificateBuilder builder(java.math.BigInteger serial, byte[] sctList) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              TestCa.subjectOf(issuingCa),
              serial,
              Date.from(notBefore),
              Date.from(notBefore.plus(lifetime)),
              new X500Name(new RDN[0]),
              keys.getPublic());
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuingCa));
      // An empty subject makes the SAN critical (RFC 5280 §4.2.1.6), as in Fulcio certificates.
      b.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(san));
      b.addExtension(
          new Extension(
              ISSUER_V1,
              false,
              (issuerV1 != null ? issuerV1 : issuer).getBytes(StandardCharsets.UTF_8)));
      if (issuerV2) {
        b.addExtension(new Extension(ISSUER_V2, false, new DERUTF8String(issuer).getEncoded()));
      }
      if (sctList != null) {
        b.addExtension(new Extension(SCT_LIST, false, new DEROctetString(sctList).getEncoded()));
      }
      return b;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** RFC 6962 SignedCertificateTimestampList with one v1 SCT over the precertificate. */
  private byte[] sctList(X509Certificate precert) {
    try {
      KeyPair logKeys = sct == Sct.UNKNOWN_LOG ? TestCa.ecKeyPair("secp256r1") : sigstore.ctKeys;
      byte[] logId = FakeSigstore.sha256(logKeys.getPublic().getEncoded());
      long timestamp = notBefore.toEpochMilli();
      byte[] tbs = precert.getTBSCertificate();
      if (sct == Sct.BAD_SIGNATURE) {
        tbs = "some other certificate".getBytes(StandardCharsets.US_ASCII);
      }
      byte[] issuerKeyHash = FakeSigstore.sha256(issuingCa.getPublicKey().getEncoded());
      ByteArrayOutputStream signed = new ByteArrayOutputStream();
      signed.write(0); // version v1
      signed.write(0); // signature_type certificate_timestamp
      signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
      signed.writeBytes(new byte[] {0, 1}); // entry_type precert_entry
      signed.writeBytes(issuerKeyHash);
      signed.writeBytes(
          new byte[] {(byte) (tbs.length >> 16), (byte) (tbs.length >> 8), (byte) tbs.length});
      signed.writeBytes(tbs);
      signed.writeBytes(new byte[] {0, 0}); // no extensions
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initSign(logKeys.getPrivate());
      ecdsa.update(signed.toByteArray());
      byte[] sig = ecdsa.sign();

      ByteArrayOutputStream one = new ByteArrayOutputStream();
      one.write(0);
      one.writeBytes(logId);
      one.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
      one.writeBytes(new byte[] {0, 0}); // extensions length
      one.write(4); // sha256
      one.write(3); // ecdsa
      one.writeBytes(new byte[] {(byte) (sig.length >> 8), (byte) sig.length});
      one.writeBytes(sig);
      byte[] sctBytes = one.toByteArray();

      ByteArrayOutputStream list = new ByteArrayOutputStream();
      int inner = sctBytes.length + 2;
      list.writeBytes(new byte[] {(byte) (inner >> 8), (byte) inner});
      list.writeBytes(new byte[] {(byte) (sctBytes.length >> 8), (byte) sctBytes.length});
      list.writeBytes(sctBytes);
      return list.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
