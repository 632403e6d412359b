package dev.sigaudit.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as defined by the <a
 * href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI image
 * spec</a>, restricted to the registered algorithms {@code sha256} and {@code sha512}.
 *
 * <p>Parsing is strict (lower-case hex of the exact length) because digests come from untrusted
 * sources and end up in URLs and tag names.
 */
public record Digest(String algorithm, String hex) {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    boolean ok =
        switch (algorithm) {
          case "sha256" -> hex != null && SHA256.matcher(hex).matches();
          case "sha512" -> hex != null && SHA512.matcher(hex).matches();
          default -> false;
        };
    if (!ok) {
      throw new IllegalArgumentException("invalid digest: " + algorithm + ":" + hex);
    }
  }

  /** Parses {@code sha256:<64 hex>} or {@code sha512:<128 hex>}. */
  public static Digest parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("invalid digest: null");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid digest (no algorithm): " + abbreviate(text));
    }
    try {
      return new Digest(text.substring(0, colon), text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid digest: " + abbreviate(text), e);
    }
  }

  /** The sha256 digest of {@code content}. */
  public static Digest sha256(byte[] content) {
    return new Digest("sha256", HexFormat.of().formatHex(hash("SHA-256", content)));
  }

  /** Whether {@code content} hashes to this digest (same algorithm as this digest). */
  public boolean matches(byte[] content) {
    String jca = algorithm.equals("sha256") ? "SHA-256" : "SHA-512";
    return MessageDigest.isEqual(HexFormat.of().parseHex(hex), hash(jca, content));
  }

  /**
   * The tag cosign derives from this digest: {@code sha256-<hex>}. Legacy signatures live at this
   * tag plus {@code .sig}; the OCI 1.1 referrers fallback index lives at the tag itself.
   */
  public String tagForm() {
    return algorithm + "-" + hex;
  }

  /** A short form for logs and tables: {@code sha256:0123456789ab}. */
  public String shortForm() {
    return algorithm + ":" + hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  private static byte[] hash(String jcaName, byte[] content) {
    try {
      return MessageDigest.getInstance(jcaName).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + jcaName, e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
