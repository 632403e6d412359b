package dev.sigaudit.policy.ivp;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Finding.Evidence;
import dev.sigaudit.model.Result;
import dev.sigaudit.policy.AuditTarget;
import dev.sigaudit.policy.VerdictSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The judgement of one container image by one policy: the values its expressions see and the
 * functions that need the image. One per {@link IvpProgram#evaluate} call; not thread-safe.
 *
 * <p>sigaudit judges one container image at a time, so {@code images.containers} holds just that
 * image (its normalized reference, e.g. {@code docker.io/library/nginx:1.27}) and {@code
 * initContainers}/{@code ephemeralContainers} are empty, whichever list of the Pod the container is
 * in. {@code images.containers.all(i, …)} then judges this image as Kyverno would among the Pod's
 * images; what differs is anything that relates images to each other ({@code size()}, indexes,
 * conditions on one list that another list's images should meet).
 *
 * <p>Whatever sigaudit cannot provide or check — a verification that could not run, an attestor it
 * cannot verify, an unsupported function, a variable from the admission request — is recorded as
 * {@linkplain Run#unavailable() unavailable} and makes the expression an error, even where CEL's
 * logic would have absorbed it ({@code x || true}): "could not check" must be visible, never read
 * as a pass or a fail.
 */
final class Evaluation {
  private final String image;
  private final SignatureCalls calls;
  private final Map<String, Object> values;
  private List<String> unavailable = new ArrayList<>();

  Evaluation(IvpProgram policy, AuditTarget target, VerdictSource verdicts) {
    this.image = target.image().toString();
    this.calls = new SignatureCalls(policy, target, verdicts);
    Map<String, Object> attestors = new LinkedHashMap<>();
    for (String name : policy.attestors().keySet()) {
      // Opaque to expressions, which only pass it back: the name finds the compiled attestor.
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

  /** The string the expressions see as the judged image. */
  String image() {
    return image;
  }

  boolean attempted() {
    return calls.attempted();
  }

  boolean verified() {
    return calls.verified();
  }

  List<String> notes() {
    return calls.notes();
  }

  List<Evidence> evidence() {
    return calls.evidence();
  }

  List<String> engineNotes() {
    return calls.engineNotes();
  }

  /** Why a signature call did not verify, for a result of {@code result}. */
  Optional<Cause> cause(Result result) {
    return calls.cause(result);
  }

  /** Called by CEL with each top-level variable an expression reads, when it reads it. */
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
    List<String> sink = unavailable;
    return CelLateFunctionBindings.from(
        CelFunctionBinding.from(
            CelEnv.VERIFY_IMAGE_SIGNATURES,
            String.class,
            List.class,
            (img, attestors) -> calls.verifyImageSignatures(img, attestors, sink)),
        CelFunctionBinding.from(
            CelEnv.VERIFY_ATTESTATION_SIGNATURES,
            List.of(String.class, String.class, List.class),
            args -> calls.verifyAttestationSignatures((String) args[0], sink)),
        CelFunctionBinding.from(
            CelEnv.EXTRACT_PAYLOAD,
            String.class,
            String.class,
            (img, att) -> unsupported("extractPayload: reading attestation payloads", sink)),
        CelFunctionBinding.from(
            CelEnv.GET_IMAGE_DATA,
            String.class,
            img -> unsupported("getImageData: reading image metadata", sink)));
  }

  private static Object unsupported(String what, List<String> sink) throws CelEvaluationException {
    String why = what + " is not supported yet";
    sink.add(why);
    throw SignatureCalls.error(why);
  }
}
