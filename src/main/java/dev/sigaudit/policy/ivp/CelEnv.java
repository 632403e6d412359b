package dev.sigaudit.policy.ivp;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * The two CEL environments of an ImageValidatingPolicy, built once with CEL-Java ({@code dev.cel}):
 * {@link #VALIDATIONS} for {@code validations[]} and {@link #MATCH} for {@code
 * matchImageReferences[].expression}, declaring what Kyverno declares that sigaudit can honour.
 *
 * <p>Validations see {@code images}, {@code attestors} and {@code attestations}, and the Kyverno
 * functions {@code image}/{@code parseImageReference}/{@code isImage} (with the accessors of {@link
 * ImageValue}), {@code verifyImageSignatures}, {@code verifyAttestationSignatures}, {@code
 * extractPayload} and {@code getImageData}. The last four are bound per evaluation ({@link
 * Evaluation}) because they need the image being judged. {@code object}, {@code oldObject}, {@code
 * request}, {@code namespaceObject} and {@code variables} are declared so that policies written for
 * Kyverno compile, but never given a value: an expression that reads them is an error.
 *
 * <p>The standard macros and the CEL-Java extensions that match Kyverno's ({@code strings}, {@code
 * lists}, {@code sets}, {@code math}, {@code encoders}, {@code optional}, {@code bindings}, {@code
 * regex}) are enabled; Kubernetes' own CEL libraries (quantity, url, ip, semver…) and Kyverno's
 * other libraries (resource, http, globalContext…) do not exist in CEL-Java, so an expression using
 * them does not compile and its policy is reported as a problem.
 */
final class CelEnv {
  static final CelType IMAGE = OpaqueType.create("kyverno.image");

  static final String IMAGES = "images";
  static final String ATTESTORS = "attestors";
  static final String ATTESTATIONS = "attestations";
  static final String REF = "ref";

  /** Variables Kyverno provides from the admission request, which sigaudit does not have. */
  static final List<String> NOT_PROVIDED =
      List.of("object", "oldObject", "request", "namespaceObject", "variables");

  static final String VERIFY_IMAGE_SIGNATURES = "verify_image_signature_string_stringarray";
  static final String VERIFY_ATTESTATION_SIGNATURES =
      "verify_image_attestations_string_string_stringarray";
  static final String EXTRACT_PAYLOAD = "payload_string_string";
  static final String GET_IMAGE_DATA = "get_image_data_string";

  /**
   * Bounds the work of one evaluation: policies come from the cluster, and a nested comprehension
   * must not stall a scan. Generous for any real image policy (a Pod has a handful of images).
   */
  static final int MAX_ITERATIONS = 10_000;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .build();

  static final CelEnv VALIDATIONS = new CelEnv(validations());
  static final CelEnv MATCH = new CelEnv(match());

  private final Cel cel;

  private CelEnv(Cel cel) {
    this.cel = cel;
  }

