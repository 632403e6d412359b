package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Parses transparency-log entries from the two places cosign puts them. */
final class TlogEntries {
  /** sigstore-go's limit ({@code internal/limits MaxAllowedTlogEntries}). */
  static final int MAX_ENTRIES = 32;

  /** Rekor bodies hold a certificate or key and a signature: a few KiB. */
  static final int MAX_BODY_BYTES = 256 * 1024;

  static final int MAX_CHECKPOINT_CHARS = 16 * 1024;

  /** Rekor trees are far below 2^64 leaves; an audit path has at most 64 hashes. */
  static final int MAX_PROOF_HASHES = 64;

  private TlogEntries() {}

  /** {@code verificationMaterial.tlogEntries} of a bundle; empty when absent. */
  static List<TlogEntry> fromBundle(JsonNode verificationMaterial) throws Rejection {
    if (!StrictJson.present(verificationMaterial, "tlogEntries")) {
      return List.of();
    }
    JsonNode array =
        StrictJson.array(verificationMaterial, "tlogEntries", "verificationMaterial.tlogEntries");
    if (array.size() > MAX_ENTRIES) {
      throw new Rejection("bundle has " + array.size() + " tlog entries, more than " + MAX_ENTRIES);
    }
    List<TlogEntry> entries = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      entries.add(bundleEntry(array.get(i), "tlogEntries[" + i + "]"));
    }
    return List.copyOf(entries);
  }

  private static TlogEntry bundleEntry(JsonNode e, String path) throws Rejection {
    if (!e.isObject()) {
      throw new Rejection(path + " is not a JSON object");
    }
    JsonNode kv = StrictJson.object(e, "kindVersion", path + ".kindVersion");
    String kindVersion =
        StrictJson.text(kv, "kind", path + ".kindVersion.kind")
            + "/"
            + StrictJson.text(kv, "version", path + ".kindVersion.version");
    byte[] logId =
        bytes(StrictJson.object(e, "logId", path + ".logId"), "keyId", path + ".logId.keyId");
    Optional<byte[]> set = Optional.empty();
    if (StrictJson.present(e, "inclusionPromise")) {
      JsonNode promise = StrictJson.object(e, "inclusionPromise", path + ".inclusionPromise");
      set =
          Optional.of(
              bytes(
                  promise,
                  "signedEntryTimestamp",
                  path + ".inclusionPromise.signedEntryTimestamp"));
    }
    Optional<TlogEntry.InclusionProof> proof = Optional.empty();
    if (StrictJson.present(e, "inclusionProof")) {
      proof =
          Optional.of(
              proof(StrictJson.object(e, "inclusionProof", path + ".inclusionProof"), path));
    }
    byte[] body = bytes(e, "canonicalizedBody", path + ".canonicalizedBody");
    if (body.length > MAX_BODY_BYTES) {
      throw new Rejection(path + ".canonicalizedBody is " + body.length + " bytes, too large");
    }
    return new TlogEntry(
        path,
        int64(e, "logIndex", path + ".logIndex", true),
        hexOf(logId, path + ".logId.keyId"),
        Optional.of(kindVersion),
        int64(e, "integratedTime", path + ".integratedTime", false),
        body,
        set,
        proof);
  }

  private static TlogEntry.InclusionProof proof(JsonNode p, String path) throws Rejection {
    String at = path + ".inclusionProof";
    JsonNode hashes = StrictJson.array(p, "hashes", at + ".hashes");
    if (hashes.size() > MAX_PROOF_HASHES) {
      throw new Rejection(at + ".hashes has " + hashes.size() + " entries, too many");
    }
    List<byte[]> path32 = new ArrayList<>();
    for (int i = 0; i < hashes.size(); i++) {
      if (!hashes.get(i).isTextual()) {
        throw new Rejection(at + ".hashes[" + i + "] is not a JSON string");
      }
      String hashPath = at + ".hashes[" + i + "]";
      path32.add(hash32(Encodings.protoJsonBytes(hashes.get(i).textValue(), hashPath), hashPath));
    }
    String checkpoint =
        StrictJson.text(
            StrictJson.object(p, "checkpoint", at + ".checkpoint"),
            "envelope",
            at + ".checkpoint.envelope");
    if (checkpoint.length() > MAX_CHECKPOINT_CHARS) {
      throw new Rejection(at + ".checkpoint is " + checkpoint.length() + " characters, too long");
    }
    return new TlogEntry.InclusionProof(
        int64(p, "logIndex", at + ".logIndex", true),
        int64(p, "treeSize", at + ".treeSize", true),
        hash32(bytes(p, "rootHash", at + ".rootHash"), at + ".rootHash"),
        List.copyOf(path32),
        checkpoint);
  }

  /**
   * The legacy {@code dev.sigstore.cosign/bundle} annotation: {@code {"SignedEntryTimestamp":b64,
   * "Payload":{"body":b64,"integratedTime":n,"logIndex":n,"logID":hex}}} ({@code
   * pkg/cosign/bundle/rekor.go RekorBundle}). It carries no inclusion proof.
   */
  static TlogEntry fromLegacyAnnotation(String json) throws Rejection {
    String what = "dev.sigstore.cosign/bundle annotation";
    JsonNode root =
        StrictJson.parseObject(json.getBytes(StandardCharsets.UTF_8), 2 * MAX_BODY_BYTES, what);
    byte[] set =
        Encodings.standardBase64(
            StrictJson.text(root, "SignedEntryTimestamp", what + " SignedEntryTimestamp"),
            what + " SignedEntryTimestamp");
    JsonNode payload = StrictJson.object(root, "Payload", what + " Payload");
    byte[] body =
        Encodings.standardBase64(
            StrictJson.text(payload, "body", what + " Payload.body"), what + " Payload.body");
    if (body.length > MAX_BODY_BYTES) {
      throw new Rejection(what + " Payload.body is " + body.length + " bytes, too large");
    }
    String logIdText = StrictJson.text(payload, "logID", what + " Payload.logID");
    byte[] logId;
    try {
      logId = HexFormat.of().parseHex(logIdText);
    } catch (IllegalArgumentException e) {
      throw new Rejection(what + " Payload.logID " + Texts.quote(logIdText) + " is not hex");
    }
    return new TlogEntry(
        "Rekor bundle annotation",
        int64(payload, "logIndex", what + " Payload.logIndex", true),
        hexOf(logId, what + " Payload.logID"),
        Optional.empty(),
        int64(payload, "integratedTime", what + " Payload.integratedTime", true),
        body,
        Optional.of(set),
        Optional.empty());
  }

  private static byte[] bytes(JsonNode parent, String field, String path) throws Rejection {
    return Encodings.nonEmpty(
        Encodings.protoJsonBytes(StrictJson.text(parent, field, path), path), path);
  }

  private static byte[] hash32(byte[] hash, String path) throws Rejection {
    if (hash.length != 32) {
      throw new Rejection(path + " is " + hash.length + " bytes, not a SHA-256 hash");
    }
    return hash;
  }

  private static String hexOf(byte[] logId, String path) throws Rejection {
    if (logId.length != 32) {
      throw new Rejection(path + " is " + logId.length + " bytes, not a 32-byte log ID");
    }
    return HexFormat.of().formatHex(logId);
  }

  /**
   * A protobuf-JSON int64: a JSON string of digits (what protojson writes) or a JSON number (what
   * the legacy annotation has). Negative values are refused; absent optional ones are 0.
   */
  static long int64(JsonNode parent, String field, String path, boolean required) throws Rejection {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new Rejection(path + " is missing");
      }
      return 0;
    }
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.longValue();
    } else if (node.isTextual() && node.textValue().matches("[0-9]{1,19}")) {
      try {
        value = Long.parseLong(node.textValue());
      } catch (NumberFormatException e) {
        throw new Rejection(path + " is out of range");
      }
    } else {
      throw new Rejection(path + " is not an integer");
    }
    if (value < 0) {
      throw new Rejection(path + " is negative");
    }
    return value;
  }
}
