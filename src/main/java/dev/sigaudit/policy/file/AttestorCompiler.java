package dev.sigaudit.policy.file;

import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.TrustedKey;
import dev.sigaudit.policy.AttestorEntry;
import dev.sigaudit.policy.Attestors;
import dev.sigaudit.policy.FieldProblems;
import dev.sigaudit.policy.KeyOrigin;
import dev.sigaudit.policy.KeyParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles {@code attestors} and signature repositories: parses inline keys, reads key files
 * relative to the policy file's directory.
 */
final class AttestorCompiler {
  /** Far above any PEM public key (an RSA-4096 key is under 1 KiB). */
  static final int MAX_KEY_FILE_BYTES = 64 * 1024;

  private final KeyParser keys;
  private final Path policyFile;
  private final Path baseDir;

  /**
   * @param keys parses PEM public keys
   * @param policyFile the policy file, which messages name as where keys and identities come from
   * @param baseDir the directory {@code publicKeyFile} paths are relative to
   */
  AttestorCompiler(KeyParser keys, Path policyFile, Path baseDir) {
    this.keys = keys;
    this.policyFile = policyFile;
    this.baseDir = baseDir;
  }

  Optional<Attestors> attestors(String field, Dto.AttestorsDto dto, FieldProblems problems) {
    List<Dto.Entry> entries = dto.entries() == null ? List.of() : dto.entries();
    if (entries.isEmpty()) {
      problems.add(field + ".entries", "at least one entry is required");
    }
    Integer count = dto.count();
    if (count != null && count < 1) {
      problems.add(field + ".count", "must be at least 1, got " + count);
    } else if (count != null && count > entries.size() && !entries.isEmpty()) {
      problems.add(
          field + ".count",
          count
              + " is more than the "
              + entries.size()
              + (entries.size() == 1 ? " entry" : " entries"));
    }
    List<AttestorEntry> compiled = new ArrayList<>();
    boolean ok = !entries.isEmpty();
    for (int i = 0; i < entries.size(); i++) {
      Optional<AttestorEntry> e = entry(field + ".entries[" + i + "]", entries.get(i), problems);
      e.ifPresent(compiled::add);
      ok &= e.isPresent();
    }
    if (!ok || (count != null && (count < 1 || count > entries.size()))) {
      return Optional.empty();
    }
    return Optional.of(new Attestors(count == null ? compiled.size() : count, compiled));
  }

  /** A repository ({@code registry/path}, no tag or digest), or null after recording a problem. */
  static ImageRef repository(String field, String text, FieldProblems problems) {
    try {
      ImageRef ref = ImageRef.parse(text);
      if (ref.tag() == null && ref.digest() == null) {
        return ref;
      }
      problems.add(field, "'" + text + "' must name a repository, without tag or digest");
    } catch (IllegalArgumentException e) {
      problems.add(field, "'" + text + "' is not a repository name");
    }
    return null;
  }

  private Optional<AttestorEntry> entry(String field, Dto.Entry dto, FieldProblems problems) {
    int kinds =
        (dto == null ? 0 : (dto.publicKey() == null ? 0 : 1))
            + (dto == null ? 0 : (dto.publicKeyFile() == null ? 0 : 1))
            + (dto == null ? 0 : (dto.keyless() == null ? 0 : 1));
    if (kinds != 1) {
      problems.add(field, "set exactly one of publicKey, publicKeyFile, keyless");
      return Optional.empty();
    }
    Optional<ImageRef> repo = Optional.empty();
    if (dto.signatureRepository() != null) {
      ImageRef r = repository(field + ".signatureRepository", dto.signatureRepository(), problems);
      if (r == null) {
        return Optional.empty();
      }
      repo = Optional.of(r);
    }
    if (dto.keyless() != null) {
      return keyless(field + ".keyless", dto.keyless(), repo, problems);
    }
    Optional<TrustedKey> key =
        dto.publicKey() != null
            ? parse(field + ".publicKey", dto.publicKey(), "", problems)
            : readKeyFile(field + ".publicKeyFile", dto.publicKeyFile(), problems);
    KeyOrigin origin =
        new KeyOrigin.File(policyFile, Optional.ofNullable(dto.publicKeyFile()).map(Path::of));
    final Optional<ImageRef> signatures = repo;
    return key.map(k -> new AttestorEntry.Key(k, signatures).withOrigin(origin));
  }

  /**
   * A keyless entry. Identity fields match as cosign's {@code --certificate-identity(-regexp)} and
   * {@code --certificate-oidc-issuer(-regexp)} do (regular expressions unanchored, as upstream); at
   * least the subject or subjectRegExp is required, so that no policy trusts any signer by
   * accident.
   */
  private Optional<AttestorEntry> keyless(
      String field, Dto.KeylessDto k, Optional<ImageRef> repo, FieldProblems problems) {
    if (k.subject() == null && k.subjectRegExp() == null) {
      problems.add(field, "set subject or subjectRegExp (which signer identities to trust)");
      return Optional.empty();
    }
    if (k.issuer() != null && k.issuerRegExp() != null) {
      problems.add(field, "set issuer or issuerRegExp, not both");
      return Optional.empty();
    }
    for (var re :
        new String[][] {{"issuerRegExp", k.issuerRegExp()}, {"subjectRegExp", k.subjectRegExp()}}) {
      if (re[1] != null) {
        try {
          java.util.regex.Pattern.compile(re[1]);
        } catch (java.util.regex.PatternSyntaxException e) {
          problems.add(field + "." + re[0], "not a regular expression: " + e.getDescription());
          return Optional.empty();
        }
      }
    }
    var identity =
        new AttestorEntry.Keyless.Identity(
            Optional.ofNullable(k.issuer()),
            Optional.ofNullable(k.issuerRegExp()),
            Optional.ofNullable(k.subject()),
            Optional.ofNullable(k.subjectRegExp()));
    return Optional.of(
        new AttestorEntry.Keyless(
            java.util.List.of(identity),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            java.util.Map.of(),
            repo,
            AttestorEntry.ALL_FORMATS,
            Boolean.TRUE.equals(k.ignoreTlog()),
            Boolean.TRUE.equals(k.ignoreSCT()),
            new KeyOrigin.File(policyFile, Optional.empty())));
  }

  private Optional<TrustedKey> readKeyFile(String field, String name, FieldProblems problems) {
    if (name.isBlank()) {
      problems.add(field, "must not be empty");
      return Optional.empty();
    }
    // Policy files are operator configuration, as trusted as the command line: absolute paths
    // and ".." are allowed. Relative paths follow the policy file, not the working directory.
    Path file = baseDir.resolve(name).normalize();
    String shown = name.equals(file.toString()) ? name : name + " (" + file + ")";
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
    } catch (IOException e) {
      problems.add(field, "cannot read " + shown + ": " + e.getClass().getSimpleName());
      return Optional.empty();
    }
    if (bytes.length > MAX_KEY_FILE_BYTES) {
      problems.add(field, shown + " is larger than " + MAX_KEY_FILE_BYTES + " bytes");
      return Optional.empty();
    }
    return parse(field, new String(bytes, StandardCharsets.UTF_8), shown + ": ", problems);
  }

  private Optional<TrustedKey> parse(
      String field, String pem, String prefix, FieldProblems problems) {
    try {
      return Optional.of(keys.parse(pem));
    } catch (IllegalArgumentException e) {
      problems.add(field, prefix + "not a PEM public key (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }
}
