package dev.sigaudit.policy.file;

import java.util.List;
import java.util.Map;

/**
 * The wire shape of a sigaudit policy document, exactly as written; validation happens in {@link
 * FileCompiler}. Enumerations are plain strings so that a bad value gets our own message, with the
 * accepted values, instead of a Jackson one.
 */
final class Dto {
  private Dto() {}

  record Document(String apiVersion, String kind, Metadata metadata, Spec spec) {}

  record Metadata(String name, Map<String, String> labels, Map<String, String> annotations) {}

  record Spec(
      String mode,
      String severity,
      String category,
      String description,
      Namespaces namespaces,
      List<RuleDto> rules) {}

  record Namespaces(List<String> include, List<String> exclude, Selector selector) {}

  record Selector(Map<String, String> matchLabels, List<Expression> matchExpressions) {}

  record Expression(String key, String operator, List<String> values) {}

  record RuleDto(
      String name,
      List<String> images,
      List<String> skipImages,
      String signatureRepository,
      AttestorsDto attestors,
      List<String> allowedRegistries,
      Boolean requireDigest) {}

  record AttestorsDto(Integer count, List<Entry> entries) {}

  record Entry(
      String publicKey, String publicKeyFile, KeylessDto keyless, String signatureRepository) {}

  /** A keyless signer: Fulcio certificate identity, verified against the scan's trusted root. */
  record KeylessDto(
      String issuer,
      String issuerRegExp,
      String subject,
      String subjectRegExp,
      Boolean ignoreTlog,
      Boolean ignoreSCT) {}
}
