package dev.sigaudit.verify;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

/**
 * ECDSA verification on BouncyCastle's lightweight API (a library call, no provider registered).
 *
 * <p>Why not the JDK's {@code SHA256withECDSA}: sigaudit runs with C1 only, and the JDK's P-256
 * field arithmetic leans on C2 intrinsics ({@code Math.unsignedMultiplyHigh} and the Montgomery
 * multiply); under C1 one P-256 verification cost ~3–4 ms, and ECDSA was ~35% of a cold scan's CPU
 * in a JFR profile. BouncyCastle's P-256 code is plain integer arithmetic with a precomputed table
 * for the generator: ~0.2–0.6 ms under C1, and faster than the JDK's under C2 as well ({@code
 * CryptoBenchmark}, decision 0002). Verification handles only public data, so constant-time code
 * buys nothing here.
 *
 * <p>The rules of Go's {@code ecdsa.VerifyASN1}, which cosign uses: the signature must be exactly
 * the DER {@code SEQUENCE {r, s}} (it is decoded, re-encoded and compared, so BER, redundant
 * leading zeros, trailing bytes and an INTEGER that is negative as written are invalid); {@code 0 <
 * r, s < n}; the hash is truncated to the order's length as FIPS 186 says. Where they differ this
 * is stricter than the JDK, never laxer: the JDK reads an r or s missing its {@code 0x00} pad (a
 * negative INTEGER) as the positive number, and accepts the signature.
 */
final class EcdsaVerifier {
  /** Converted keys: a policy's few keys are verified against thousands of times per scan. */
  private static final Map<PublicKey, ECPublicKeyParameters> KEYS = new ConcurrentHashMap<>();

  /** Keyless certificates bring a key each; bound what is remembered. */
  private static final int MAX_KEYS = 1024;

  private EcdsaVerifier() {}

  /**
   * Whether {@code signature} is a valid ECDSA signature of {@code message} hashed with {@code
   * digest} (a JDK {@link MessageDigest} name) under {@code key}; anything malformed is invalid.
   */
  static boolean verifies(String digest, ECPublicKey key, byte[] message, byte[] signature) {
    try {
      ECPublicKeyParameters params = parameters(key);
      BigInteger n = params.getParameters().getN();
      BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, signature);
      ECDSASigner verifier = new ECDSASigner();
      verifier.init(false, params);
      byte[] hash = MessageDigest.getInstance(digest).digest(message);
      return verifier.verifySignature(hash, rs[0], rs[1]);
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      // Undecodable DER, values out of range, a key on no curve BouncyCastle knows: not valid.
      return false;
    }
  }

  private static ECPublicKeyParameters parameters(ECPublicKey key) throws GeneralSecurityException {
    ECPublicKeyParameters known = KEYS.get(key);
    if (known != null) {
      return known;
    }
    // Validates the point: it must lie on the key's curve.
    var converted = (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key);
    if (KEYS.size() >= MAX_KEYS) {
      KEYS.clear();
    }
    KEYS.put(key, converted);
    return converted;
  }
}
