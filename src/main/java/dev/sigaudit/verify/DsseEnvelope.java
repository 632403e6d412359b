package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A <a href="https://github.com/secure-systems-lab/dsse/blob/master/envelope.md">DSSE envelope</a>
 * as the Sigstore bundle carries it ({@code dsseEnvelope}: {@code payload}, {@code payloadType},
 * {@code signatures[].sig}, all bytes base64-encoded).
 *
 * @param payloadType the type the signer declared; part of what is signed
 * @param payload the decoded payload bytes
 * @param signatures the decoded signatures (their {@code keyid} is an unauthenticated hint and is
 *     not kept)
 */
record DsseEnvelope(String payloadType, byte[] payload, List<byte[]> signatures) {
  private static final int MAX_SIGNATURES = 16;

  static DsseEnvelope parse(JsonNode envelope) throws Rejection {
    String type = StrictJson.text(envelope, "payloadType", "dsseEnvelope.payloadType");
    byte[] payload =
        Encodings.protoJsonBytes(
            StrictJson.text(envelope, "payload", "dsseEnvelope.payload"), "dsseEnvelope.payload");
    JsonNode signatures = StrictJson.array(envelope, "signatures", "dsseEnvelope.signatures");
    if (signatures.size() > MAX_SIGNATURES) {
      throw new Rejection("dsseEnvelope has " + signatures.size() + " signatures, too many");
    }
    List<byte[]> decoded = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      String path = "dsseEnvelope.signatures[" + i + "]";
      JsonNode entry = signatures.get(i);
      if (!entry.isObject()) {
        throw new Rejection(path + " is not a JSON object");
      }
      String sig = StrictJson.text(entry, "sig", path + ".sig");
      decoded.add(Encodings.nonEmpty(Encodings.protoJsonBytes(sig, path + ".sig"), path + ".sig"));
    }
    return new DsseEnvelope(type, payload, List.copyOf(decoded));
  }

  /**
   * The DSSE pre-authentication encoding, which is what the signature covers: {@code "DSSEv1" SP
   * LEN(type) SP type SP LEN(body) SP body}, lengths being byte counts in ASCII decimal (<a
   * href="https://github.com/secure-systems-lab/dsse/blob/master/protocol.md">DSSE protocol</a>).
   * Signing the type too prevents a signature over one kind of document being replayed as another.
   */
  static byte[] pae(String payloadType, byte[] payload) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
    out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(type);
    out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  byte[] pae() {
    return pae(payloadType, payload);
  }
}
