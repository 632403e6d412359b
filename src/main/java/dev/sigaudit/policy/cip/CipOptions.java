package dev.sigaudit.policy.cip;

import dev.sigaudit.policy.LabelSelector;
import dev.sigaudit.policy.NamespaceSelector;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the policy-controller installation is configured, which the policies themselves do not say.
 *
 * @param controllerNamespace where policy-controller runs: {@code key.secretRef} Secrets without a
 *     namespace are read there ({@code cosign-system} in the Helm chart)
 * @param namespaces the namespaces its webhooks see: by default those labelled {@code
 *     policy.sigstore.dev/include=true} (the webhooks' namespace selector)
 * @param noMatchPolicy from ConfigMap {@code config-policy-controller}
 */
public record CipOptions(
    String controllerNamespace, NamespaceSelector namespaces, NoMatchPolicy noMatchPolicy) {

  /** The opt-in label policy-controller's webhooks select namespaces by. */
  public static final String INCLUDE_LABEL = "policy.sigstore.dev/include";

  /** The Helm chart's defaults: {@code cosign-system}, opt-in label, deny. */
  public static final CipOptions DEFAULT =
      new CipOptions(
          "cosign-system",
          new NamespaceSelector(
              List.of(), List.of(), new LabelSelector(Map.of(INCLUDE_LABEL, "true"), List.of())),
          NoMatchPolicy.DENY);

  public CipOptions {
    Objects.requireNonNull(controllerNamespace);
    Objects.requireNonNull(namespaces);
    Objects.requireNonNull(noMatchPolicy);
  }

  /** These options with another no-match policy. */
  public CipOptions withNoMatchPolicy(NoMatchPolicy policy) {
    return new CipOptions(controllerNamespace, namespaces, policy);
  }
}
