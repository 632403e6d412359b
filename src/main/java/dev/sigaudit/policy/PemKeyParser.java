package dev.sigaudit.policy;

import dev.sigaudit.model.TrustedKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A {@link KeyParser} for PKIX ({@code SubjectPublicKeyInfo}) public keys, the format {@code cosign
 * generate-key-pair} writes: ECDSA P-256, P-384 and P-521 (the curves sigstore's {@code
 * cryptoutils.ValidatePubKey} allows, and keys on which Kyverno and policy-controller load), RSA of
 * at least 2048 bits, Ed25519.
 *
 * <p>Deliberately strict, because a policy's keys decide what counts as trusted: exactly one block,
 * strict base64, no trailing DER, and private keys are refused with a message that says so.
 */
public final class PemKeyParser implements KeyParser {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final String EC = "1.2.840.10045.2.1";
  private static final String RSA = "1.2.840.113549.1.1.1";
  private static final String ED25519 = "1.3.101.112";
  private static final Map<String, String> CURVES =
      Map.of("1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521");
  private static final int MIN_RSA_BITS = 2048;

  @Override
  public TrustedKey parse(String pem) {
    byte[] der = decodeSingleBlock(pem == null ? "" : pem);
    SubjectPublicKeyInfo spki;
    try {
      spki = SubjectPublicKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a DER SubjectPublicKeyInfo");
    }
    String oid = spki.getAlgorithm().getAlgorithm().getId();
    PublicKey key =
        switch (oid) {
          case EC -> {
            checkCurve(spki);
            yield generate("EC", der);
          }
          case RSA -> checkRsaSize(generate("RSA", der));
          case ED25519 -> generate("Ed25519", der);
          default -> throw new IllegalArgumentException("unsupported key algorithm " + oid);
        };
    return new TrustedKey(key, fingerprint(key));
  }

  /**
   * The first PEM block of {@code text}, as Go's {@code pem.Decode} (and so sigstore's {@code
   * UnmarshalPEMToPublicKey}, which policy-controller and cosign's {@code k8s://} keys use) reads a
   * key: text before it and blocks after it are ignored.
   */
  public static Optional<String> firstBlock(String text) {
    Matcher m = BLOCK.matcher(text);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /** {@code SHA256:} and the unpadded base64 of the SHA-256 of the key's PKIX DER encoding. */
  public static String fingerprint(PublicKey key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  private static byte[] decodeSingleBlock(String pem) {
    List<MatchResult> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      blocks.add(m.toMatchResult());
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no -----BEGIN PUBLIC KEY----- block");
    }
    if (blocks.size() > 1) {
      throw new IllegalArgumentException(
          blocks.size() + " PEM blocks; expected exactly one PUBLIC KEY");
    }
    String type = blocks.get(0).group(1);
    if (type.contains("PRIVATE KEY")) {
      // Never accept, and say why: a private key in a policy file is a leak to fix, not a typo.
      throw new IllegalArgumentException(
          "a " + type + " block; a policy must contain only the public key");
    }
    if (!type.equals("PUBLIC KEY")) {
      throw new IllegalArgumentException("a " + type + " block, expected PUBLIC KEY");
    }
    String body = blocks.get(0).group(2).replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid base64 in the PEM block");
    }
  }

  private static void checkCurve(SubjectPublicKeyInfo spki) {
    var params = spki.getAlgorithm().getParameters();
    String curve = params instanceof ASN1ObjectIdentifier id ? id.getId() : null;
    if (curve == null || !CURVES.containsKey(curve)) {
      throw new IllegalArgumentException(
          "unsupported EC curve "
              + (curve == null ? "(explicit parameters)" : curve)
              + "; expected P-256, P-384 or P-521");
    }
  }

  private static PublicKey checkRsaSize(PublicKey key) {
    int bits = ((RSAPublicKey) key).getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new IllegalArgumentException(
          "RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " required");
    }
    return key;
  }

  private static PublicKey generate(String algorithm, byte[] der) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid " + algorithm + " public key: " + e.getMessage());
    }
  }
}
