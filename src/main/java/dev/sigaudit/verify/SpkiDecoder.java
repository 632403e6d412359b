package dev.sigaudit.verify;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Turns DER {@code SubjectPublicKeyInfo} into a JDK {@link PublicKey}, refusing anything cosign
 * would not sign with before the JDK sees it, so that the error names the algorithm or curve.
 *
 * <p>BouncyCastle is used only as an ASN.1 parser and point validator (its lightweight API), never
 * as a registered JCA provider.
 */
final class SpkiDecoder {
  private static final Map<ASN1ObjectIdentifier, String> JDK_ALGORITHMS =
      Map.of(
          X9ObjectIdentifiers.id_ecPublicKey, "EC",
          PKCSObjectIdentifiers.rsaEncryption, "RSA",
          EdECObjectIdentifiers.id_Ed25519, "Ed25519");

  private static final Map<ASN1ObjectIdentifier, String> KNOWN_UNSUPPORTED =
      Map.of(
          X9ObjectIdentifiers.id_dsa, "DSA",
          PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS (RSA keys restricted to PSS)",
          EdECObjectIdentifiers.id_Ed448, "Ed448",
          EdECObjectIdentifiers.id_X25519, "X25519 (a key-agreement key)",
          EdECObjectIdentifiers.id_X448, "X448 (a key-agreement key)",
          X509ObjectIdentifiers.id_ea_rsa, "RSA (id-ea-rsa)");

  private static final Map<ASN1ObjectIdentifier, String> SUPPORTED_CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "P-256",
          SECObjectIdentifiers.secp384r1, "P-384",
          SECObjectIdentifiers.secp521r1, "P-521");

  private SpkiDecoder() {}

  /** Decodes a PKIX {@code PUBLIC KEY} block. */
  static PublicKey fromSpki(byte[] der) {
    SubjectPublicKeyInfo spki;
    try {
      // fromByteArray rejects trailing bytes, so one PEM block cannot smuggle a second structure.
      spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidPublicKeyException("not a DER SubjectPublicKeyInfo: " + e.getMessage(), e);
    }
    return decode(spki);
  }

  /** Decodes a PKCS#1 {@code RSA PUBLIC KEY} block, which cosign also accepts. */
  static PublicKey fromPkcs1Rsa(byte[] der) {
    try {
      RSAPublicKey rsa = RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(der));
      AlgorithmIdentifier alg =
          new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE);
      return decode(new SubjectPublicKeyInfo(alg, rsa));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidPublicKeyException("not a DER PKCS#1 RSAPublicKey: " + e.getMessage(), e);
    }
  }

  private static PublicKey decode(SubjectPublicKeyInfo spki) {
    ASN1ObjectIdentifier oid = spki.getAlgorithm().getAlgorithm();
    String jdkAlgorithm = JDK_ALGORITHMS.get(oid);
    if (jdkAlgorithm == null) {
      String known = KNOWN_UNSUPPORTED.getOrDefault(oid, "algorithm OID " + oid.getId());
      throw new InvalidPublicKeyException(
          known + " keys are not supported (supported: " + KeyType.supportedList() + ")");
    }
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      checkCurve(spki.getAlgorithm());
    }
    try {
      // Validates the key itself (for EC: the point is on the curve and not infinity), which the
      // JDK key factory does not promise to do.
      PublicKeyFactory.createKey(spki);
      byte[] canonical = spki.getEncoded(ASN1Encoding.DER);
      PublicKey key =
          KeyFactory.getInstance(jdkAlgorithm).generatePublic(new X509EncodedKeySpec(canonical));
      KeyType.of(key); // curve and RSA size limits
      return key;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      if (e instanceof InvalidPublicKeyException invalid) {
        throw invalid;
      }
      throw new InvalidPublicKeyException(
          "invalid " + jdkAlgorithm + " public key: " + e.getMessage(), e);
    }
  }

  private static void checkCurve(AlgorithmIdentifier alg) {
    if (!(alg.getParameters() instanceof ASN1ObjectIdentifier curve)) {
      // Explicit curve parameters are a known attack vector (CVE-2020-0601) and Go refuses them.
      throw new InvalidPublicKeyException(
          "ECDSA keys with explicit curve parameters are not supported (use a named curve)");
    }
    if (!SUPPORTED_CURVES.containsKey(curve)) {
      String name = ECNamedCurveTable.getName(curve);
      throw new InvalidPublicKeyException(
          "ECDSA curve "
              + (name != null ? name + " (" + curve.getId() + ")" : curve.getId())
              + " is not supported (supported: P-256, P-384, P-521)");
    }
  }
}
