package dev.sigaudit.verify.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/** An RFC 3161 timestamping authority in memory (BouncyCastle's TSP generator). */
public final class FakeTsa {
  private final KeyPair keys;
  private final X509Certificate certificate;

  FakeTsa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A DER {@code TimeStampResp} over SHA-256({@code data}) at {@code time}. */
  public byte[] timestamp(byte[] data, Instant time) {
    try {
      var digests = new JcaDigestCalculatorProviderBuilder().build();
      var signerInfo =
          new JcaSignerInfoGeneratorBuilder(digests)
              .build(
                  new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()),
                  certificate);
      TimeStampTokenGenerator tokens =
          new TimeStampTokenGenerator(
              signerInfo,
              digests.get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)),
              new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2"));
      tokens.addCertificates(new JcaCertStore(List.of(certificate)));
      TimeStampRequestGenerator requests = new TimeStampRequestGenerator();
      requests.setCertReq(true);
      TimeStampRequest request =
          requests.generate(
              NISTObjectIdentifiers.id_sha256, MessageDigest.getInstance("SHA-256").digest(data));
      return new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED)
          .generate(request, BigInteger.valueOf(time.toEpochMilli()), Date.from(time))
          .getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
