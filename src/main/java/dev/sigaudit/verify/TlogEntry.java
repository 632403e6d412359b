package dev.sigaudit.verify;

import java.util.List;
import java.util.Optional;

/**
 * One Rekor (v1) transparency-log entry as a signature carries it: a bundle's {@code
 * verificationMaterial.tlogEntries[]} (<a
 * href="https://github.com/sigstore/protobuf-specs/blob/main/protos/sigstore_rekor.proto">sigstore_rekor.proto</a>
 * {@code TransparencyLogEntry}) or the legacy {@code dev.sigstore.cosign/bundle} annotation (a
 * signed entry timestamp only). Nothing in it is trusted until {@link TlogCheck} verified it.
 *
 * @param label names the entry in messages, e.g. {@code tlogEntries[0]}
 * @param logIndex the entry's global index (what the SET signs)
 * @param logIdHex the log's ID (SHA-256 of its key), lower-case hex
 * @param kindVersion the declared {@code kind/version} (bundles only), e.g. {@code dsse/0.0.1}
 * @param integratedTime seconds since the epoch when the log says it saw the entry; 0 if absent
 * @param body the canonicalized entry body, the Merkle leaf
 * @param signedEntryTimestamp the log's signature over body, time, index and ID (inclusion promise)
 * @param inclusionProof the Merkle proof with a signed checkpoint, if shipped
 */
record TlogEntry(
    String label,
    long logIndex,
    String logIdHex,
    Optional<String> kindVersion,
    long integratedTime,
    byte[] body,
    Optional<byte[]> signedEntryTimestamp,
    Optional<InclusionProof> inclusionProof) {

  /**
   * An RFC 6962 inclusion proof of the body in a tree whose root a checkpoint signs.
   *
   * @param logIndex the leaf index in this log shard's tree (differs from the global index)
   * @param treeSize the tree size the proof is for
   * @param rootHash the tree's root hash
   * @param hashes the audit path, leaf side first
   * @param checkpoint the signed note ({@code origin\nsize\nbase64 root\n\n— name sig\n})
   */
  record InclusionProof(
      long logIndex, long treeSize, byte[] rootHash, List<byte[]> hashes, String checkpoint) {}
}
