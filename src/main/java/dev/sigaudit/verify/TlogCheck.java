package dev.sigaudit.verify;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies Rekor v1 entries against the trusted root and ties them to the signature being checked,
 * following sigstore-go {@code pkg/verify/tlog.go VerifyTlogEntry} and cosign {@code
 * pkg/cosign/verify.go VerifyBundle}.
 *
 * <p>For each entry from a trusted log: the signed entry timestamp verifies with that log's key,
 * which was valid at the integrated time; an inclusion proof leads from the body to a root hash
 * that a checkpoint signed by the same key commits to; and the body logs <em>this</em> signature,
 * with <em>this</em> certificate or key, over <em>this</em> payload — otherwise a valid entry of
 * any other signature could be stapled on. An entry from a log the root does not know proves
 * nothing and is skipped; an entry from a trusted log that fails any check rejects the candidate,
 * because it can only be a forgery or a mix-up.
 */
final class TlogCheck {
  private TlogCheck() {}

  /**
   * What a log entry must be about.
   *
   * @param kindVersion the Rekor kind cosign writes for this format
   * @param signature the signature bytes being verified
   * @param verifier the signer's certificate or public key (DER)
   * @param payloadSha256 hex SHA-256 of the signed payload (legacy) or DSSE payload (bundle)
   */
  record Binding(
      String kindVersion, byte[] signature, RekorBody.Verifier verifier, String payloadSha256) {}

  /**
   * An entry that verified.
   *
   * @param integratedTime present only when the SET verified: only signed metadata proves time
   */
  record Verified(
      TlogEntry entry, TrustedRoot.TransparencyLog log, Optional<Instant> integratedTime) {
    String describe() {
      return entry.label() + " of " + log.baseUrl();
    }
  }

  /**
   * @param verified entries that passed every check
   * @param skipped why other entries were not used (unknown logs)
   */
  record Outcome(List<Verified> verified, List<String> skipped) {}

  static Outcome check(List<TlogEntry> entries, Binding binding, TrustedRoot root)
      throws Rejection {
    Set<String> seen = new HashSet<>();
    List<Verified> verified = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (TlogEntry entry : entries) {
      // Duplicates could be used to meet a threshold of entries with one real one.
      if (!seen.add(entry.logIdHex() + "/" + entry.logIndex())) {
        throw new Rejection(entry.label() + " duplicates another tlog entry");
      }
      Optional<TrustedRoot.TransparencyLog> log = root.tlog(entry.logIdHex());
      if (log.isEmpty()) {
        skipped.add(
            entry.label()
                + " is from log ID "
                + entry.logIdHex().substring(0, 16)
                + "…, not a Rekor log of the trusted root");
        continue;
      }
      verified.add(verifyEntry(entry, log.get(), binding));
    }
    return new Outcome(List.copyOf(verified), List.copyOf(skipped));
  }

  private static Verified verifyEntry(
      TlogEntry entry, TrustedRoot.TransparencyLog log, Binding binding) throws Rejection {
    if (entry.signedEntryTimestamp().isEmpty() && entry.inclusionProof().isEmpty()) {
      throw new Rejection(
          entry.label() + " has neither an inclusion promise nor an inclusion proof");
    }
    Optional<Instant> time = Optional.empty();
    if (entry.signedEntryTimestamp().isPresent()) {
      time = Optional.of(verifySet(entry, entry.signedEntryTimestamp().get(), log));
    }
    if (entry.inclusionProof().isPresent()) {
      verifyInclusion(entry, entry.inclusionProof().get(), log);
    }
    checkBinding(entry, binding);
    return new Verified(entry, log, time);
  }

  private static Instant verifySet(TlogEntry entry, byte[] set, TrustedRoot.TransparencyLog log)
      throws Rejection {
    if (entry.integratedTime() <= 0) {
      throw new Rejection(entry.label() + " has a signed entry timestamp but no integrated time");
    }
    Instant time = Instant.ofEpochSecond(entry.integratedTime());
    if (!log.validFor().contains(time)) {
      throw new Rejection(
          entry.label()
              + " integrated time "
              + time
              + " is outside the validity "
              + log.validFor()
              + " of Rekor log "
              + log.baseUrl()
              + " in the trusted root");
    }
    if (!SignedEntryTimestamp.verifies(entry, set, log)) {
      throw new Rejection(
          entry.label()
              + " signed entry timestamp does not verify with the key of Rekor log "
              + log
              + " (forged, or signed by another key)");
    }
    return time;
  }

  private static void verifyInclusion(
      TlogEntry entry, TlogEntry.InclusionProof proof, TrustedRoot.TransparencyLog log)
      throws Rejection {
    String what = entry.label() + " inclusion proof";
    byte[] root;
    try {
      root =
          MerkleInclusion.rootFromProof(
              proof.logIndex(),
              proof.treeSize(),
              MerkleInclusion.leafHash(entry.body()),
              proof.hashes());
    } catch (Rejection r) {
      throw new Rejection(what + ": " + r.getMessage());
    }
    if (!MessageDigest.isEqual(root, proof.rootHash())) {
      throw new Rejection(
          what
              + " does not lead to its root hash (computed "
              + hex(root)
              + ", proof says "
              + hex(proof.rootHash())
              + ")");
    }
    Checkpoint checkpoint;
    try {
      checkpoint = Checkpoint.parse(proof.checkpoint());
    } catch (Rejection r) {
      throw new Rejection(what + ": " + r.getMessage());
    }
    if (checkpoint.treeSize() != proof.treeSize()
        || !MessageDigest.isEqual(checkpoint.rootHash(), proof.rootHash())) {
      throw new Rejection(
          what
              + " is for tree size "
              + proof.treeSize()
              + " root "
              + hex(proof.rootHash())
              + ", but the checkpoint commits to size "
              + checkpoint.treeSize()
              + " root "
              + hex(checkpoint.rootHash()));
    }
    if (!checkpoint.signedBy(log)) {
      throw new Rejection(what + ": checkpoint is not signed by Rekor log " + log);
    }
  }

  private static void checkBinding(TlogEntry entry, Binding binding) throws Rejection {
    RekorBody body = RekorBody.parse(entry.body(), entry.label());
    if (entry.kindVersion().isPresent() && !entry.kindVersion().get().equals(body.kindVersion())) {
      throw new Rejection(
          entry.label()
              + " declares kind "
              + Texts.quote(entry.kindVersion().get())
              + " but its body is "
              + Texts.quote(body.kindVersion()));
    }
    if (!body.kindVersion().equals(binding.kindVersion())) {
      throw new Rejection(
          entry.label()
              + " is a "
              + body.kindVersion()
              + " entry; this signature format is logged"
              + " as "
              + binding.kindVersion());
    }
    if (!MessageDigest.isEqual(body.signature(), binding.signature())) {
      throw new Rejection(
          entry.label() + " logs a different signature (entry for another signature?)");
    }
    RekorBody.Verifier expected = binding.verifier();
    if (body.verifier().certificate() != expected.certificate()
        || !MessageDigest.isEqual(body.verifier().der(), expected.der())) {
      throw new Rejection(
          entry.label()
              + " logs a different "
              + body.verifier().kind()
              + " than the signature's "
              + expected.kind());
    }
    if (!body.payloadSha256().equals(binding.payloadSha256())) {
      throw new Rejection(
          entry.label()
              + " logs payload sha256:"
              + body.payloadSha256()
              + ", the signed payload is"
              + " sha256:"
              + binding.payloadSha256());
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes).substring(0, 16) + "…";
  }
}
