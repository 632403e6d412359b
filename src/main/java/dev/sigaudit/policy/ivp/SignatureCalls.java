package dev.sigaudit.policy.ivp;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Digest;
import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.VerdictSource;
import dev.sigaudit.policy.VerificationRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Kyverno's {@code verifyImageSignatures} and {@code verifyAttestationSignatures} for one judged
 * image, answered from the scanner's {@link VerdictSource}, and what they found (for messages, the
 * evidence of a pass and {@code validationConfigurations.required}).
 *
 * <p>Each call adds what it could not check to the {@code unavailable} list it is given and then
 * throws, so that CEL sees an error and the caller knows the error is sigaudit's, not the
 * expression's. Only the requests {@link IvpProgram#requests} planned are ever asked for; each is
 * asked once per judgement.
 */
final class SignatureCalls {
  private final IvpProgram policy;
  private final AuditTarget target;
  private final VerdictSource verdicts;
  private final Set<VerificationRequest> planned;
  private final Map<VerificationRequest, Verdict> answers = new HashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();
  private final List<Evidence> evidence = new ArrayList<>();
  private final List<String> engineNotes = new ArrayList<>();
  private final Map<Result, Cause> causes = new EnumMap<>(Result.class);
  private boolean attempted;
  private boolean verified;

  SignatureCalls(IvpProgram policy, AuditTarget target, VerdictSource verdicts) {
    this.policy = policy;
    this.target = target;
    this.verdicts = verdicts;
    this.planned = Set.copyOf(policy.requests(target));
  }

  /** A call reached the verification of the judged image (Kyverno's "attempted"). */
  boolean attempted() {
    return attempted;
  }

  /** A call verified at least one attestor for the judged image. */
  boolean verified() {
    return verified;
  }

  /** What each attestor used found, for messages. */
  List<String> notes() {
    List<String> out = new ArrayList<>();
    notes.forEach((who, what) -> out.add(who + ": " + what));
    return out;
  }

  List<Evidence> evidence() {
    return List.copyOf(evidence);
  }

  /**
   * Why the first attestor that did not verify did not: for {@link Result#FAIL}, its signatures'
   * answer (unsigned, another key…); for {@link Result#ERROR}, what kept it from being checked.
   */
  Optional<Cause> cause(Result result) {
    return Optional.ofNullable(causes.get(result));
  }

  /** What verified only because Kyverno accepts it (an attestation taken as a signature). */
  List<String> engineNotes() {
    return List.copyOf(engineNotes);
  }

  /**
   * How many of {@code attestors} verified {@code text}; 0 for an image {@code
   * matchImageReferences} does not select, as in Kyverno.
   */
  long verifyImageSignatures(String text, List<?> attestors, List<String> unavailable)
      throws CelEvaluationException {
    Optional<ImageRef> subject = subject(parse(text), "verifyImageSignatures", unavailable);
    if (subject.isEmpty()) {
      return 0L;
    }
    // As Kyverno, a call with no attestors is not an attempt to verify.
    attempted |= !attestors.isEmpty();
    int before = unavailable.size();
    long count = 0;
    for (Object element : attestors) {
      Attestor a = attestor(element);
      String who = describe(a);
      switch (a) {
        case Attestor.Key k -> {
          if (verify(k, subject.get(), who, unavailable)) {
            count++;
          }
        }
        case Attestor.Keyless kl -> unavailable.add(who + ": " + Attestor.Keyless.NOT_SUPPORTED);
        case Attestor.Unsupported u -> {
          if (!unsignedFor(u, subject.get(), who)) {
            unavailable.add(who + ": " + u.reason() + " (" + u.field() + ")");
          }
        }
      }
    }
    if (unavailable.size() > before) {
      throw error(unavailable.get(unavailable.size() - 1));
    }
    verified |= count > 0;
    return count;
  }

