package dev.sigaudit.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Verifies the signed certificate timestamps (SCTs) a Fulcio certificate embeds, proving the
 * certificate was submitted to a certificate-transparency log (<a
 * href="https://www.rfc-editor.org/rfc/rfc6962#section-3.2">RFC 6962 §3.2–3.3</a>).
 *
 * <p>The log signed the <em>precertificate</em>: the TBSCertificate without the SCT-list extension
 * (Fulcio issues the precertificate with a poison extension, the log signs, and Fulcio reissues it
 * with the SCTs in place of the poison), plus the SHA-256 of the issuing CA's public key.
 * Rebuilding those bytes is re-encoding the original TBS elements minus one extension, which is
 * exact for DER. One valid SCT from a CT log of the trusted root, within that log's validity,
 * suffices (sigstore-go {@code VerifySignedCertificateTimestamp} with threshold 1).
 * Precertificate-signing certificates (RFC 6962 §3.1, a dedicated issuer) are not supported: Fulcio
 * does not use them.
 */
final class EmbeddedScts {
  static final String SCT_LIST_OID = "1.3.6.1.4.1.11129.2.4.2";

  private static final ASN1ObjectIdentifier SCT_LIST = new ASN1ObjectIdentifier(SCT_LIST_OID);
  private static final int MAX_SCTS = 16;

  private EmbeddedScts() {}

  /** One SCT as the TLS structure of RFC 6962 §3.2 encodes it. */
  record Sct(
      String logIdHex,
      long timestamp,
      byte[] extensions,
      int hashAlg,
      int sigAlg,
      byte[] signature) {}

  /**
   * Requires one valid SCT.
   *
   * @param issuer the certificate that issued {@code leaf} (its key is part of what was signed)
   */
  static void verify(X509Certificate leaf, X509Certificate issuer, TrustedRoot root)
      throws Rejection {
    byte[] ext = leaf.getExtensionValue(SCT_LIST_OID);
    if (ext == null) {
      throw new Rejection(
          "certificate has no embedded SCT ("
              + SCT_LIST_OID
              + "): it was not proven to be in a"
              + " certificate-transparency log");
    }
    List<Sct> scts = parseList(FulcioCertificate.octets(ext));
    byte[] precert = precertificateTbs(leaf);
    byte[] issuerKeyHash = issuerKeyHash(issuer);
    List<String> problems = new ArrayList<>();
    for (Sct sct : scts) {
      Optional<TrustedRoot.TransparencyLog> log = root.ctlog(sct.logIdHex());
      Instant time = Instant.ofEpochMilli(sct.timestamp());
      if (log.isEmpty()) {
        problems.add("SCT by unknown CT log " + sct.logIdHex().substring(0, 16) + "…");
      } else if (!log.get().validFor().contains(time)) {
        problems.add(
            "SCT of "
                + log.get().baseUrl()
                + " at "
                + time
                + " is outside its validity "
                + log.get().validFor());
      } else if (!signatureVerifies(sct, log.get(), signedData(sct, issuerKeyHash, precert))) {
        problems.add("SCT of " + log.get().baseUrl() + " does not verify over the precertificate");
      } else {
        return;
      }
    }
    throw new Rejection(
        "no valid SCT from a CT log of the trusted root: " + String.join("; ", problems));
  }

