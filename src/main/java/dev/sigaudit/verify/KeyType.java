package dev.sigaudit.verify;

import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.KeyAcceptance;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.List;
import java.util.Optional;

/**
 * The public-key kinds cosign can sign with, each with the signature schemes a signature made with
 * it may use.
 *
 * <p>Which schemes, and why more than one for some keys — checked in the upstream sources:
 *
 * <ul>
 *   <li>cosign v3 signs (legacy {@code .sig} and bundles alike) through {@code
 *       internal/key/svkeypair.go}, which hashes with {@code signature.GetDefaultAlgorithmDetails}
 *       ({@code sigstore/sigstore pkg/signature/algorithm_registry.go}): P-256 → SHA-256, P-384 →
 *       SHA-384, P-521 → SHA-512, RSA 2048/3072/4096 → PKCS#1 v1.5 with SHA-256, and Ed25519 →
 *       Ed25519ph, because {@code pkg/cosign/keys.go GetDefaultLoadOptions} turns on {@code
 *       WithED25519ph()}.
 *   <li>Older cosign signed every ECDSA key with SHA-256 and Ed25519 in its pure form, and {@code
 *       cosign verify --key} still loads the key with {@code signature.LoadVerifier(pub,
 *       crypto.SHA256)} ({@code cmd/cosign/cli/verify/verify.go} forces SHA-256 when {@code
 *       --signature-digest-algorithm} is unset). sigstore-go keeps a "compat" verifier that retries
 *       P-384/P-521 with SHA-256 for the same reason ({@code pkg/verify/signature.go
 *       compatSignatureVerifier}).
 * </ul>
 *
 * <p>So signatures in the wild use either hash; for sigaudit's own policies accepting both is safe
 * because a forgery under either is as hard as under the other (both are collision-resistant, and
 * ECDSA/Ed25519 bind the digest, not the algorithm name). RSA-PSS is not accepted: cosign only uses
 * it when explicitly asked, and a cosign public key file does not say so.
 *
 * <p>The admission engines are stricter: they verify with exactly one scheme per key and policy
 * ({@link #engineScheme}), and a policy read from the cluster is judged their way ({@link
 * #schemesFor}).
 */
public enum KeyType {
  ECDSA_P256(
      "ECDSA P-256",
      List.of(SignatureScheme.ECDSA_SHA256),
      "secp256r1",
      SignatureScheme.ECDSA_SHA256),
  ECDSA_P384(
      "ECDSA P-384",
      List.of(SignatureScheme.ECDSA_SHA384, SignatureScheme.ECDSA_SHA256),
      "secp384r1",
      SignatureScheme.ECDSA_SHA384),
  ECDSA_P521(
      "ECDSA P-521",
      List.of(SignatureScheme.ECDSA_SHA512, SignatureScheme.ECDSA_SHA256),
      "secp521r1",
      SignatureScheme.ECDSA_SHA512),
  RSA("RSA", List.of(SignatureScheme.RSA_PKCS1_SHA256), null, SignatureScheme.RSA_PKCS1_SHA256),
  ED25519(
      "Ed25519",
      List.of(SignatureScheme.ED25519, SignatureScheme.ED25519_PH),
      null,
      SignatureScheme.ED25519_PH);

  /** RSA keys below this size are refused, as the brief and current guidance require. */
  public static final int MIN_RSA_BITS = 2048;

  /**
   * Larger RSA keys are refused too: Fulcio and sigstore's {@code cryptoutils.ValidatePubKey} stop
   * at 4096 bits, and an unbounded modulus only makes verification slower.
   */
  public static final int MAX_RSA_BITS = 8192;

  private final String label;
  private final List<SignatureScheme> schemes;
  private final String jdkCurve;
  private final SignatureScheme cosignV3Default;

  KeyType(
      String label, List<SignatureScheme> schemes, String jdkCurve, SignatureScheme cosignDefault) {
    this.label = label;
    this.schemes = schemes;
    this.jdkCurve = jdkCurve;
    this.cosignV3Default = cosignDefault;
  }

  /** The name messages use, e.g. {@code ECDSA P-384}. */
  public String label() {
    return label;
  }

  /** The schemes a signature by this key may use, the one cosign v3 signs with first. */
  public List<SignatureScheme> acceptedSchemes() {
    return schemes;
  }

