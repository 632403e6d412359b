package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.KeyParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code spec.attestors[]}. A malformed attestor (no name, a duplicate name, a key that is
 * not PEM) is a problem; a well-formed one that sigaudit cannot verify becomes {@link
 * Attestor.Unsupported} or {@link Attestor.Keyless}.
 *
 * <p>Key attestors require a transparency-log entry unless {@code ctlog.insecureIgnoreTlog} is
 * true, as Kyverno's {@code ivpol/cosign/opts.go checkOptions} does (it loads Sigstore's trust
 * material from TUF and leaves cosign's {@code IgnoreTlog} off); sigaudit verifies that entry
 * against its trusted root. A Rekor key ({@code ctlog.rekorPubKey}), TUF root ({@code tuf}) or
 * trusted root ({@code trustedRoot}) of the policy's own is a requirement sigaudit cannot check.
 * Signature pull secrets ({@code source.PullSecrets}) are ignored: sigaudit uses the Pod's pull
 * secrets.
 */
final class AttestorCompiler {
  private final KeyParser keys;
  private final FieldProblems problems;

  AttestorCompiler(KeyParser keys, FieldProblems problems) {
    this.keys = keys;
    this.problems = problems;
  }

  /** The attestors by name, in policy order. */
  Map<String, Attestor> compile(JsonObject spec) {
    Map<String, Attestor> out = new LinkedHashMap<>();
    List<JsonObject> items = Json.objects(spec, "attestors", "spec.attestors", problems);
    for (int i = 0; i < items.size(); i++) {
      String path = "spec.attestors[" + i + "]";
      JsonObject a = items.get(i);
      if (a == null) {
        continue;
      }
      Optional<String> name = Json.nonEmpty(a, "name", path + ".name", problems);
      if (name.isEmpty()) {
        problems.add(path + ".name", "required");
        continue;
      }
      if (out.containsKey(name.get())) {
        problems.add(path + ".name", "'" + name.get() + "' is the name of an earlier attestor");
        continue;
      }
      attestor(name.get(), a, path).ifPresent(x -> out.put(x.name(), x));
    }
    return out;
  }

  private Optional<Attestor> attestor(String name, JsonObject a, String path) {
    boolean cosign = Json.has(a, "cosign");
    boolean notary = Json.has(a, "notary");
    if (cosign == notary) {
      problems.add(path, "set exactly one of cosign, notary");
      return Optional.empty();
    }
    if (notary) {
      return Optional.of(
          new Attestor.Unsupported(
              name, path + ".notary", "Notary signatures are not supported yet"));
    }
    return Json.object(a, "cosign", path + ".cosign", problems)
        .flatMap(c -> cosign(name, c, path + ".cosign"));
  }

  private Optional<Attestor> cosign(String name, JsonObject c, String path) {
    Optional<ImageRef> repo = repository(c, path + ".source");
    Optional<Attestor> unsupported = unsupportedExtras(name, c, path);
    int kinds =
        (Json.has(c, "key") ? 1 : 0)
            + (Json.has(c, "keyless") ? 1 : 0)
            + (Json.has(c, "certificate") ? 1 : 0);
    if (kinds != 1) {
      problems.add(path, "set exactly one of key, keyless, certificate");
      return Optional.empty();
    }
    if (Json.has(c, "keyless")) {
      return Json.object(c, "keyless", path + ".keyless", problems)
          .map(k -> new Attestor.Keyless(name, identities(k, path + ".keyless")));
    }
    if (Json.has(c, "certificate")) {
      return Optional.of(
          new Attestor.Unsupported(
              name,
              path + ".certificate",
              "certificate attestors are not supported yet",
              true,
              repo));
    }
    JsonObject key = Json.object(c, "key", path + ".key", problems).orElse(null);
    if (key == null) {
      return Optional.empty();
    }
    Optional<Attestor> fromKey =
        key(name, key, path + ".key", repo).map(k -> withTransparency(k, c, path));
    // A key we can parse but an extra we cannot honour: using it would check less than written.
    return fromKey.isPresent() && unsupported.isPresent() ? unsupported : fromKey;
  }