  /** {@code SignedCertificateTimestampList}: u16 length, then u16-length-prefixed SCTs. */
  static List<Sct> parseList(byte[] extnValue) throws Rejection {
    byte[] list;
    try {
      // The extension value is a DER OCTET STRING whose content is the TLS-encoded list.
      list = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(extnValue)).getOctets();
    } catch (IOException | IllegalArgumentException e) {
      throw new Rejection("certificate SCT list is not an OCTET STRING");
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(list);
      ByteBuffer all = slice(in, Short.toUnsignedInt(in.getShort()));
      require(!in.hasRemaining());
      List<Sct> scts = new ArrayList<>();
      while (all.hasRemaining()) {
        require(scts.size() < MAX_SCTS);
        scts.add(parseSct(slice(all, Short.toUnsignedInt(all.getShort()))));
      }
      require(!scts.isEmpty());
      return List.copyOf(scts);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new Rejection("certificate SCT list is malformed");
    }
  }

  private static Sct parseSct(ByteBuffer in) {
    require(in.get() == 0); // v1
    byte[] logId = new byte[32];
    in.get(logId);
    long timestamp = in.getLong();
    byte[] extensions = bytes(slice(in, Short.toUnsignedInt(in.getShort())));
    int hashAlg = Byte.toUnsignedInt(in.get());
    int sigAlg = Byte.toUnsignedInt(in.get());
    byte[] signature = bytes(slice(in, Short.toUnsignedInt(in.getShort())));
    require(!in.hasRemaining());
    return new Sct(
        HexFormat.of().formatHex(logId), timestamp, extensions, hashAlg, sigAlg, signature);
  }

  /** The TBSCertificate with the SCT-list extension removed, element by element. */
  static byte[] precertificateTbs(X509Certificate leaf) throws Rejection {
    try {
      ASN1Sequence tbs = ASN1Sequence.getInstance(leaf.getTBSCertificate());
      ASN1EncodableVector out = new ASN1EncodableVector();
      for (ASN1Encodable element : tbs) {
        if (element instanceof ASN1TaggedObject tagged
            && tagged.getTagClass() == BERTags.CONTEXT_SPECIFIC
            && tagged.getTagNo() == 3) {
          ASN1EncodableVector kept = new ASN1EncodableVector();
          for (ASN1Encodable ext : ASN1Sequence.getInstance(tagged.getExplicitBaseObject())) {
            if (!ASN1Sequence.getInstance(ext).getObjectAt(0).equals(SCT_LIST)) {
              kept.add(ext);
            }
          }
          out.add(new DERTaggedObject(true, 3, new DERSequence(kept)));
        } else {
          out.add(element);
        }
      }
      return new DERSequence(out).getEncoded(ASN1Encoding.DER);
    } catch (CertificateEncodingException | IOException | IllegalArgumentException e) {
      throw new Rejection("certificate TBS cannot be rebuilt for SCT verification");
    }
  }

  /**
   * RFC 6962 §3.2 {@code digitally-signed struct}: version, signature_type = certificate_timestamp,
   * timestamp, entry_type = precert_entry, issuer_key_hash, tbs_certificate (u24), extensions
   * (u16).
   */
  static byte[] signedData(Sct sct, byte[] issuerKeyHash, byte[] precertTbs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(precertTbs.length + 64);
    out.write(0); // v1
    out.write(0); // certificate_timestamp
    out.writeBytes(ByteBuffer.allocate(8).putLong(sct.timestamp()).array());
    out.writeBytes(new byte[] {0, 1}); // precert_entry
    out.writeBytes(issuerKeyHash);
    int n = precertTbs.length;
    out.writeBytes(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    out.writeBytes(precertTbs);
    int e = sct.extensions().length;
    out.writeBytes(new byte[] {(byte) (e >>> 8), (byte) e});
    out.writeBytes(sct.extensions());
    return out.toByteArray();
  }

  /** SHA-256 of the issuer's SubjectPublicKeyInfo exactly as encoded in its certificate. */
  static byte[] issuerKeyHash(X509Certificate issuer) throws Rejection {
    try {
      byte[] spki =
          Certificate.getInstance(issuer.getEncoded())
              .getSubjectPublicKeyInfo()
              .getEncoded(ASN1Encoding.DER);
      return MessageDigest.getInstance("SHA-256").digest(spki);
    } catch (CertificateEncodingException | IOException e) {
      throw new Rejection("issuer certificate cannot be encoded");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  // TLS SignatureAndHashAlgorithm: hash 4 = sha256; signature 3 = ecdsa, 1 = rsa.
  private static boolean signatureVerifies(Sct sct, TrustedRoot.TransparencyLog log, byte[] data) {
    SignatureScheme scheme =
        sct.hashAlg() != 4
            ? null
            : switch (sct.sigAlg()) {
              case 3 -> SignatureScheme.ECDSA_SHA256;
              case 1 -> SignatureScheme.RSA_PKCS1_SHA256;
              default -> null;
            };
    return scheme != null && scheme.verifies(log.publicKey(), data, sct.signature());
  }

  private static ByteBuffer slice(ByteBuffer in, int length) {
    ByteBuffer part = in.slice(in.position(), length);
    in.position(in.position() + length);
    return part;
  }

  private static byte[] bytes(ByteBuffer in) {
    byte[] out = new byte[in.remaining()];
    in.get(out);
    return out;
  }

  private static void require(boolean condition) {
    if (!condition) {
      throw new IllegalArgumentException("malformed");
    }
  }
}
