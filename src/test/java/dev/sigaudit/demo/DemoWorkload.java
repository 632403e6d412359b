package dev.sigaudit.demo;

import java.util.List;

/**
 * What the demo cluster runs: one image per way teams meet signatures, each run by the kind of
 * workload it is usually found in. The catalog is data so that the demo and its test agree on what
 * was built and which verdict sigaudit's own policy file must give.
 */
record DemoWorkload(
    String namespace,
    Kind kind,
    String name,
    String repository,
    String tag,
    Signing signing,
    int pods) {

  /** The top-level owner, as sigaudit reports it. */
  enum Kind {
    Deployment,
    CronJob,
    Pod
  }

  /** How the image was published. */
  enum Signing {
    COSIGN_V2_SIG("signed with cosign v2 (.sig tag) by the release key", "pass"),
    COSIGN_V3_BUNDLE(
        "signed with cosign v3 (Sigstore bundle, OCI 1.1 referrer) by the release key", "pass"),
    WRONG_KEY("signed with cosign v2 by another team's key", "fail"),
    UNSIGNED("not signed at all", "fail"),
    // An attestation is not a signature: cosign verify (without -attestation) refuses it too.
    SBOM_ATTESTATION(
        "an SBOM attestation (cosign attest) by the release key, but no signature", "fail");

    final String description;

    /** The verdict of the demo's policy file ("signed by the release key") for this image. */
    final String fileVerdict;

    Signing(String description, String fileVerdict) {
      this.description = description;
      this.fileVerdict = fileVerdict;
    }
  }

  static final String SHOP = "shop";
  static final String BATCH = "batch";

  /** Everything the demo runs. Bundles need the registry with the referrers API. */
  static final List<DemoWorkload> ALL =
      List.of(
          new DemoWorkload(
              SHOP,
              Kind.Deployment,
              "frontend",
              "demo/frontend",
              "1.4.2",
              Signing.COSIGN_V2_SIG,
              2),
          new DemoWorkload(
              SHOP,
              Kind.Deployment,
              "checkout",
              "demo/checkout",
              "2.0.1",
              Signing.COSIGN_V3_BUNDLE,
              1),
          new DemoWorkload(
              SHOP,
              Kind.Deployment,
              "recommender",
              "demo/recommender",
              "0.9.0",
              Signing.WRONG_KEY,
              1),
          new DemoWorkload(
              SHOP, Kind.Pod, "debug-shell", "demo/debug-shell", "latest", Signing.UNSIGNED, 1),
          new DemoWorkload(
              BATCH,
              Kind.CronJob,
              "nightly-report",
              "demo/nightly-report",
              "3.1.0",
              Signing.SBOM_ATTESTATION,
              1));

  static List<String> namespaces() {
    return ALL.stream().map(DemoWorkload::namespace).distinct().toList();
  }

  /** The container name every demo Pod uses. */
  static final String CONTAINER = "app";
}
