package dev.sigaudit.verify.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Rekor v1 log in memory: writes {@code hashedrekord}/{@code dsse} bodies, signs entry timestamps
 * over their canonical JSON, and produces RFC 6962 inclusion proofs with a signed checkpoint.
 * Written from the specs, independently of the production verifier.
 */
public final class FakeRekor {
  /** How many entries precede ours in the fake tree, so that the proof is not trivial. */
  static final int ENTRIES_BEFORE = 6;

  private final KeyPair keys;
  private final String origin;

  FakeRekor(KeyPair keys, String origin) {
    this.keys = keys;
    this.origin = origin;
  }

  /** An entry as the log returns it, with every part overridable by tests. */
  public static final class Entry {
    public byte[] body;
    public long logIndex = 9_000 + ENTRIES_BEFORE;
    public long integratedTime;
    public String logIdHex;
    public byte[] set;
    public long proofIndex = ENTRIES_BEFORE;
    public long treeSize = ENTRIES_BEFORE + 1;
    public byte[] rootHash;
    public List<byte[]> hashes;
    public String checkpoint;
    public boolean withSet = true;
    public boolean withProof = true;
    public String kind;
    public String version = "0.0.1";

    /** The legacy {@code dev.sigstore.cosign/bundle} annotation value. */
    public String legacyAnnotation() {
      ObjectNode root = CosignPayloads.JSON.createObjectNode();
      root.put("SignedEntryTimestamp", FakeSigstore.b64(set));
      ObjectNode payload = root.putObject("Payload");
      payload.put("body", FakeSigstore.b64(body));
      payload.put("integratedTime", integratedTime);
      payload.put("logIndex", logIndex);
      payload.put("logID", logIdHex);
      return CosignPayloads.write(root);
    }

    /** A bundle {@code tlogEntries[]} element (protobuf JSON: int64 as strings). */
    public void writeTo(ObjectNode e) {
      e.put("logIndex", Long.toString(logIndex));
      e.putObject("logId").put("keyId", FakeSigstore.b64(HexFormat.of().parseHex(logIdHex)));
      e.putObject("kindVersion").put("kind", kind).put("version", version);
      e.put("integratedTime", Long.toString(integratedTime));
      if (withSet) {
        e.putObject("inclusionPromise").put("signedEntryTimestamp", FakeSigstore.b64(set));
      }
      if (withProof) {
        ObjectNode p = e.putObject("inclusionProof");
        p.put("logIndex", Long.toString(proofIndex));
        p.put("rootHash", FakeSigstore.b64(rootHash));
        p.put("treeSize", Long.toString(treeSize));
        ArrayNode h = p.putArray("hashes");
        hashes.forEach(x -> h.add(FakeSigstore.b64(x)));
        p.putObject("checkpoint").put("envelope", checkpoint);
      }
      e.put("canonicalizedBody", FakeSigstore.b64(body));
    }
  }

