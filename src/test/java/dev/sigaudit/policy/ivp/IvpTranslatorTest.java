package dev.sigaudit.policy.ivp;

import static dev.sigaudit.policy.ivp.Fixtures.ivp;
import static dev.sigaudit.policy.ivp.Fixtures.policy;
import static dev.sigaudit.policy.ivp.Fixtures.translate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sigaudit.model.HashAlgorithm;
import dev.sigaudit.model.KeyAcceptance;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import dev.sigaudit.model.Verdict;
import dev.sigaudit.policy.Check;
import dev.sigaudit.policy.KeyOrigin;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.Mode;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.PolicySource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IvpTranslatorTest {
  /** The ImageValidatingPolicy of the seed article, verbatim (its key included). */
  static final String SEED =
      """
      apiVersion: policies.kyverno.io/v1alpha1
      kind: ImageValidatingPolicy
      metadata:
        name: ghcr-check-images
      spec:
        matchConstraints:
          resourceRules:
          - apiGroups: [""]
            apiVersions: ["v1"]
            operations: ["CREATE"]
            resources: ["pods"]
        evaluation:
          background:
            enabled: false
        validationActions: [Deny]
        failurePolicy: Ignore
        attestors:
        - name: cosign
          cosign:
            key:
              data: |
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMitBUveNmKw57+UdJ3+mbGKlWp5B
                oWm+HWOBKap2V0Oa2whm/IHHoqReZUPdgj+fsAGyyBvSlbbfQV44zJhx5w==
                -----END PUBLIC KEY-----
        validations:
          - expression: >
              images.containers.all(i,
                (image(i).registry() == "ghcr.io" &&
                 image(i).repository().startsWith("sf-matt/"))
                ? verifyImageSignatures(i, [attestors.cosign]) > 0
                : true
              )
            message: all images from ghcr.io/sf-matt must have a valid Cosign signature
      """;

  private static final String MINIMAL =
      """
      attestors:
        - name: cosign
          cosign: {key: {data: COSIGN_KEY}}
      validations:
        - expression: images.containers.all(i, verifyImageSignatures(i, [attestors.cosign]) > 0)
      """;

  private static List<String> fields(LoadedPolicies loaded) {
    return loaded.problems().stream().map(PolicyProblem::field).toList();
  }

  private static PolicyProblem onlyProblem(String yaml) {
    LoadedPolicies loaded = translate(yaml);
    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.problems()).hasSize(1);
    return loaded.problems().get(0);
  }

  @Test
  void theSeedPolicyCompilesIntoOneRuleNamedAfterIt() {
    Policy p = policy(SEED);

    assertThat(p.name()).isEqualTo("ImageValidatingPolicy/ghcr-check-images");
    assertThat(p.source()).isEqualTo(PolicySource.KYVERNO_IMAGE_VALIDATING);
    assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
    assertThat(p.severity()).isEqualTo(Severity.MEDIUM);
    assertThat(p.category()).isEqualTo(Policy.DEFAULT_CATEGORY);
    assertThat(p.namespaces().selects("anything", Map.of())).isTrue();
    assertThat(p.rules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("ghcr-check-images");
              assertThat(r.check()).isInstanceOf(Check.CelValidation.class);
              assertThat(((Check.CelValidation) r.check()).expressions().get(0))
                  .contains("verifyImageSignatures(i, [attestors.cosign]) > 0");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1alpha1", "v1beta1", "v1"})
  void everyServedVersionIsRead(String version) {
    String yaml = ivp("p", MINIMAL).replace("v1beta1", version);
    assertThat(policy(yaml).name()).isEqualTo("ImageValidatingPolicy/p");
  }

  @Test
  void anUnknownVersionOrKindIsAProblem() {
    LoadedPolicies loaded =
        translate(
            ivp("a", MINIMAL).replace("v1beta1", "v2"),
            ivp("b", MINIMAL).replace("kind: ImageValidatingPolicy", "kind: ValidatingPolicy"));

    assertThat(loaded.policies()).isEmpty();
    assertThat(loaded.problems())
        .extracting(PolicyProblem::object, PolicyProblem::field)
        .containsExactly(
            tuple("ImageValidatingPolicy/a", "apiVersion"), tuple("object[1]", "kind"));
    assertThat(loaded.problems().get(0).message()).contains("got 'policies.kyverno.io/v2'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[Deny]        | ENFORCE",
        "[Audit]       | AUDIT",
        "[Warn]        | WARN",
        "[Deny, Audit] | ENFORCE",
        "[Audit, Warn] | WARN",
        "[]            | ENFORCE",
      })
  void validationActionsGiveTheMode(String actions, Mode mode) {
    assertThat(policy(ivp("p", MINIMAL + "validationActions: " + actions)).mode()).isEqualTo(mode);
  }

  @Test
  void absentValidationActionsMeanDenyAsInKyverno() {
    assertThat(policy(ivp("p", MINIMAL)).mode()).isEqualTo(Mode.ENFORCE);
  }

  @Test
  void aCompileErrorQuotesTheExpressionAndSparesTheOtherPolicies() {
    String broken =
        ivp(
            "broken",
            """
            validations:
              - expression: "images.containers.all(i, "
            """);
    LoadedPolicies loaded = translate(broken, ivp("fine", MINIMAL));

    assertThat(loaded.policies())
        .extracting(Policy::name)
        .containsExactly("ImageValidatingPolicy/fine");
    PolicyProblem p = loaded.problems().get(0);
    assertThat(p.origin()).isEqualTo("cluster");
    assertThat(p.object()).isEqualTo("ImageValidatingPolicy/broken");
    assertThat(p.field()).isEqualTo("spec.validations[0].expression");
    assertThat(p.message()).startsWith("'images.containers.all(i,' does not compile: 1:");
  }

  @Test
  void anUnknownFunctionIsAProblemNamingIt() {
    PolicyProblem p =
        onlyProblem(
            ivp(
                "p",
                """
                validations:
                  - expression: resource.Get("v1", "configmaps", "ns", "cm").data.x == "y"
                """));
    assertThat(p.field()).isEqualTo("spec.validations[0].expression");
    assertThat(p.message()).contains("undeclared reference to 'Get'");
  }

  @Test
  void anExpressionMustBeABool() {
    PolicyProblem p =
        onlyProblem(
            ivp(
                "p",
                """
                validations:
                  - expression: images.containers.size()
                """));
    assertThat(p.message()).endsWith("must evaluate to bool, not int");
  }

  @Test
  void aMessageExpressionMustBeAString() {
    PolicyProblem p =
        onlyProblem(
            ivp(
                "p",
                """
                validations:
                  - expression: "true"
                    messageExpression: images.containers.size()
                """));
    assertThat(p.field()).isEqualTo("spec.validations[0].messageExpression");
    assertThat(p.message()).endsWith("must evaluate to string, not int");
  }

  @Test
  void validationsAreRequired() {
    assertThat(onlyProblem(ivp("p", "attestors: []")).field()).isEqualTo("spec.validations");
  }

  @Test
  void wrongTypesAreProblemsNotExceptions() {
    LoadedPolicies loaded =
        translate(
            ivp(
                "p",
                """
                validations: "true"
                attestors: {name: x}
                matchImageReferences: [42]
                validationConfigurations: {required: "yes"}
                """));
    assertThat(fields(loaded))
        .contains(
            "spec.validations",
            "spec.attestors",
            "spec.matchImageReferences[0]",
            "spec.validationConfigurations.required");
  }

  @Test
  void aMissingSpecOrNameIsAProblem() {
    LoadedPolicies loaded =
        translate(
            "{apiVersion: policies.kyverno.io/v1, kind: ImageValidatingPolicy, metadata: {name: a}}",
            "{apiVersion: policies.kyverno.io/v1, kind: ImageValidatingPolicy, metadata: {}}");
    assertThat(loaded.problems())
        .extracting(PolicyProblem::object, PolicyProblem::field)
        .containsExactly(
            tuple("ImageValidatingPolicy/a", "spec"), tuple("object[1]", "metadata.name"));
  }

  @Test
  void badMatchImageReferencesAreProblems() {
    LoadedPolicies loaded =
        translate(
            ivp(
                "p",
                MINIMAL
                    + """
                    matchImageReferences:
                      - glob: "ghcr.io/[acme/*"
                      - expression: "ref.startsWith("
                      - {}
                      - glob: "a"
                        expression: "true"
                    """));
    assertThat(fields(loaded))
        .containsExactly(
            "spec.matchImageReferences[0].glob",
            "spec.matchImageReferences[1].expression",
            "spec.matchImageReferences[2]",
            "spec.matchImageReferences[3]");
    assertThat(loaded.problems().get(0).message()).contains("is never closed");
  }

  @Test
  void malformedAttestorsAreProblems() {
    LoadedPolicies loaded =
        translate(
            ivp(
                "p",
                """
                attestors:
                  - cosign: {key: {data: COSIGN_KEY}}
                  - name: a
                    cosign: {key: {data: "not a key"}}
                  - name: b
                    cosign: {key: {data: COSIGN_KEY}}
                  - name: b
                    cosign: {key: {data: COSIGN_KEY}}
                  - name: c
                    cosign: {key: {data: COSIGN_KEY}}
                    notary: {certs: {value: x}}
                  - name: d
                    cosign: {}
                  - name: e
                    cosign:
                      key: {data: COSIGN_KEY}
                      source: {repository: "ghcr.io/acme/sigs:v1"}
                validations:
                  - expression: "true"
                """));
    assertThat(fields(loaded))
        .containsExactly(
            "spec.attestors[0].name",
            "spec.attestors[1].cosign.key.data",
            "spec.attestors[3].name",
            "spec.attestors[4]",
            "spec.attestors[5].cosign",
            "spec.attestors[6].cosign.source.repository");
  }

  @Test
  void attestorsSigauditCannotVerifyStillLoad() {
    Policy p =
        policy(
            ivp(
                "p",
                """
                attestors:
                  - name: kms
                    cosign: {key: {kms: "awskms:///alias/x"}}
                  - name: expr
                    cosign: {key: {expression: "variables.key"}}
                  - name: keyless
                    cosign:
                      keyless:
                        identities: [{issuer: "https://token.actions.githubusercontent.com", subjectRegExp: ".*"}]
                  - name: notary
                    notary: {certs: {value: x}}
                  - name: cert
                    cosign: {certificate: {cert: {value: x}}}
                  - name: annotated
                    cosign: {key: {data: COSIGN_KEY}, annotations: {team: a}}
                validations:
                  - expression: "true"
                """));
    var program = (IvpProgram) ((Check.CelValidation) p.rules().get(0).check()).program();
    assertThat(program.attestors().values())
        .extracting(a -> a.getClass().getSimpleName())
        .containsExactly(
            "Unsupported", "Unsupported", "Keyless", "Unsupported", "Unsupported", "Unsupported");
    assertThat(program.attestors().get("kms"))
        .isEqualTo(
            new Attestor.Unsupported(
                "kms",
                "spec.attestors[0].cosign.key.kms",
                "KMS keys are not supported yet",
                true,
                Optional.empty()));
  }

  @Test
  void aKeyIsReadWithTheHashKyvernoVerifiesWithAndAttestationsCount() {
    Policy p =
        policy(
            ivp(
                "p",
                """
                attestors:
                  - name: plain
                    cosign: {key: {data: COSIGN_KEY}}
                  - name: p384
                    cosign: {key: {data: COSIGN_KEY, hashAlgorithm: sha384}}
                  - name: odd
                    cosign: {key: {data: COSIGN_KEY, hashAlgorithm: md5}}
                validations:
                  - expression: "true"
                """));
    var program = (IvpProgram) ((Check.CelValidation) p.rules().get(0).check()).program();

    assertThat(((Attestor.Key) program.attestors().get("plain")).key().acceptance())
        .isEqualTo(KeyAcceptance.engine(HashAlgorithm.SHA256, true));
    assertThat(((Attestor.Key) program.attestors().get("p384")).key().acceptance())
        .isEqualTo(KeyAcceptance.engine(HashAlgorithm.SHA384, true));
    assertThat(program.attestors().get("odd")).isInstanceOf(Attestor.Unsupported.class);
  }

  @Test
  void selectingPodsByWhatSigauditCannotSeeIsAProblem() {
    LoadedPolicies loaded =
        translate(
            ivp(
                "p",
                MINIMAL
                    + """
                    matchConstraints:
                      objectSelector: {matchLabels: {app: web}}
                      resourceRules:
                        - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], resourceNames: [web-0]}
                    matchConditions:
                      - {name: no-system, expression: "request.namespace != 'kube-system'"}
                    """));
    assertThat(fields(loaded))
        .containsExactly(
            "spec.matchConditions",
            "spec.matchConstraints.objectSelector",
            "spec.matchConstraints.resourceRules[0].resourceNames");
  }

  @Test
  void resourceRulesMustSelectPods() {
    LoadedPolicies loaded =
        translate(
            ivp(
                "deployments",
                MINIMAL
                    + """
                    matchConstraints:
                      resourceRules:
                        - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
                    """),
            ivp(
                "configmaps",
                MINIMAL
                    + """
                    matchConstraints:
                      resourceRules:
                        - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                    """),
            ivp(
                "wildcard",
                MINIMAL
                    + """
                    matchConstraints:
                      resourceRules:
                        - {apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"]}
                    """));
    assertThat(loaded.policies())
        .extracting(Policy::name)
        .containsExactly("ImageValidatingPolicy/wildcard");
    assertThat(loaded.problems())
        .extracting(PolicyProblem::object, PolicyProblem::message)
        .containsExactly(
            tuple(
                "ImageValidatingPolicy/deployments",
                "selects deployments but not pods: sigaudit judges running Pods and cannot yet tell"
                    + " which controller owns one"),
            tuple(
                "ImageValidatingPolicy/configmaps",
                "does not select pods (configmaps): nothing for sigaudit to judge"));
  }

  @Test
  void theNamespaceSelectorChoosesNamespacesByLabel() {
    Policy p =
        policy(
            ivp(
                "p",
                MINIMAL
                    + """
                    matchConstraints:
                      namespaceSelector:
                        matchLabels: {env: prod}
                        matchExpressions: [{key: team, operator: NotIn, values: [sandbox]}]
                    """));
    assertThat(p.namespaces().selects("a", Map.of("env", "prod"))).isTrue();
    assertThat(p.namespaces().selects("b", Map.of("env", "prod", "team", "sandbox"))).isFalse();
    assertThat(p.namespaces().selects("c", Map.of())).isFalse();
  }

  @Test
  void aBadNamespaceSelectorIsAProblem() {
    PolicyProblem p =
        onlyProblem(
            ivp(
                "p",
                MINIMAL
                    + """
                    matchConstraints:
                      namespaceSelector:
                        matchExpressions: [{key: team, operator: Matches, values: [a]}]
                    """));
    assertThat(p.field())
        .isEqualTo("spec.matchConstraints.namespaceSelector.matchExpressions[0].operator");
  }

  @Test
  void inputsSigauditDoesNotHaveAreProblems() {
    LoadedPolicies loaded =
        translate(
            ivp(
                "p",
                MINIMAL
                    + """
                    images:
                      - {name: refs, expression: "[object.imageReference]"}
                    evaluation: {mode: JSON}
                    """));
    assertThat(fields(loaded)).containsExactly("spec.images", "spec.evaluation.mode");
  }

  @Test
  void aNamespacedPolicyAppliesToItsNamespaceOnly() {
    Policy p =
        policy(
            ivp("p", MINIMAL)
                .replace("kind: ImageValidatingPolicy", "kind: NamespacedImageValidatingPolicy")
                .replace("  name: p\n", "  name: p\n  namespace: team-a\n"));

    assertThat(p.name()).isEqualTo("NamespacedImageValidatingPolicy/team-a/p");
    assertThat(p.namespaces().selects("team-a", Map.of())).isTrue();
    assertThat(p.namespaces().selects("team-b", Map.of())).isFalse();
  }

  @Test
  void severityAndCategoryComeFromKyvernosAnnotations() {
    Policy p =
        policy(
            ivp("p", MINIMAL)
                .replace(
                    "  name: p\n",
                    "  name: p\n  annotations:\n    policies.kyverno.io/severity: High\n"
                        + "    policies.kyverno.io/category: Supply Chain\n"));
    assertThat(p.severity()).isEqualTo(Severity.HIGH);
    assertThat(p.category()).isEqualTo("Supply Chain");
  }

  @Test
  void ignoredFieldsDoNotStopAPolicy() {
    policy(
        ivp(
            "p",
            MINIMAL
                + """
                failurePolicy: Fail
                credentials: {providers: [github], secrets: [ghcr-creds]}
                webhookConfiguration: {timeoutSeconds: 15}
                evaluation: {mode: Kubernetes, background: {enabled: false}}
                autogen: {podControllers: {controllers: [deployments]}}
                auditAnnotations: [{key: a, valueExpression: "'x'"}]
                validationConfigurations: {mutateDigest: false}
                variables: [{name: v, expression: "object.metadata.name"}]
                attestations: [{name: sbom, intoto: {type: "https://cyclonedx.org/bom"}}]
                """));
  }

  @Test
  void keyAndKeylessAttestorsAreInlineInThePolicyUnderTheirName() {
    Policy p =
        policy(
            ivp(
                "verify-release-signature",
                """
                attestors:
                  - name: release
                    cosign: {key: {data: COSIGN_KEY}, ctlog: {insecureIgnoreTlog: true}}
                  - name: ci
                    cosign:
                      keyless:
                        identities: [{issuer: "https://issuer.example", subject: "ci@example.com"}]
                validations:
                  - expression: "images.containers.all(i, verifyImageSignatures(i, [attestors.release]) > 0)"
                """));
    var program = (IvpProgram) ((Check.CelValidation) p.rules().get(0).check()).program();

    assertThat(((Attestor.Key) program.attestors().get("release")).origin())
        .isEqualTo(
            new KeyOrigin.Inline(
                "ImageValidatingPolicy/verify-release-signature", "attestor release"));
    assertThat(((Attestor.Keyless) program.attestors().get("ci")).origin())
        .isEqualTo(
            new KeyOrigin.Inline("ImageValidatingPolicy/verify-release-signature", "attestor ci"));

    // A failure ends with who must sign, and where the policy says so.
    var judgement =
        program.evaluate(
            Fixtures.target("ghcr.io/acme/app@" + Fixtures.RUNNING), r -> new Verdict.Unsigned());
    assertThat(judgement.result()).isEqualTo(Result.FAIL);
    assertThat(judgement.toDo())
        .contains(
            "To pass: sign it as the validations require, with key "
                + Fixtures.COSIGN_KEY.fingerprint()
                + " (inline in ImageValidatingPolicy/verify-release-signature, attestor release),"
                + " keyless as subject ci@example.com issued by https://issuer.example"
                + " (inline in ImageValidatingPolicy/verify-release-signature, attestor ci).");
  }
}
