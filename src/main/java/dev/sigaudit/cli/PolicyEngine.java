package dev.sigaudit.cli;

import dev.sigaudit.model.ApiAccess;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.PolicyDialect;
import dev.sigaudit.policy.cip.CipDialect;
import dev.sigaudit.policy.ivp.IvpDialect;
import dev.sigaudit.policy.kyverno.KyvernoDialect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An admission controller whose policies sigaudit reads from the cluster ({@code
 * --cluster-policies}), with the policy kinds it owns. Each engine is one kustomize component in
 * {@code cronjob/components/}, named like the flag value, that grants exactly {@link #access()}.
 */
public enum PolicyEngine {
  /** Kyverno: ClusterPolicy/Policy verifyImages, (Namespaced)ImageValidatingPolicy. */
  KYVERNO("kyverno"),
  /** Sigstore policy-controller: ClusterImagePolicy and its config-policy-controller ConfigMap. */
  POLICY_CONTROLLER("policy-controller");

  private final String flag;

  PolicyEngine(String flag) {
    this.flag = flag;
  }

  /** The value of {@code --cluster-policies} and the name of its component in cronjob/. */
  public String flag() {
    return flag;
  }

  /** The engine named {@code value} on the command line. */
  static Optional<PolicyEngine> byFlag(String value) {
    return Arrays.stream(values()).filter(e -> e.flag.equals(value)).findFirst();
  }

  /** The policy kinds read for this engine, in the order their policies are listed. */
  List<PolicyDialect> dialects(KeyParser keys) {
    return switch (this) {
      case KYVERNO -> List.of(new KyvernoDialect(keys), new IvpDialect(keys));
      case POLICY_CONTROLLER -> List.of(new CipDialect(keys));
    };
  }

  /**
   * What reading this engine's policies does with the API: {@code list} on each policy resource
   * (never {@code get}: objects are only listed), and {@code get} on the settings ConfigMap by
   * name. Keys a policy names in a Secret are not here: they need {@code get secrets}, which no
   * component grants (see cronjob/README.md).
   */
  public List<ApiAccess> access() {
    List<ApiAccess> access = new ArrayList<>();
    for (PolicyDialect d :
        dialects(
            pem -> {
              throw new IllegalStateException("no key is parsed when listing access");
            })) {
      d.resources().forEach(r -> access.add(ApiAccess.of(r.group(), r.plural(), "list")));
      d.settings()
          .ifPresent(
              s ->
                  access.add(
                      new ApiAccess("", "configmaps", Set.of("get"), Optional.of(s.name()))));
    }
    return access;
  }
}