  /** An expression that does not compile, or compiles to the wrong type. */
  static final class InvalidExpression extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidExpression(String message) {
      super(message);
    }
  }

  /**
   * Compiles {@code expression}, which must have exactly type {@code type} (as Kyverno requires: a
   * {@code dyn} result is refused too).
   *
   * @throws InvalidExpression with the compiler's issues on one line
   */
  CelRuntime.Program compile(String expression, CelType type) throws InvalidExpression {
    CelAbstractSyntaxTree ast;
    try {
      ast = cel.compile(expression).getAst();
    } catch (CelValidationException e) {
      List<String> issues = new ArrayList<>();
      for (CelIssue i : e.getErrors()) {
        var at = i.getSourceLocation();
        issues.add(at.getLine() + ":" + (at.getColumn() + 1) + ": " + i.getMessage());
      }
      throw new InvalidExpression(String.join("; ", issues));
    }
    if (!ast.getResultType().equals(type)) {
      throw new InvalidExpression(
          "must evaluate to " + type.name() + ", not " + ast.getResultType().name());
    }
    try {
      return cel.createProgram(ast);
    } catch (CelEvaluationException e) {
      throw new InvalidExpression(e.getMessage());
    }
  }

  private static CelBuilder base() {
    return CelFactory.standardCelBuilder()
        .setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addCompilerLibraries(
            CelExtensions.strings(),
            CelExtensions.lists(),
            CelExtensions.sets(OPTIONS),
            CelExtensions.math(),
            CelExtensions.encoders(OPTIONS),
            CelExtensions.optional(),
            CelExtensions.bindings(),
            CelExtensions.regex())
        .addRuntimeLibraries(
            CelExtensions.strings(),
            CelExtensions.lists(),
            CelExtensions.sets(OPTIONS),
            CelExtensions.math(),
            CelExtensions.encoders(OPTIONS),
            CelExtensions.optional(),
            CelExtensions.regex())
        .addFunctionDeclarations(imageDeclarations())
        .addFunctionBindings(imageBindings());
  }

  private static Cel validations() {
    CelBuilder b =
        base()
            .addVar(IMAGES, MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)))
            .addVar(ATTESTORS, MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar(ATTESTATIONS, MapType.create(SimpleType.STRING, SimpleType.STRING));
    for (String v : NOT_PROVIDED) {
      b.addVar(
          v,
          v.equals("variables")
              ? MapType.create(SimpleType.STRING, SimpleType.DYN)
              : SimpleType.DYN);
    }
    CelType attestorList = ListType.create(SimpleType.DYN);
    return b.addFunctionDeclarations(
            function(
                "verifyImageSignatures",
                VERIFY_IMAGE_SIGNATURES,
                SimpleType.INT,
                SimpleType.STRING,
                attestorList),
            function(
                "verifyAttestationSignatures",
                VERIFY_ATTESTATION_SIGNATURES,
                SimpleType.INT,
                SimpleType.STRING,
                SimpleType.STRING,
                attestorList),
            function(
                "extractPayload",
                EXTRACT_PAYLOAD,
                SimpleType.DYN,
                SimpleType.STRING,
                SimpleType.STRING),
            function("getImageData", GET_IMAGE_DATA, SimpleType.DYN, SimpleType.STRING))
        .build();
  }

  private static Cel match() {
    return base().addVar(REF, SimpleType.STRING).build();
  }

  private static CelFunctionDecl function(
      String name, String overload, CelType result, CelType... params) {
    return CelFunctionDecl.newFunctionDeclaration(
        name, CelOverloadDecl.newGlobalOverload(overload, result, params));
  }

  private static CelFunctionDecl member(String name, String overload, CelType result) {
    return CelFunctionDecl.newFunctionDeclaration(
        name, CelOverloadDecl.newMemberOverload(overload, result, IMAGE));
  }

  private static List<CelFunctionDecl> imageDeclarations() {
    return List.of(
        function("image", "string_to_image_deprecated", IMAGE, SimpleType.STRING),
        function("parseImageReference", "string_to_image", IMAGE, SimpleType.STRING),
        function("isImage", "is_image_string", SimpleType.BOOL, SimpleType.STRING),
        member("containsDigest", "image_contains_digest", SimpleType.BOOL),
        member("registry", "image_registry", SimpleType.STRING),
        member("repository", "image_repository", SimpleType.STRING),
        member("identifier", "image_identifier", SimpleType.STRING),
        member("tag", "image_tag", SimpleType.STRING),
        member("digest", "image_digest", SimpleType.STRING));
  }

  private static List<CelFunctionBinding> imageBindings() {
    return List.of(
        CelFunctionBinding.from("string_to_image_deprecated", String.class, ImageValue::parse),
        CelFunctionBinding.from("string_to_image", String.class, ImageValue::parse),
        CelFunctionBinding.from("is_image_string", String.class, ImageValue::isImage),
        CelFunctionBinding.from(
            "image_contains_digest", ImageValue.class, ImageValue::containsDigest),
        CelFunctionBinding.from("image_registry", ImageValue.class, ImageValue::registry),
        CelFunctionBinding.from("image_repository", ImageValue.class, ImageValue::repository),
        CelFunctionBinding.from("image_identifier", ImageValue.class, ImageValue::identifier),
        CelFunctionBinding.from("image_tag", ImageValue.class, ImageValue::tag),
        CelFunctionBinding.from("image_digest", ImageValue.class, ImageValue::digest));
  }
}