  /** Logs {@code body} at {@code integratedTime}: SET, inclusion proof and checkpoint. */
  public Entry log(byte[] body, String kind, Instant integratedTime) {
    Entry e = new Entry();
    e.body = body;
    e.kind = kind;
    e.integratedTime = integratedTime.getEpochSecond();
    e.logIdHex = FakeSigstore.logId(keys);
    e.set = signSet(e, keys);
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < ENTRIES_BEFORE; i++) {
      leaves.add(("other entry " + i).getBytes(StandardCharsets.US_ASCII));
    }
    leaves.add(body);
    e.rootHash = root(leaves);
    e.hashes = path(ENTRIES_BEFORE, leaves);
    e.checkpoint = checkpoint(e.treeSize, e.rootHash, keys);
    return e;
  }

  /** The SET: ECDSA over the RFC 8785 JSON of body, integratedTime, logID, logIndex. */
  public static byte[] signSet(Entry e, KeyPair signer) {
    Map<String, Object> payload = new TreeMap<>();
    payload.put("body", FakeSigstore.b64(e.body));
    payload.put("integratedTime", e.integratedTime);
    payload.put("logID", e.logIdHex);
    payload.put("logIndex", e.logIndex);
    return ecdsa(CosignPayloads.write(payload).getBytes(StandardCharsets.UTF_8), signer);
  }

  /** A signed note as Rekor v1 writes it; the key hint is SHA-256(DER key)[0:4]. */
  public String checkpoint(long size, byte[] root, KeyPair signer) {
    String text = origin + " - 1234\n" + size + "\n" + FakeSigstore.b64(root) + "\n";
    byte[] sig = ecdsa(text.getBytes(StandardCharsets.UTF_8), signer);
    byte[] hint = Arrays.copyOf(FakeSigstore.sha256(signer.getPublic().getEncoded()), 4);
    byte[] line = new byte[4 + sig.length];
    System.arraycopy(hint, 0, line, 0, 4);
    System.arraycopy(sig, 0, line, 4, sig.length);
    return text + "\n\u2014 " + origin + " " + FakeSigstore.b64(line) + "\n";
  }

  /** A {@code hashedrekord/0.0.1} body. */
  public static byte[] hashedRekord(byte[] signature, String verifierPem, String payloadSha256) {
    ObjectNode root = CosignPayloads.JSON.createObjectNode();
    root.put("apiVersion", "0.0.1");
    root.put("kind", "hashedrekord");
    ObjectNode spec = root.putObject("spec");
    spec.putObject("data").putObject("hash").put("algorithm", "sha256").put("value", payloadSha256);
    ObjectNode sig = spec.putObject("signature");
    sig.put("content", FakeSigstore.b64(signature));
    sig.putObject("publicKey")
        .put("content", FakeSigstore.b64(verifierPem.getBytes(StandardCharsets.UTF_8)));
    return CosignPayloads.write(root).getBytes(StandardCharsets.UTF_8);
  }

  /** A {@code dsse/0.0.1} body. */
  public static byte[] dsse(byte[] signature, String verifierPem, String payloadSha256) {
    ObjectNode root = CosignPayloads.JSON.createObjectNode();
    root.put("apiVersion", "0.0.1");
    root.put("kind", "dsse");
    ObjectNode spec = root.putObject("spec");
    spec.putObject("envelopeHash").put("algorithm", "sha256").put("value", "00".repeat(32));
    spec.putObject("payloadHash").put("algorithm", "sha256").put("value", payloadSha256);
    spec.putArray("signatures")
        .addObject()
        .put("signature", FakeSigstore.b64(signature))
        .put("verifier", FakeSigstore.b64(verifierPem.getBytes(StandardCharsets.UTF_8)));
    return CosignPayloads.write(root).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] ecdsa(byte[] data, KeyPair signer) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(signer.getPrivate());
      s.update(data);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // RFC 6962 §2.1: MTH and PATH, recursively, straight from the definitions.
  static byte[] root(List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return hash((byte) 0, leaves.get(0));
    }
    int k = split(leaves.size());
    return hash(
        (byte) 1, concat(root(leaves.subList(0, k)), root(leaves.subList(k, leaves.size()))));
  }

  static List<byte[]> path(int m, List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return new ArrayList<>();
    }
    int k = split(leaves.size());
    List<byte[]> out;
    if (m < k) {
      out = path(m, leaves.subList(0, k));
      out.add(root(leaves.subList(k, leaves.size())));
    } else {
      out = path(m - k, leaves.subList(k, leaves.size()));
      out.add(root(leaves.subList(0, k)));
    }
    return out;
  }

  private static int split(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  private static byte[] hash(byte prefix, byte[] data) {
    byte[] in = new byte[data.length + 1];
    in[0] = prefix;
    System.arraycopy(data, 0, in, 1, data.length);
    return FakeSigstore.sha256(in);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
