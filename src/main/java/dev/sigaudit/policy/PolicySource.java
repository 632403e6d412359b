package dev.sigaudit.policy;

/** Where a compiled policy came from; {@link #label()} is the {@code source} of its findings. */
public enum PolicySource {
  /** sigaudit's own policy file ({@code docs/policy-file.md}). */
  SIGAUDIT_FILE("sigaudit-file"),
  /** A Kyverno {@code ClusterPolicy} or {@code Policy} with {@code verifyImages}. */
  KYVERNO("kyverno"),
  /** A Kyverno {@code ImageValidatingPolicy}. */
  KYVERNO_IMAGE_VALIDATING("kyverno-ivp"),
  /** A Sigstore policy-controller {@code ClusterImagePolicy}. */
  SIGSTORE_CIP("cip");

  private final String label;

  PolicySource(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
