package dev.sigaudit.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A Rekor v1 checkpoint: a <a href="https://github.com/C2SP/C2SP/blob/main/signed-note.md">signed
 * note</a> whose text is {@code origin\ntree size\nbase64 root hash\n[extra lines]} and whose
 * signature lines are {@code — name base64(key hint || signature)}. Rekor v1's key hint is the
 * first four bytes of SHA-256 over the log's DER public key ({@code sigstore/rekor
 * pkg/util/signed_note.go}).
 *
 * @param text the signed part, up to and including the newline before the blank line
 * @param treeSize the tree size it commits to
 * @param rootHash the root hash it commits to
 * @param signatures the (key hint, signature) pairs
 */
record Checkpoint(String text, long treeSize, byte[] rootHash, List<NoteSignature> signatures) {

  record NoteSignature(byte[] keyHint, byte[] signature) {}

  static Checkpoint parse(String note) throws Rejection {
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      throw new Rejection("checkpoint is not a signed note (no blank line before signatures)");
    }
    if (split + 2 >= note.length()) {
      throw new Rejection("checkpoint has no signature line");
    }
    String text = note.substring(0, split + 1);
    String[] lines = text.split("\n", -1);
    // lines: origin, size, hash, [other…], "" (after the final \n)
    if (lines.length < 4 || lines[0].isEmpty()) {
      throw new Rejection("checkpoint text has fewer than three lines");
    }
    long size;
    byte[] hash;
    try {
      size = Long.parseUnsignedLong(lines[1]);
      hash = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new Rejection("checkpoint size or root hash is malformed");
    }
    if (size < 0 || hash.length != 32) {
      throw new Rejection("checkpoint size or root hash is malformed");
    }
    List<NoteSignature> sigs = new ArrayList<>();
    for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
      String[] parts = line.split(" ", -1);
      if (parts.length != 3 || !parts[0].equals("\u2014") || parts[1].isEmpty()) {
        throw new Rejection("checkpoint signature line is malformed");
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(parts[2]);
      } catch (IllegalArgumentException e) {
        throw new Rejection("checkpoint signature is not base64");
      }
      if (raw.length < 5) {
        throw new Rejection("checkpoint signature is too short");
      }
      sigs.add(new NoteSignature(Arrays.copyOf(raw, 4), Arrays.copyOfRange(raw, 4, raw.length)));
    }
    return new Checkpoint(text, size, hash, List.copyOf(sigs));
  }

  /**
   * Whether a signature line by {@code log}'s key (matching key hint) verifies over the text. Lines
   * by other keys (witnesses) are ignored rather than failing the note: only the log's own
   * signature is needed, and an unknown cosigner adds nothing.
   */
  boolean signedBy(TrustedRoot.TransparencyLog log) {
    byte[] hint;
    try {
      hint =
          Arrays.copyOf(
              MessageDigest.getInstance("SHA-256").digest(log.publicKey().getEncoded()), 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
    byte[] message = text.getBytes(StandardCharsets.UTF_8);
    return signatures.stream()
        .anyMatch(
            s ->
                Arrays.equals(s.keyHint(), hint)
                    && log.scheme().verifies(log.publicKey(), message, s.signature()));
  }
}
