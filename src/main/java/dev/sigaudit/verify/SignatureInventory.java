package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.InventorySignature;
import dev.sigaudit.model.SignatureCandidate;
import dev.sigaudit.model.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who signs what, before any policy exists: for each signature found, its format and what it says
 * about its signer. A keyless signature is checked against the trusted root for <em>any</em>
 * identity, so its certificate identity and issuer are reported only when the chain, SCT and
 * transparency-log evidence verify; a key-based signature cannot be verified without the key, so
 * only what it names about the key (a bundle's unauthenticated hint) is reported.
 */
public final class SignatureInventory {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeylessVerifier keyless = new KeylessVerifier();
  private final KeylessRequirements anyIdentity;

  public SignatureInventory(TrustedRoot root) {
    this.anyIdentity =
        KeylessRequirements.of(
            List.of(new KeylessIdentity(IdentityMatch.any(), IdentityMatch.any())), root);
  }

  public List<InventorySignature> describe(Digest digest, List<SignatureCandidate> candidates) {
    List<InventorySignature> out = new ArrayList<>();
    for (SignatureCandidate c : candidates) {
      out.add(
          switch (c) {
            case SignatureCandidate.Legacy l -> legacy(digest, l);
            case SignatureCandidate.Bundle b -> bundle(digest, b);
          });
    }
    return out;
  }

  private InventorySignature legacy(Digest digest, SignatureCandidate.Legacy l) {
    Optional<Instant> time = l.rekorBundle().flatMap(SignatureInventory::setTime);
    if (l.certificatePem().isEmpty()) {
      return new InventorySignature(
          l.format(),
          "key (a .sig signature does not name its key)",
          Optional.empty(),
          false,
          time.isPresent(),
          time);
    }
    return keyless(digest, l, time.isPresent(), time);
  }

  private InventorySignature bundle(Digest digest, SignatureCandidate.Bundle b) {
    SigstoreBundle parsed;
    List<TlogEntry> entries;
    try {
      parsed = SigstoreBundle.parse(b.bundleJson());
      entries = parsed.tlogEntries();
    } catch (Rejection e) {
      return new InventorySignature(
          b.format(),
          "unreadable bundle: " + e.getMessage(),
          Optional.empty(),
          false,
          false,
          Optional.empty());
    }
    Optional<Instant> time =
        entries.stream()
            .filter(e -> e.integratedTime() > 0)
            .findFirst()
            .map(e -> Instant.ofEpochSecond(e.integratedTime()));
    if (parsed.material() instanceof SigstoreBundle.Material.PublicKey k) {
      return new InventorySignature(
          b.format(),
          k.hint().map(SignatureInventory::keyNamed).orElse("key (no hint)"),
          Optional.empty(),
          false,
          !entries.isEmpty(),
          time);
    }
    return keyless(digest, b, !entries.isEmpty(), time);
  }

  private InventorySignature keyless(
      Digest digest, SignatureCandidate c, boolean tlog, Optional<Instant> time) {
    Verdict v = keyless.verify(digest, List.of(c), anyIdentity);
    if (v instanceof Verdict.Verified ok) {
      return new InventorySignature(
          c.format(), ok.signer().description(), ok.signer().issuer(), true, tlog, time);
    }
    String why =
        v instanceof Verdict.Rejected r
            ? String.join("; ", r.reasons())
            : v.getClass().getSimpleName();
    return new InventorySignature(
        c.format(), "certificate not verified: " + why, Optional.empty(), false, tlog, time);
  }

  /**
   * The key a bundle's hint names, in the notation of every other output ({@code SHA256:} and
   * unpadded base64, as {@link PublicKeys#fingerprint} writes a trusted key), so the same key reads
   * the same in {@code inventory.csv}, {@code results.csv} and the reports. cosign's hint is the
   * padded base64 of the same SHA-256; a hint of another shape is shown as it is. Either way it is
   * unauthenticated: the signer stays unverified.
   */
  static String keyNamed(String hint) {
    try {
      byte[] sha = java.util.Base64.getDecoder().decode(hint);
      if (sha.length == 32) {
        return "SHA256:" + java.util.Base64.getEncoder().withoutPadding().encodeToString(sha);
      }
    } catch (IllegalArgumentException e) {
      // not base64: not cosign's hint; shown verbatim below
    }
    return "key hint:" + hint;
  }

  /** {@code Payload.integratedTime} of a legacy {@code dev.sigstore.cosign/bundle} annotation. */
  private static Optional<Instant> setTime(String annotation) {
    try {
      JsonNode t = JSON.readTree(annotation).path("Payload").path("integratedTime");
      return t.canConvertToLong() && t.asLong() > 0
          ? Optional.of(Instant.ofEpochSecond(t.asLong()))
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