  private Optional<Attestor> key(
      String name, JsonObject key, String path, Optional<ImageRef> repo) {
    Optional<String> data = Json.nonEmpty(key, "data", path + ".data", problems);
    Optional<String> kms = Json.nonEmpty(key, "kms", path + ".kms", problems);
    Optional<String> expr = Json.nonEmpty(key, "expression", path + ".expression", problems);
    int set = (data.isPresent() ? 1 : 0) + (kms.isPresent() ? 1 : 0) + (expr.isPresent() ? 1 : 0);
    if (set != 1) {
      problems.add(path, "set exactly one of data, kms, expression");
      return Optional.empty();
    }
    if (kms.isPresent()) {
      return Optional.of(
          new Attestor.Unsupported(
              name, path + ".kms", "KMS keys are not supported yet", true, repo));
    }
    if (expr.isPresent()) {
      return Optional.of(
          new Attestor.Unsupported(
              name,
              path + ".expression",
              "keys computed by an expression are not supported",
              true,
              repo));
    }
    // Kyverno verifies with exactly this hash (ivpol/cosign/opts.go checkOptions → decodePEM →
    // signature.LoadVerifier), SHA-256 when absent; and on the bundle path any attestation by the
    // key counts as a signature (cosign VerifyImageAttestations).
    Optional<String> hash = Json.nonEmpty(key, "hashAlgorithm", path + ".hashAlgorithm", problems);
    Optional<HashAlgorithm> algorithm =
        hash.isEmpty() ? Optional.of(HashAlgorithm.SHA256) : HashAlgorithm.named(hash.get());
    if (algorithm.isEmpty()) {
      return Optional.of(
          new Attestor.Unsupported(
              name,
              path + ".hashAlgorithm",
              "hash algorithm '" + hash.get() + "' is not one of sha224, sha256, sha384, sha512",
              true,
              repo));
    }
    try {
      TrustedKey k =
          keys.parse(data.get()).withAcceptance(KeyAcceptance.engine(algorithm.get(), true));
      return Optional.of(new Attestor.Key(name, k, repo));
    } catch (IllegalArgumentException e) {
      problems.add(path + ".data", "not a PEM public key (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  /** The transparency-log requirement Kyverno adds to a key attestor. */
  private static Attestor withTransparency(Attestor attestor, JsonObject cosign, String path) {
    if (!(attestor instanceof Attestor.Key k)) {
      return attestor;
    }
    JsonObject ctlog = objectOrNull(cosign, "ctlog");
    if (ctlog != null
        && Json.get(ctlog, "insecureIgnoreTlog")
            .map(e -> e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean())
            .orElse(false)) {
      return k;
    }
    Optional<String> own = Optional.empty();
    if (ctlog != null && Json.nonEmptyValue(ctlog, "rekorPubKey")) {
      own =
          Optional.of(
              "a transparency-log entry signed by the Rekor key of " + path + ".ctlog.rekorPubKey");
    } else if (Json.nonEmptyValue(cosign, "tuf")) {
      own = Optional.of("a transparency-log entry under the TUF root of " + path + ".tuf");
    } else if (Json.nonEmptyValue(cosign, "trustedRoot")) {
      own =
          Optional.of(
              "a transparency-log entry under the trusted root of " + path + ".trustedRoot");
    }
    return new Attestor.Key(k.name(), k.key(), k.signatureRepository(), true, own);
  }

  private static JsonObject objectOrNull(JsonObject o, String field) {
    return Json.get(o, field)
        .filter(e -> e.isJsonObject())
        .map(e -> e.getAsJsonObject())
        .orElse(null);
  }

  /** Settings that would make Kyverno check more than sigaudit can. */
  private Optional<Attestor> unsupportedExtras(String name, JsonObject c, String path) {
    if (Json.nonEmptyValue(c, "annotations")) {
      return Optional.of(
          new Attestor.Unsupported(
              name, path + ".annotations", "checking signature annotations is not supported yet"));
    }
    JsonObject source =
        Json.get(c, "source")
            .filter(e -> e.isJsonObject())
            .map(e -> e.getAsJsonObject())
            .orElse(null);
    if (source != null && Json.nonEmptyValue(source, "tagPrefix")) {
      return Optional.of(
          new Attestor.Unsupported(
              name, path + ".source.tagPrefix", "signature tag prefixes are not supported yet"));
    }
    return Optional.empty();
  }

  private Optional<ImageRef> repository(JsonObject c, String path) {
    JsonObject source = Json.object(c, "source", path, problems).orElse(null);
    Optional<String> repo = Json.nonEmpty(source, "repository", path + ".repository", problems);
    if (repo.isEmpty()) {
      return Optional.empty();
    }
    try {
      ImageRef r = ImageRef.parse(repo.get());
      if (r.tag() != null || r.digest() != null) {
        problems.add(path + ".repository", "'" + repo.get() + "' must name a repository only");
        return Optional.empty();
      }
      return Optional.of(r);
    } catch (IllegalArgumentException e) {
      problems.add(path + ".repository", e.getMessage());
      return Optional.empty();
    }
  }

  private List<String> identities(JsonObject keyless, String path) {
    List<String> out = new ArrayList<>();
    List<JsonObject> ids = Json.objects(keyless, "identities", path + ".identities", problems);
    for (int i = 0; i < ids.size(); i++) {
      JsonObject id = ids.get(i);
      if (id == null) {
        continue;
      }
      String p = path + ".identities[" + i + "]";
      String issuer =
          Json.nonEmpty(id, "issuer", p + ".issuer", problems)
              .or(() -> Json.nonEmpty(id, "issuerRegExp", p + ".issuerRegExp", problems))
              .orElse("*");
      String subject =
          Json.nonEmpty(id, "subject", p + ".subject", problems)
              .or(() -> Json.nonEmpty(id, "subjectRegExp", p + ".subjectRegExp", problems))
              .or(() -> Json.nonEmpty(id, "subjectExpression", p + ".subjectExpression", problems))
              .orElse("*");
      out.add(issuer + "|" + subject);
    }
    return out;
  }
}
