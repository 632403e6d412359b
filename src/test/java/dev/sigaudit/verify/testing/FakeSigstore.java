package dev.sigaudit.verify.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigaudit.verify.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A private Sigstore instance made in the test JVM: a Fulcio CA (root + intermediate, P-384), a CT
 * log key, a Rekor log key (P-256) and a timestamping authority, plus the {@code trusted_root.json}
 * that trusts them. Everything is dated around {@link #SIGNING_TIME}, a fixed instant, so that
 * tests do not depend on the clock.
 *
 * <pre>{@code
 * FakeSigstore sigstore = FakeSigstore.shared();
 * TrustedRoot root = sigstore.trustedRoot();
 * }</pre>
 */
public final class FakeSigstore {
  /** When the test signatures are made. */
  public static final Instant SIGNING_TIME = Instant.parse("2025-03-01T12:00:00Z");

  public static final Instant CA_FROM = Instant.parse("2024-01-01T00:00:00Z");
  public static final Instant CA_TO = Instant.parse("2034-01-01T00:00:00Z");

  public static final String FULCIO_URL = "https://fulcio.test";
  public static final String REKOR_URL = "https://rekor.test";
  public static final String CT_URL = "https://ctfe.test";
  public static final String TSA_URL = "https://tsa.test";

  private static FakeSigstore shared;

  public final KeyPair fulcioRootKeys = TestCa.ecKeyPair("secp384r1");
  public final KeyPair fulcioIntermediateKeys = TestCa.ecKeyPair("secp384r1");
  public final X509Certificate fulcioRoot =
      TestCa.root("O=sigaudit-test,CN=fulcio-root", fulcioRootKeys, CA_FROM, CA_TO);
  public final X509Certificate fulcioIntermediate =
      TestCa.intermediate(
          "O=sigaudit-test,CN=fulcio-intermediate",
          fulcioIntermediateKeys.getPublic(),
          fulcioRoot,
          fulcioRootKeys,
          CA_FROM,
          CA_TO,
          List.of(KeyPurposeId.id_kp_codeSigning));
  public final KeyPair ctKeys = TestCa.ecKeyPair("secp256r1");
  public final KeyPair rekorKeys = TestCa.ecKeyPair("secp256r1");
  public final KeyPair tsaRootKeys = TestCa.ecKeyPair("secp256r1");
  public final KeyPair tsaKeys = TestCa.ecKeyPair("secp256r1");
  public final X509Certificate tsaRoot =
      TestCa.root("O=sigaudit-test,CN=tsa-root", tsaRootKeys, CA_FROM, CA_TO);
  public final X509Certificate tsaCertificate = tsaLeaf();

  /** One instance per test JVM (key generation is the slow part). */
  public static synchronized FakeSigstore shared() {
    if (shared == null) {
      shared = new FakeSigstore();
    }
    return shared;
  }

  /** A new leaf builder issued by this instance's Fulcio intermediate. */
  public FulcioLeafBuilder leaf() {
    return new FulcioLeafBuilder(this);
  }

  public FakeRekor rekor() {
    return new FakeRekor(rekorKeys, "rekor.test");
  }

  public FakeTsa tsa() {
    return new FakeTsa(tsaKeys, tsaCertificate);
  }

  /** The trust root with default windows (everything valid from CA_FROM on). */
  public TrustedRoot trustedRoot() {
    return trustedRootJson().parse();
  }

  public TrustedRootJson trustedRootJson() {
    return new TrustedRootJson(this);
  }

  /** Lower-case hex of SHA-256 over the DER public key, the RFC 6962 log ID. */
  public static String logId(KeyPair keys) {
    return java.util.HexFormat.of().formatHex(sha256(keys.getPublic().getEncoded()));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate tsaLeaf() {
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              TestCa.subjectOf(tsaRoot),
              TestCa.serial(),
              Date.from(CA_FROM),
              Date.from(CA_TO),
              new X500Name("O=sigaudit-test,CN=tsa"),
              tsaKeys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      // RFC 3161 §2.3: the TSA certificate has exactly one, critical, EKU: time stamping.
      b.addExtension(
          Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      return TestCa.sign(b, tsaRootKeys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A {@code trusted_root.json} for this instance, with adjustable windows and parts. */
  public static final class TrustedRootJson {
    private final FakeSigstore sigstore;
    private Instant caStart = CA_FROM;
    private Instant caEnd;
    private Instant ctStart = CA_FROM;
    private Instant rekorStart = CA_FROM;
    private boolean ct = true;
    private boolean rekor = true;
    private boolean tsa = true;
    private List<X509Certificate> extraCaChain;

    TrustedRootJson(FakeSigstore sigstore) {
      this.sigstore = sigstore;
    }

    /** The Fulcio CA's validFor window. */
    public TrustedRootJson caValidFor(Instant start, Instant end) {
      this.caStart = start;
      this.caEnd = end;
      return this;
    }

    public TrustedRootJson ctlogValidFrom(Instant start) {
      this.ctStart = start;
      return this;
    }

    public TrustedRootJson rekorValidFrom(Instant start) {
      this.rekorStart = start;
      return this;
    }

    public TrustedRootJson withoutCtlog() {
      this.ct = false;
      return this;
    }

    public TrustedRootJson withoutRekor() {
      this.rekor = false;
      return this;
    }

    public TrustedRootJson withoutTsa() {
      this.tsa = false;
      return this;
    }

    /** Trusts another CA chain (intermediate…root) next to the test Fulcio. */
    public TrustedRootJson plusCa(List<X509Certificate> chain) {
      this.extraCaChain = chain;
      return this;
    }

    public String json() {
      ObjectNode root = CosignPayloads.JSON.createObjectNode();
      root.put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
      ArrayNode tlogs = root.putArray("tlogs");
      if (rekor) {
        log(tlogs.addObject(), REKOR_URL, sigstore.rekorKeys, rekorStart);
      }
      ArrayNode cas = root.putArray("certificateAuthorities");
      ca(
          cas.addObject(),
          FULCIO_URL,
          List.of(sigstore.fulcioIntermediate, sigstore.fulcioRoot),
          caStart,
          caEnd);
      if (extraCaChain != null) {
        ca(cas.addObject(), "https://other-ca.test", extraCaChain, CA_FROM, null);
      }
      ArrayNode ctlogs = root.putArray("ctlogs");
      if (ct) {
        log(ctlogs.addObject(), CT_URL, sigstore.ctKeys, ctStart);
      }
      ArrayNode tsas = root.putArray("timestampAuthorities");
      if (tsa) {
        ca(
            tsas.addObject(),
            TSA_URL,
            List.of(sigstore.tsaCertificate, sigstore.tsaRoot),
            CA_FROM,
            null);
      }
      return CosignPayloads.write(root);
    }

    public TrustedRoot parse() {
      return TrustedRoot.parse(json().getBytes(StandardCharsets.UTF_8));
    }

    private static void log(ObjectNode log, String url, KeyPair keys, Instant start) {
      log.put("baseUrl", url);
      log.put("hashAlgorithm", "SHA2_256");
      ObjectNode key = log.putObject("publicKey");
      key.put("rawBytes", b64(keys.getPublic().getEncoded()));
      key.put("keyDetails", "PKIX_ECDSA_P256_SHA_256");
      key.putObject("validFor").put("start", start.toString());
      log.putObject("logId").put("keyId", b64(sha256(keys.getPublic().getEncoded())));
    }

    private static void ca(
        ObjectNode ca, String uri, List<X509Certificate> chain, Instant start, Instant end) {
      ca.putObject("subject").put("organization", "sigaudit-test").put("commonName", uri);
      ca.put("uri", uri);
      ArrayNode certs = ca.putObject("certChain").putArray("certificates");
      for (X509Certificate cert : chain) {
        try {
          certs.addObject().put("rawBytes", b64(cert.getEncoded()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      ObjectNode validFor = ca.putObject("validFor").put("start", start.toString());
      if (end != null) {
        validFor.put("end", end.toString());
      }
    }
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** A duration helper for readable test dates. */
  public static Instant at(Duration offsetFromSigning) {
    return SIGNING_TIME.plus(offsetFromSigning);
  }
}
