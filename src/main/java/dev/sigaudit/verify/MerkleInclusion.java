package dev.sigaudit.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * RFC 6962 Merkle-tree hashing and inclusion-proof verification (<a
 * href="https://www.rfc-editor.org/rfc/rfc9162#section-2.1.3.2">RFC 9162 §2.1.3.2</a>, the
 * algorithm Rekor's {@code transparency-dev/merkle} implements).
 */
final class MerkleInclusion {
  private MerkleInclusion() {}

  /** {@code SHA-256(0x00 || leaf)}: the 0x00/0x01 prefixes keep leaves and nodes apart. */
  static byte[] leafHash(byte[] leaf) {
    MessageDigest sha = sha256();
    sha.update((byte) 0);
    return sha.digest(leaf);
  }

  static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 1);
    sha.update(left);
    return sha.digest(right);
  }

  /**
   * The root the proof leads to, from the leaf at {@code index} in a tree of {@code size} leaves.
   *
   * @throws Rejection when the proof's shape does not fit the index and size
   */
  static byte[] rootFromProof(long index, long size, byte[] leafHash, List<byte[]> path)
      throws Rejection {
    if (size <= 0 || index < 0 || index >= size) {
      throw new Rejection("inclusion proof index " + index + " is not inside tree size " + size);
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        throw new Rejection("inclusion proof has more hashes than the tree is deep");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new Rejection("inclusion proof has fewer hashes than the tree is deep");
    }
    return r;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }
}