  /** Attestations cannot be verified yet: 0 for unselected images (as Kyverno), else unknown. */
  long verifyAttestationSignatures(String text, List<String> unavailable)
      throws CelEvaluationException {
    if (subject(parse(text), "verifyAttestationSignatures", unavailable).isEmpty()) {
      return 0L;
    }
    String why = "verifyAttestationSignatures: attestation verification is not supported yet";
    unavailable.add(why);
    throw error(why);
  }

  /** Asks for one key's verdict; true when it verified. */
  private boolean verify(Attestor.Key k, ImageRef subject, String who, List<String> unavailable) {
    VerificationRequest request = k.request(subject);
    if (!planned.contains(request)) {
      // Cannot happen while requests() and this method agree; if they ever drift, the scanner
      // has not fetched this, and guessing would be worse than saying so.
      unavailable.add(who + ": this signature check was not planned");
      return false;
    }
    switch (answers.computeIfAbsent(request, this::ask)) {
      case Verdict.Verified ok when k.unchecked().isPresent() -> {
        // Necessary but not sufficient: Kyverno also demands what sigaudit cannot check.
        String why =
            "signature verified ("
                + ok.format().label()
                + "), but could not check "
                + k.unchecked().get();
        notes.put(who, why);
        unavailable.add(who + ": " + why);
      }
      case Verdict.Verified ok -> {
        notes.put(who, "verified (" + ok.format().label() + ")");
        evidence.add(new Evidence(ok.format(), ok.signer()));
        ok.notes().stream().filter(n -> !engineNotes.contains(n)).forEach(engineNotes::add);
        return true;
      }
      case Verdict.Unsigned u -> {
        notes.put(who, "no signature found");
        causes.putIfAbsent(Result.FAIL, Cause.UNSIGNED);
      }
      case Verdict.Rejected r -> {
        causes.putIfAbsent(Result.FAIL, r.kind());
        notes.put(
            who,
            r.reasons().size()
                + (r.reasons().size() == 1 ? " signature" : " signatures")
                + " rejected: "
                + String.join("; ", r.reasons()));
      }
      case Verdict.CheckError e -> {
        causes.putIfAbsent(Result.ERROR, e.kind());
        notes.put(who, "could not check: " + e.cause());
        unavailable.add(who + ": could not check: " + e.cause());
      }
    }
    return false;
  }

  /**
   * Whether {@code u} is a cosign attestor and the image has no signature at all: Kyverno then
   * counts it 0 like any attestor that finds nothing, whoever the signer would have been.
   */
  private boolean unsignedFor(Attestor.Unsupported u, ImageRef subject, String who) {
    Optional<VerificationRequest> presence = u.presence(subject);
    if (presence.isEmpty() || !planned.contains(presence.get())) {
      return false;
    }
    if (answers.computeIfAbsent(presence.get(), this::ask) instanceof Verdict.Unsigned) {
      notes.put(who, "no signature found");
      causes.putIfAbsent(Result.FAIL, Cause.UNSIGNED);
      return true;
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

  /**
   * The digest reference to verify for {@code ref}: empty when {@code matchImageReferences} does
   * not select it; unavailable when it is not the judged image or its digest is unknown.
   */
  private Optional<ImageRef> subject(ImageRef ref, String function, List<String> unavailable)
      throws CelEvaluationException {
    ImageReferences.Selection selection = policy.references().select(ref);
    if (selection instanceof ImageReferences.Selection.NotSelected) {
      return Optional.empty();
    }
    Optional<Digest> digest = target.digest();
    String why = null;
    if (selection instanceof ImageReferences.Selection.Failed f) {
      why = f.why();
    } else if (!judges(ref)) {
      why =
          function
              + "("
              + ref
              + "): sigaudit verifies only the image being judged ("
              + target.image()
              + ")";
    } else if (digest.isEmpty()) {
      why =
          "cannot check signatures of "
              + target.image()
              + ": its running digest is unknown and the spec names no digest";
    }
    if (why != null) {
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
        && Objects.equals(ref.digest(), mine.digest());
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

  static CelEvaluationException error(String message) {
    return CelEvaluationExceptionBuilder.newBuilder("%s", message).build();
  }
}
