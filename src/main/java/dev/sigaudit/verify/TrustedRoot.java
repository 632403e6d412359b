package dev.sigaudit.verify;

import dev.sigaudit.model.Digest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Sigstore trust material keyless verification needs, as a <a
 * href="https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_trustroot.proto">{@code
 * TrustedRoot}</a> ({@code trusted_root.json}) describes it: Fulcio certificate authorities, Rekor
 * transparency logs, certificate-transparency logs and timestamping authorities, each with the
 * period during which it may be relied on.
 *
 * <p>Nothing here is fetched: {@link #publicGood()} is a copy of the public-good instance's root
 * shipped with sigaudit, {@link #load(Path)} reads a mounted file (what a cluster without internet
 * access, or a private Sigstore deployment, uses), and {@link #of} assembles one from a policy's
 * own roots and log keys (Kyverno {@code keyless.roots}, {@code rekor.pubkey}, {@code
 * ctlog.pubkey}). TUF refresh is deliberately out of scope: the scanner is offline.
 *
 * @param certificateAuthorities Fulcio CAs that issue signing certificates
 * @param tlogs Rekor logs whose entries prove when a signature was made
 * @param ctlogs certificate-transparency logs whose SCTs prove a certificate was logged
 * @param timestampAuthorities RFC 3161 TSAs whose timestamps prove when a signature was made
 */
public record TrustedRoot(
    List<CertificateAuthority> certificateAuthorities,
    List<TransparencyLog> tlogs,
    List<TransparencyLog> ctlogs,
    List<CertificateAuthority> timestampAuthorities) {

  /** Where {@link #publicGood()} is read from (a copy of the public-good trusted root). */
  public static final String PUBLIC_GOOD_RESOURCE = "/sigstore/trusted_root_public_good.json";

  public TrustedRoot {
    certificateAuthorities = List.copyOf(certificateAuthorities);
    tlogs = List.copyOf(tlogs);
    ctlogs = List.copyOf(ctlogs);
    timestampAuthorities = List.copyOf(timestampAuthorities);
  }

  /** Assembles trust material from parts (e.g. from a policy's own roots and log keys). */
  public static TrustedRoot of(
      List<CertificateAuthority> certificateAuthorities,
      List<TransparencyLog> tlogs,
      List<TransparencyLog> ctlogs,
      List<CertificateAuthority> timestampAuthorities) {
    return new TrustedRoot(certificateAuthorities, tlogs, ctlogs, timestampAuthorities);
  }

  /**
   * Parses a {@code trusted_root.json} (protobuf JSON, media type {@code
   * application/vnd.dev.sigstore.trustedroot+json;version=0.1} or {@code …trustedroot.v0.2+json}).
   *
   * @throws InvalidTrustedRootException naming the field that is wrong
   */
  public static TrustedRoot parse(byte[] json) {
    return TrustedRootParser.parse(json);
  }

  /** Reads and parses a {@code trusted_root.json} file. */
  public static TrustedRoot load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > TrustedRootParser.MAX_BYTES) {
      throw new InvalidTrustedRootException(
          file
              + " is "
              + size
              + " bytes, more than the "
              + TrustedRootParser.MAX_BYTES
              + " allowed");
    }
    return parse(Files.readAllBytes(file));
  }

  /**
   * The public-good Sigstore trusted root shipped with sigaudit (Fulcio, Rekor v1, CT logs; see the
   * resource's provenance in {@code docs/decisions/0006-keyless-verification.md}).
   */
  public static TrustedRoot publicGood() {
    return PublicGood.ROOT;
  }

  /**
   * The SHA-256 of this root's canonical form: every certificate (DER), log key (DER), log ID,
   * scheme, URL and validity window, in order, each length-prefixed. Equal trust material gives an
   * equal digest in every JVM, whatever file it was read from; any change to it, a different one.
   */
  public Digest digest() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    try {
      for (List<CertificateAuthority> cas : List.of(certificateAuthorities, timestampAuthorities)) {
        data.writeInt(cas.size());
        for (CertificateAuthority ca : cas) {
          field(data, ca.uri().getBytes(StandardCharsets.UTF_8));
          data.writeInt(ca.chain().size());
          for (X509Certificate c : ca.chain()) {
            field(data, c.getEncoded());
          }
          field(data, ca.validFor().toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      for (List<TransparencyLog> logs : List.of(tlogs, ctlogs)) {
        data.writeInt(logs.size());
        for (TransparencyLog l : logs) {
          for (String text :
              List.of(l.baseUrl(), l.logIdHex(), l.scheme().name(), l.validFor().toString())) {
            field(data, text.getBytes(StandardCharsets.UTF_8));
          }
          field(data, l.publicKey().getEncoded());
        }
      }
    } catch (IOException | CertificateEncodingException e) {
      throw new IllegalStateException("encoding the trusted root failed", e);
    }
    return Digest.sha256(out.toByteArray());
  }

  private static void field(DataOutputStream data, byte[] bytes) throws IOException {
    data.writeInt(bytes.length);
    data.write(bytes);
  }

  /** The Rekor log whose log ID (SHA-256 of its public key) is {@code logIdHex}, if trusted. */
  public Optional<TransparencyLog> tlog(String logIdHex) {
    return tlogs.stream().filter(l -> l.logIdHex().equals(logIdHex)).findFirst();
  }

  /** The CT log whose log ID is {@code logIdHex}, if trusted. */
  public Optional<TransparencyLog> ctlog(String logIdHex) {
    return ctlogs.stream().filter(l -> l.logIdHex().equals(logIdHex)).findFirst();
  }

  /**
   * A certificate authority: a Fulcio CA or a timestamping authority.
   *
   * @param uri where it lives, for messages (e.g. {@code https://fulcio.sigstore.dev})
   * @param chain its certificates, the one closest to the leaf first and the root last; for a TSA
   *     the first one may be the TSA's own (non-CA) signing certificate
   * @param validFor when certificates it issued (or timestamps it signed) may be relied on
   */
  public record CertificateAuthority(
      String uri, List<X509Certificate> chain, ValidityWindow validFor) {
    public CertificateAuthority {
      Objects.requireNonNull(uri);
      chain = List.copyOf(chain);
      Objects.requireNonNull(validFor);
      if (chain.isEmpty()) {
        throw new InvalidTrustedRootException(
            "certificate authority " + uri + " has no certificate");
      }
    }

    /** The self-signed root, the trust anchor. */
    public X509Certificate root() {
      return chain.get(chain.size() - 1);
    }

    /** The certificates between an issued certificate and the root (may be empty). */
    public List<X509Certificate> intermediates() {
      return chain.subList(0, chain.size() - 1);
    }
  }

  /**
   * A transparency log (Rekor or certificate transparency) identified by the SHA-256 of its public
   * key, as RFC 6962 §3.2 defines log IDs.
   *
   * @param baseUrl where it lives, for messages
   * @param logIdHex lower-case hex of the log ID
   * @param publicKey the key its signed entry timestamps, checkpoints or SCTs verify with
   * @param scheme the signature scheme the key signs with
   * @param validFor when entries it signed may be relied on
   */
  public record TransparencyLog(
      String baseUrl,
      String logIdHex,
      PublicKey publicKey,
      SignatureScheme scheme,
      ValidityWindow validFor) {
    public TransparencyLog {
      Objects.requireNonNull(baseUrl);
      Objects.requireNonNull(logIdHex);
      Objects.requireNonNull(publicKey);
      Objects.requireNonNull(scheme);
      Objects.requireNonNull(validFor);
      if (!logIdHex.matches("[0-9a-f]{64}")) {
        throw new InvalidTrustedRootException(
            "log " + baseUrl + ": log ID must be 32 bytes of lower-case hex, got " + logIdHex);
      }
    }

    /**
     * A log known only by its public key (Kyverno's {@code rekor.pubkey}, {@code ctlog.pubkey}):
     * its ID is derived from the key, it is valid forever, and it signs with the scheme the key
     * type implies (ECDSA with the curve's hash, RSA PKCS#1 v1.5 with SHA-256, Ed25519).
     */
    public static TransparencyLog fromPublicKey(String baseUrl, PublicKey key) {
      KeyType type = KeyType.of(key);
      SignatureScheme scheme =
          type == KeyType.ED25519 ? SignatureScheme.ED25519 : type.cosignV3Default();
      return new TransparencyLog(baseUrl, logIdOf(key), key, scheme, ValidityWindow.ALWAYS);
    }

    /** The RFC 6962 log ID of {@code key}: hex SHA-256 of its DER SubjectPublicKeyInfo. */
    public static String logIdOf(PublicKey key) {
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        return HexFormat.of().formatHex(hash);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("JDK without SHA-256", e);
      }
    }

    @Override
    public String toString() {
      return baseUrl + " (log ID " + logIdHex.substring(0, 16) + "…)";
    }
  }

  // Holder idiom: parsed once, on first use, and never if nobody asks for it.
  private static final class PublicGood {
    static final TrustedRoot ROOT = load();

    private static TrustedRoot load() {
      try (InputStream in = TrustedRoot.class.getResourceAsStream(PUBLIC_GOOD_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("resource " + PUBLIC_GOOD_RESOURCE + " missing");
        }
        return parse(in.readNBytes(TrustedRootParser.MAX_BYTES + 1));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
