package dev.sigaudit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.model.Digest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of an <a
 * href="https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md">in-toto
 * Statement</a> that bind a cosign v3 signature to an image.
 *
 * <p>Cosign v3 writes {@code {"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":
 * {"sha256":"<hex>"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}}
 * ({@code cmd/cosign/cli/sign/sign.go signDigestBundle}); the subject has no {@code name}, so none
 * is required here.
 *
 * @param type {@code _type}
 * @param predicateType {@code predicateType}
 * @param subjectDigests each subject's {@code digest} map (algorithm → hex)
 */
record InTotoStatement(
    String type, String predicateType, List<Map<String, String>> subjectDigests) {
  static final String STATEMENT_V1 = "https://in-toto.io/Statement/v1";
  static final String STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";

  /**
   * Neither sigstore-go ({@code pkg/bundle/signature_content.go} unmarshals into the v1 proto) nor
   * cosign ({@code IntotoSubjectClaimVerifier}) look at {@code _type}, so both the v1 and the older
   * v0.1 statement are accepted; v0.1 has the same field names. Anything else is refused: cosign
   * never writes it, and a statement of an unknown type may not mean what we read.
   */
  static final Set<String> ACCEPTED_TYPES = Set.of(STATEMENT_V1, STATEMENT_V01);

  // The limits sigstore-go applies (pkg/verify/signature.go maxAllowedSubjects/…Digests).
  static final int MAX_SUBJECTS = 1024;
  static final int MAX_DIGESTS_PER_SUBJECT = 32;

  /** Parses the (already signature-checked) statement bytes. */
  static InTotoStatement parse(byte[] json, int maxBytes) throws Rejection {
    JsonNode root = StrictJson.parseObject(json, maxBytes, "in-toto statement");
    String type = StrictJson.text(root, "_type", "statement _type");
    if (!ACCEPTED_TYPES.contains(type)) {
      throw new Rejection(
          "statement _type is " + Texts.quote(type) + ", not " + Texts.quote(STATEMENT_V1));
    }
    String predicateType = StrictJson.text(root, "predicateType", "statement predicateType");
    JsonNode subjects = StrictJson.array(root, "subject", "statement subject");
    if (subjects.size() > MAX_SUBJECTS) {
      throw new Rejection("statement has " + subjects.size() + " subjects, too many");
    }
    List<Map<String, String>> digests = new ArrayList<>();
    for (int i = 0; i < subjects.size(); i++) {
      digests.add(subjectDigest(subjects.get(i), "statement subject[" + i + "]"));
    }
    return new InTotoStatement(type, predicateType, List.copyOf(digests));
  }

  /** Whether some subject names exactly this digest (same algorithm, same lower-case hex). */
  boolean hasSubject(Digest digest) {
    // Exact string comparison, as cosign's IntotoSubjectClaimVerifier does.
    return subjectDigests.stream().anyMatch(d -> digest.hex().equals(d.get(digest.algorithm())));
  }

  /** The subjects for messages: {@code sha256:abc…, sha256:def…} (at most three). */
  String describeSubjects() {
    List<String> shown = new ArrayList<>();
    for (Map<String, String> subject : subjectDigests) {
      subject.forEach((alg, hex) -> shown.add(Texts.quote(alg + ":" + hex)));
    }
    if (shown.isEmpty()) {
      return "no digest";
    }
    String head = String.join(", ", shown.subList(0, Math.min(3, shown.size())));
    return shown.size() > 3 ? head + " and " + (shown.size() - 3) + " more" : head;
  }

  private static Map<String, String> subjectDigest(JsonNode subject, String path) throws Rejection {
    if (!subject.isObject()) {
      throw new Rejection(path + " is not a JSON object");
    }
    JsonNode digest = StrictJson.object(subject, "digest", path + ".digest");
    if (digest.size() > MAX_DIGESTS_PER_SUBJECT) {
      throw new Rejection(path + ".digest has " + digest.size() + " entries, too many");
    }
    Map<String, String> result = new LinkedHashMap<>();
    for (Iterator<String> names = digest.fieldNames(); names.hasNext(); ) {
      String algorithm = names.next();
      result.put(
          algorithm,
          StrictJson.text(digest, algorithm, path + ".digest." + Texts.quote(algorithm)));
    }
    return result;
  }
}
