package dev.sigaudit.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * The identity a <a
 * href="https://github.com/sigstore/fulcio/blob/main/docs/certificate-specification.md">Fulcio
 * signing certificate</a> carries: its subject alternative names and the OIDC issuer extension.
 *
 * @param certificate the leaf
 * @param subjectAltNames its SANs of the kinds Fulcio issues, in certificate order
 * @param oidcIssuer the OIDC issuer that authenticated the signer
 */
record FulcioCertificate(
    X509Certificate certificate, List<SubjectAltName> subjectAltNames, String oidcIssuer) {

  /** Issuer, v1: raw UTF-8 bytes as extension value. Deprecated, still written by Fulcio. */
  static final String OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";

  /** Issuer, v2: a DER string as extension value. */
  static final String OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";

  /** Fulcio's username SAN ({@code otherName} with this type). */
  static final ASN1ObjectIdentifier OID_USERNAME_SAN =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.1.7");

  static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";

  private static final int MAX_SANS = 16;

  /** One SAN: its kind (as messages show it) and value. */
  record SubjectAltName(String kind, String value) {
    @Override
    public String toString() {
      return kind + " " + Texts.quote(value);
    }
  }

  static FulcioCertificate of(X509Certificate leaf) throws Rejection {
    return new FulcioCertificate(leaf, subjectAltNames(leaf), oidcIssuer(leaf));
  }

  /** Fulcio certificates are for code signing only; Go's verifier requires the EKU, so do we. */
  void requireCodeSigning() throws Rejection {
    List<String> ekus;
    try {
      ekus = certificate.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new Rejection("certificate extended key usage is malformed");
    }
    if (ekus == null || !ekus.contains(CODE_SIGNING)) {
      throw new Rejection(
          "certificate extended key usage is "
              + (ekus == null ? "absent" : ekus)
              + ", not code signing ("
              + CODE_SIGNING
              + ")");
    }
  }

  private static List<SubjectAltName> subjectAltNames(X509Certificate leaf) throws Rejection {
    byte[] ext = leaf.getExtensionValue("2.5.29.17");
    if (ext == null) {
      throw new Rejection("certificate has no subject alternative name");
    }
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(ASN1Primitive.fromByteArray(octets(ext)));
    } catch (IOException | IllegalArgumentException e) {
      throw new Rejection("certificate subject alternative name is malformed");
    }
    List<SubjectAltName> out = new ArrayList<>();
    for (GeneralName name : names.getNames()) {
      Optional<SubjectAltName> san = supported(name);
      if (san.isPresent() && out.size() < MAX_SANS) {
        out.add(san.get());
      }
    }
    if (out.isEmpty()) {
      throw new Rejection(
          "certificate has no e-mail, URI, DNS or Fulcio username subject alternative name");
    }
    return List.copyOf(out);
  }

  // The kinds cosign's cryptoutils.GetSubjectAlternateNames reports (IP addresses aside, which
  // Fulcio never issues), plus Fulcio's username otherName.
  private static Optional<SubjectAltName> supported(GeneralName name) {
    return switch (name.getTagNo()) {
      case GeneralName.rfc822Name -> text("email", name.getName());
      case GeneralName.uniformResourceIdentifier -> text("URI", name.getName());
      case GeneralName.dNSName -> text("DNS", name.getName());
      case GeneralName.otherName -> {
        OtherName other = OtherName.getInstance(name.getName());
        yield other.getTypeID().equals(OID_USERNAME_SAN)
            ? text("username", other.getValue())
            : Optional.empty();
      }
      default -> Optional.empty();
    };
  }

  private static Optional<SubjectAltName> text(String kind, ASN1Encodable value) {
    return value instanceof ASN1String s && !s.getString().isEmpty()
        ? Optional.of(new SubjectAltName(kind, s.getString()))
        : Optional.empty();
  }

  /**
   * The OIDC issuer. Fulcio writes it twice: v2 (DER string, read by sigstore-go) and the
   * deprecated v1 (raw bytes, the only one cosign's {@code CertExtensions.GetIssuer} and Kyverno
   * read). v2 is preferred; when both are present they must agree, so that no verifier can be shown
   * a different issuer than another one.
   */
  private static String oidcIssuer(X509Certificate leaf) throws Rejection {
    Optional<String> v2 = extension(leaf, OID_ISSUER_V2, true);
    Optional<String> v1 = extension(leaf, OID_ISSUER_V1, false);
    if (v1.isPresent() && v2.isPresent() && !v1.get().equals(v2.get())) {
      throw new Rejection(
          "certificate issuer extensions disagree: "
              + OID_ISSUER_V2
              + " says "
              + Texts.quote(v2.get())
              + ", "
              + OID_ISSUER_V1
              + " says "
              + Texts.quote(v1.get()));
    }
    return v2.or(() -> v1)
        .orElseThrow(
            () ->
                new Rejection(
                    "certificate has no OIDC issuer extension ("
                        + OID_ISSUER_V2
                        + " or "
                        + OID_ISSUER_V1
                        + "); not a Fulcio certificate?"));
  }

  private static Optional<String> extension(X509Certificate leaf, String oid, boolean der)
      throws Rejection {
    byte[] ext = leaf.getExtensionValue(oid);
    if (ext == null) {
      return Optional.empty();
    }
    byte[] value = octets(ext);
    if (!der) {
      return Optional.of(utf8(value, oid));
    }
    try {
      ASN1Primitive parsed = ASN1Primitive.fromByteArray(value);
      if (parsed instanceof DERUTF8String
          || parsed instanceof DERPrintableString
          || parsed instanceof DERIA5String) {
        return Optional.of(((ASN1String) parsed).getString());
      }
    } catch (IOException | IllegalArgumentException e) {
      // fall through to the rejection below
    }
    throw new Rejection("certificate extension " + oid + " is not a DER string");
  }

  private static String utf8(byte[] bytes, String oid) throws Rejection {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Rejection("certificate extension " + oid + " is not UTF-8");
    }
  }

  /** {@code getExtensionValue} returns the DER OCTET STRING wrapping the extension value. */
  static byte[] octets(byte[] extensionValue) throws Rejection {
    try {
      return ASN1OctetString.getInstance(extensionValue).getOctets();
    } catch (IllegalArgumentException e) {
      throw new Rejection("certificate extension is not an OCTET STRING");
    }
  }
}
