package dev.sigaudit.policy.ivp;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.VerdictSource;
import dev.sigaudit.policy.VerificationRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The judgement of one container image by one policy: the values its expressions see, the functions
 * that need the image, and what those functions found. One per {@link IvpProgram#evaluate} call;
 * not thread-safe.
 *
 * <p>sigaudit judges one container image at a time, so {@code images.containers} holds just that
 * image (as its normalized reference) and the other lists are empty, whichever list of the Pod the
 * container is in. {@code images.containers.all(i, …)} then judges this image, as Kyverno would
 * among the Pod's images; what differs is anything that compares images with each other.
 *
 * <p>Whatever sigaudit cannot provide or check — a verification that could not run ({@link
 * Verdict.CheckError}), an attestor it cannot verify, an unsupported function, a variable from the
 * admission request — is recorded as {@linkplain Run#unavailable() unavailable} and makes the
 * expression an error even where CEL's logic would have absorbed it: "could not check" must be
 * visible, never read as a pass or a fail.
 */
final class Evaluation {
  private final IvpProgram policy;
  private final AuditTarget target;
  private final String image;
  private final VerdictSource verdicts;
  private final Set<VerificationRequest> planned;
  private final Map<String, Object> values;
  private final Map<VerificationRequest, Verdict> answers = new HashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();
  private final List<Evidence> evidence = new ArrayList<>();
  private boolean attempted;
  private boolean verified;
  private List<String> unavailable = new ArrayList<>();

  Evaluation(IvpProgram policy, AuditTarget target, VerdictSource verdicts) {
    this.policy = policy;
    this.target = target;
    this.image = target.image().toString();
    this.verdicts = verdicts;
    this.planned = Set.copyOf(policy.requests(target));
    Map<String, Object> attestors = new LinkedHashMap<>();
    for (String name : policy.attestors().keySet()) {
      attestors.put(name, Map.of("name", name));
    }
    Map<String, Object> attestations = new LinkedHashMap<>();
    for (String name : policy.attestations()) {
      attestations.put(name, name);
    }
    this.values =
        Map.of(
            CelEnv.IMAGES,
            Map.of(
                "containers",
                List.of(image),
                "initContainers",
                List.of(),
                "ephemeralContainers",
                List.of()),
            CelEnv.ATTESTORS,
            attestors,
            CelEnv.ATTESTATIONS,
            attestations);
  }

  /**
   * The outcome of evaluating one expression.
   *
   * @param value the result, or null when evaluation failed
   * @param error why evaluation failed, or null
   * @param unavailable what the expression needed that sigaudit could not provide or check
   */
  record Run(Object value, String error, List<String> unavailable) {}

  Run run(CelRuntime.Program program) {
    unavailable = new ArrayList<>();
    try {
      Object v = program.eval(this::variable, functions());
      return new Run(v, null, List.copyOf(unavailable));
    } catch (CelEvaluationException e) {
      // CEL-Java names the failing function; the cause says why (e.g. an invalid reference).
      String why =
          e.getCause() == null || e.getCause().getMessage() == null
              ? e.getMessage()
              : e.getMessage() + ": " + e.getCause().getMessage();
      return new Run(null, why, List.copyOf(unavailable));
    } catch (RuntimeException e) {
      return new Run(null, "evaluation failed unexpectedly: " + e, List.copyOf(unavailable));
    }
  }

  /** The image's signatures were checked by at least one call (Kyverno's "attempted"). */
  boolean attempted() {
    return attempted;
  }

  /** At least one call verified at least one attestor for the image. */
  boolean verified() {
    return verified;
  }

  /** What each attestor used found, by attestor, for messages. */
  List<String> notes() {
    List<String> out = new ArrayList<>();
    notes.forEach((who, what) -> out.add(who + ": " + what));
    return out;
  }

  List<Evidence> evidence() {
    return List.copyOf(evidence);
  }

  /** The string the expressions see as the judged image. */
  String image() {
    return image;
  }

  private Optional<Object> variable(String name) {
    if (CelEnv.NOT_PROVIDED.contains(name)) {
      unavailable.add(
          name.equals("variables")
              ? "spec.variables are not evaluated by sigaudit"
              : "'"
                  + name
                  + "' is not available: sigaudit judges running container images, not"
                  + " admission requests");
      return Optional.empty();
    }
    return Optional.ofNullable(values.get(name));
  }

  private CelLateFunctionBindings functions() {
    return CelLateFunctionBindings.from(
        CelFunctionBinding.from(
            CelEnv.VERIFY_IMAGE_SIGNATURES, String.class, List.class, this::verifyImageSignatures),
        CelFunctionBinding.from(
            CelEnv.VERIFY_ATTESTATION_SIGNATURES,
            List.of(String.class, String.class, List.class),
            args -> verifyAttestationSignatures((String) args[0])),
        CelFunctionBinding.from(
            CelEnv.EXTRACT_PAYLOAD,
            String.class,
            String.class,
            (img, att) -> unsupported("extractPayload: reading attestation payloads")),
        CelFunctionBinding.from(
            CelEnv.GET_IMAGE_DATA,
            String.class,
            img -> unsupported("getImageData: reading image metadata")));
  }

  /**
   * Kyverno's {@code verifyImageSignatures(image, [attestors…])}: how many of the attestors
   * verified the image. 0 for an image {@code matchImageReferences} does not select, as in Kyverno.
   */
  private Object verifyImageSignatures(String text, List<?> attestors)
      throws CelEvaluationException {
    ImageRef ref = parse(text);
    Optional<ImageRef> subject = subject(ref, "verifyImageSignatures");
    if (subject.isEmpty()) {
      return 0L;
    }
    attempted = true;
    int before = unavailable.size();
    long count = 0;
    for (Object element : attestors) {
      Attestor a = attestor(element);
      String who = describe(a);
      switch (a) {
        case Attestor.Key k -> {
          if (verify(k, subject.get(), who)) {
            count++;
          }
        }
        case Attestor.Keyless kl -> unavailable.add(who + ": " + Attestor.Keyless.NOT_SUPPORTED);
        case Attestor.Unsupported u ->
            unavailable.add(who + ": " + u.reason() + " (" + u.field() + ")");
      }
    }
    if (unavailable.size() > before) {
      throw error(unavailable.get(unavailable.size() - 1));
    }
    verified |= count > 0;
    return count;
  }

  /** Asks for one key's verdict; true when it verified. */
  private boolean verify(Attestor.Key k, ImageRef subject, String who) {
    VerificationRequest request =
        new VerificationRequest(subject, k.key(), k.signatureRepository());
    if (!planned.contains(request)) {
      // Cannot happen while requests() and this method agree; if they ever drift, the scanner
      // has not fetched this, and guessing would be worse than saying so.
      unavailable.add(who + ": this signature check was not planned");
      return false;
    }
    Verdict v = answers.computeIfAbsent(request, this::ask);
    switch (v) {
      case Verdict.Verified ok -> {
        notes.put(who, "verified (" + ok.format().label() + ")");
        evidence.add(new Evidence(ok.format(), ok.signer()));
        return true;
      }
      case Verdict.Unsigned u -> notes.put(who, "no signature found");
      case Verdict.Rejected r ->
          notes.put(
              who,
              r.reasons().size()
                  + (r.reasons().size() == 1 ? " signature" : " signatures")
                  + " rejected: "
                  + String.join("; ", r.reasons()));
      case Verdict.CheckError e -> {
        notes.put(who, "could not check: " + e.cause());
        unavailable.add(who + ": could not check: " + e.cause());
      }
    }
    return false;
  }

  /** A throwing or silent source is a check that could not run, never a pass. */
  private Verdict ask(VerificationRequest request) {
    try {
      Verdict v = verdicts.verdict(request);
      return v != null ? v : new Verdict.CheckError("no verdict was produced");
    } catch (RuntimeException e) {
      return new Verdict.CheckError("verification failed unexpectedly: " + e);
    }
  }

  private Object verifyAttestationSignatures(String text) throws CelEvaluationException {
    if (subject(parse(text), "verifyAttestationSignatures").isEmpty()) {
      return 0L;
    }
    return unsupported("verifyAttestationSignatures: attestation verification");
  }

  private Object unsupported(String what) throws CelEvaluationException {
    String why = what + " is not supported yet";
    unavailable.add(why);
    throw error(why);
  }

  /**
   * The digest reference to verify for {@code ref}: empty when {@code matchImageReferences} does
   * not select it; unavailable when it is not the judged image or its digest is unknown.
   */
  private Optional<ImageRef> subject(ImageRef ref, String function) throws CelEvaluationException {
    switch (policy.references().select(ref)) {
      case ImageReferences.Selection.NotSelected n -> {
        return Optional.empty();
      }
      case ImageReferences.Selection.Failed f -> {
        unavailable.add(f.why());
        throw error(f.why());
      }
      case ImageReferences.Selection.Selected s -> {}
    }
    if (!judges(ref)) {
      String why =
          function + "(" + ref + "): sigaudit verifies only the image being judged (" + image + ")";
      unavailable.add(why);
      throw error(why);
    }
    Optional<Digest> digest = target.digest();
    if (digest.isEmpty()) {
      String why =
          "cannot check signatures of "
              + image
              + ": its running digest is unknown and the spec names no digest";
      unavailable.add(why);
      throw error(why);
    }
    return Optional.of(target.image().atDigest(digest.get()));
  }

  /** Whether {@code ref} is the judged image, however the expression spelled it. */
  private boolean judges(ImageRef ref) {
    ImageRef mine = target.image();
    return ref.name().equals(mine.name())
        && tagOrLatest(ref).equals(tagOrLatest(mine))
        && java.util.Objects.equals(ref.digest(), mine.digest());
  }

  private static String tagOrLatest(ImageRef r) {
    return r.tag() != null ? r.tag() : r.digest() == null ? "latest" : "";
  }

  private Attestor attestor(Object element) throws CelEvaluationException {
    if (element instanceof Map<?, ?> m && m.get("name") instanceof String name) {
      Attestor a = policy.attestors().get(name);
      if (a != null) {
        return a;
      }
      throw error("'" + name + "' is not an attestor of this policy");
    }
    throw error("expected attestors.<name>, got " + element);
  }

  private static ImageRef parse(String text) throws CelEvaluationException {
    try {
      return ImageRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }

  private static String describe(Attestor a) {
    return switch (a) {
      case Attestor.Key k -> "attestor " + a.name() + " (key " + k.key().fingerprint() + ")";
      case Attestor.Keyless k -> "attestor " + a.name() + " (keyless)";
      case Attestor.Unsupported u -> "attestor " + a.name();
    };
  }

  private static CelEvaluationException error(String message) {
    return CelEvaluationExceptionBuilder.newBuilder("%s", message).build();
  }
}
