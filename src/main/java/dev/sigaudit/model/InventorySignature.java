package dev.sigaudit.model;

import java.time.Instant;
import java.util.Optional;

/**
 * One signature as the zero-config inventory describes it: who it says signed, without a policy to
 * say whom to trust.
 *
 * @param signer the certificate identity (verified against the trusted root), the key a bundle's
 *     unauthenticated hint names ({@code SHA256:<unpadded base64>}, the notation of every output),
 *     {@code key (…)}, or why a certificate did not verify
 * @param verified whether the signer identity was verified (keyless signatures only)
 * @param tlogEvidence whether the signature carries a transparency-log entry
 * @param integratedTime the log's integrated time, as the entry states it
 */
public record InventorySignature(
    SignatureFormat format,
    String signer,
    Optional<String> issuer,
    boolean verified,
    boolean tlogEvidence,
    Optional<Instant> integratedTime) {}