  /**
   * The one scheme an admission engine accepts for this key type when its policy names {@code
   * hash}: what sigstore's {@code signature.LoadVerifier(key, hash)} builds ({@code
   * pkg/signature/verifier.go LoadVerifierWithOpts}, which Kyverno and policy-controller call
   * without the Ed25519ph option). ECDSA uses {@code hash} on every curve, so a policy left at
   * SHA-256 rejects what cosign ≥ 2 writes for P-384 and P-521 keys; Ed25519 is always pure, so
   * cosign's Ed25519ph signatures are never accepted; RSA PKCS#1 v1.5 takes SHA-256/384/512 only
   * ({@code rsaSupportedHashFuncs}), so there is no scheme for RSA with SHA-224 — the engine cannot
   * load such a key and rejects every signature.
   */
  public Optional<SignatureScheme> engineScheme(HashAlgorithm hash) {
    return switch (this) {
      case ECDSA_P256, ECDSA_P384, ECDSA_P521 ->
          Optional.of(
              switch (hash) {
                case SHA224 -> SignatureScheme.ECDSA_SHA224;
                case SHA256 -> SignatureScheme.ECDSA_SHA256;
                case SHA384 -> SignatureScheme.ECDSA_SHA384;
                case SHA512 -> SignatureScheme.ECDSA_SHA512;
              });
      case RSA ->
          switch (hash) {
            case SHA224 -> Optional.empty();
            case SHA256 -> Optional.of(SignatureScheme.RSA_PKCS1_SHA256);
            case SHA384 -> Optional.of(SignatureScheme.RSA_PKCS1_SHA384);
            case SHA512 -> Optional.of(SignatureScheme.RSA_PKCS1_SHA512);
          };
      case ED25519 -> Optional.of(SignatureScheme.ED25519);
    };
  }

  /**
   * The schemes a signature by this key may use under {@code acceptance}: every scheme cosign may
   * have used, or the engine's one scheme (none when the engine cannot load the key with that
   * hash).
   */
  public List<SignatureScheme> schemesFor(KeyAcceptance acceptance) {
    return acceptance
        .engineHash()
        .map(h -> engineScheme(h).map(List::of).orElse(List.of()))
        .orElse(schemes);
  }

  /** The scheme {@code cosign sign --key} v3 uses for this key type (see the class comment). */
  public SignatureScheme cosignV3Default() {
    return cosignV3Default;
  }

  /**
   * Classifies a JCA public key.
   *
   * @throws InvalidPublicKeyException for any other algorithm, curve or RSA size, naming it
   */
  public static KeyType of(PublicKey key) {
    return switch (key) {
      case ECPublicKey ec -> ecCurve(ec.getParams());
      case RSAPublicKey rsa -> checkRsaSize(rsa.getModulus());
      case EdECPublicKey ed when ed.getParams().getName().equalsIgnoreCase("Ed25519") -> ED25519;
      case EdECPublicKey ed ->
          throw new InvalidPublicKeyException(
              ed.getParams().getName() + " keys are not supported (use Ed25519)");
      default ->
          throw new InvalidPublicKeyException(
              key.getAlgorithm() + " keys are not supported (supported: " + supportedList() + ")");
    };
  }

  /** A description with the RSA size, e.g. {@code RSA-3072} or {@code ECDSA P-256}. */
  public static String describe(PublicKey key) {
    KeyType type = of(key);
    return type == RSA ? "RSA-" + ((RSAPublicKey) key).getModulus().bitLength() : type.label;
  }

  static String supportedList() {
    return "ECDSA P-256, P-384, P-521, RSA " + MIN_RSA_BITS + "-" + MAX_RSA_BITS + " bits, Ed25519";
  }

  private static KeyType checkRsaSize(BigInteger modulus) {
    int bits = modulus.bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new InvalidPublicKeyException(
          "RSA key of " + bits + " bits is too small (minimum " + MIN_RSA_BITS + ")");
    }
    if (bits > MAX_RSA_BITS) {
      throw new InvalidPublicKeyException(
          "RSA key of " + bits + " bits is too large (maximum " + MAX_RSA_BITS + ")");
    }
    return RSA;
  }

  private static KeyType ecCurve(ECParameterSpec params) {
    for (KeyType type : values()) {
      if (type.jdkCurve != null && sameCurve(params, namedCurve(type.jdkCurve))) {
        return type;
      }
    }
    // The PEM path names the curve from its OID before we get here; this is the fallback for
    // keys built elsewhere.
    throw new InvalidPublicKeyException(
        "ECDSA key on an unsupported curve (order " + params.getOrder().bitLength() + " bits)");
  }

  // ECParameterSpec has no equals(); compare the parts that define the group.
  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }

  private static ECParameterSpec namedCurve(String name) {
    try {
      AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
      params.init(new ECGenParameterSpec(name));
      return params.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK without curve " + name, e);
    }
  }
}
