package dev.sigaudit.parity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policies of the parity suite, of all three kinds, covering their signature fields. Each is
 * created in the real apiserver; sigaudit reads it from there, and the engine is given the object
 * as the apiserver stored it (CRD defaults applied).
 *
 * <p>Left out, because the engine cannot judge them offline: policies that need the public Rekor,
 * CT log or Fulcio material (Kyverno key policies without {@code rekor.ignoreTlog}, keyless
 * authorities), which the engines fetch over TUF.
 */
final class ParityPolicies {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The three engines' policy kinds and where they live in the apiserver. */
  enum Kind {
    CLUSTER_POLICY("ClusterPolicy", "kyverno.io", "v1", "clusterpolicies"),
    IMAGE_VALIDATING_POLICY(
        "ImageValidatingPolicy", "policies.kyverno.io", "v1beta1", "imagevalidatingpolicies"),
    CLUSTER_IMAGE_POLICY(
        "ClusterImagePolicy", "policy.sigstore.dev", "v1beta1", "clusterimagepolicies");

    final String kind;
    final String group;
    final String version;
    final String plural;

    Kind(String kind, String group, String version, String plural) {
      this.kind = kind;
      this.group = group;
      this.version = version;
      this.plural = plural;
    }
  }

  /** One policy: its kind, its name without the run suffix, and the object to create. */
  record ParityPolicy(Kind kind, String shortName, ObjectNode object) {
    /** The policy as sigaudit's results name it, without the run suffix. */
    String label() {
      return kind.kind + "/" + shortName;
    }
  }

  private final Map<String, String> pems;
  private final String suffix;
  private final String signatureRepository;
  private final List<ParityPolicy> all = new ArrayList<>();

  ParityPolicies(Map<String, String> pems, String suffix, String signatureRepository) {
    this.pems = pems;
    this.suffix = suffix;
    this.signatureRepository = signatureRepository;
  }

  List<ParityPolicy> build() {
    kyvernoPolicies();
    imageValidatingPolicies();
    clusterImagePolicies();
    return all;
  }

  private void kyvernoPolicies() {
    // The CRD defaults: type Cosign, mutateDigest, verifyDigest, required all true.
    kyverno("kv-p256", "", entries(1, key("p256", "")), "");
    kyverno(
        "kv-p256-nodigest",
        "\"mutateDigest\":false,\"verifyDigest\":false,",
        entries(1, key("p256", "")),
        "");
    kyverno("kv-p256-nomutate", "\"mutateDigest\":false,", entries(1, key("p256", "")), "");
    kyverno(
        "kv-p256-optional",
        "\"required\":false,\"verifyDigest\":false,",
        entries(1, key("p256", "")),
        "");
    kyverno("kv-p384", "", entries(1, key("p384", "")), "");
    kyverno(
        "kv-p384-sha384", "", entries(1, key("p384", "\"signatureAlgorithm\":\"sha384\",")), "");
    kyverno("kv-p521", "", entries(1, key("p521", "")), "");
    kyverno("kv-rsa", "", entries(1, key("rsa", "")), "");
    kyverno("kv-ed25519", "", entries(1, key("ed25519", "")), "");
    kyverno("kv-bundle", "\"type\":\"SigstoreBundle\",", entries(1, key("p256", "")), "");
    kyverno("kv-count2", "", entries(2, key("p256", ""), key("other", "")), "");
    kyverno("kv-any-of-two", "", entries(1, key("rsa", ""), key("p256", "")), "");
    kyverno(
        "kv-two-attestors",
        "",
        entries(1, key("p256", "")) + "," + entries(1, key("other", "")),
        "");
    kyverno(
        "kv-glob",
        "",
        entries(1, key("p256", "")),
        "",
        "[\"127.0.0.1:*/parity/sig-*\",\"127.0.0.1:*/parity/two-*\"]");
    kyverno(
        "kv-exclude",
        "",
        entries(1, key("p256", "")),
        "\"exclude\":{\"any\":[{\"resources\":{\"names\":[\"*-t\"]}}]},");
    kyverno(
        "kv-sigrepo",
        "\"repository\":" + quote(signatureRepository) + ",",
        entries(1, key("p256", "")),
        "");
  }

  private void imageValidatingPolicies() {
    String a = cosignKey("a", "p256", "");
    String all = "images.containers.all(i, verifyImageSignatures(i, [attestors.a]) > 0)";
    ivp("ivp-p256", "", a, all);
    ivp(
        "ivp-p256-nodigest",
        "\"validationConfigurations\":{\"mutateDigest\":false,\"verifyDigest\":false},",
        a,
        all);
    ivp("ivp-p384", "", cosignKey("a", "p384", ""), all);
    ivp("ivp-p384-sha384", "", cosignKey("a", "p384", ",\"hashAlgorithm\":\"sha384\""), all);
    ivp("ivp-rsa", "", cosignKey("a", "rsa", ""), all);
    ivp("ivp-ed25519", "", cosignKey("a", "ed25519", ""), all);
    String ab = a + "," + cosignKey("b", "other", "");
    ivp(
        "ivp-both",
        "",
        ab,
        "images.containers.all(i, verifyImageSignatures(i, [attestors.a, attestors.b]) >= 2)");
    ivp(
        "ivp-either",
        "",
        ab,
        "images.containers.map(i, verifyImageSignatures(i, [attestors.b, attestors.a])).all(n, n > 0)");
    ivp("ivp-glob", "", a, all, "[{\"glob\":\"127.0.0.1:*/parity/bundle-*\"}]");
  }

  private void clusterImagePolicies() {
    cip("cip-p256", "", "**", authority("p256", ""));
    cip("cip-p384", "", "**", authority("p384", ""));
    cip("cip-p384-sha384", "", "**", authority("p384", ",\"hashAlgorithm\":\"sha384\""));
    cip("cip-p521", "", "**", authority("p521", ""));
    cip("cip-rsa", "", "**", authority("rsa", ""));
    cip("cip-ed25519", "", "**", authority("ed25519", ""));
    cip("cip-two-authorities", "", "**", authority("other", "") + "," + authority("p256", ""));
    cip("cip-glob", "", "127.0.0.1:*/parity/sig-*", authority("p256", ""));
    cip("cip-static-pass", "", "**", "{\"name\":\"s\",\"static\":{\"action\":\"pass\"}}");
    cip("cip-static-fail", "", "**", "{\"name\":\"s\",\"static\":{\"action\":\"fail\"}}");
    cip("cip-warn", "\"mode\":\"warn\",", "**", authority("p256", ""));
    cip(
        "cip-sigrepo",
        "",
        "**",
        "{\"name\":\"k\",\"key\":{\"data\":"
            + quote(pems.get("p256"))
            + "},\"source\":[{\"oci\":"
            + quote(signatureRepository)
            + "}]}");
  }

  // --- Kyverno ClusterPolicy ---------------------------------------------------------------

  private String key(String key, String extra) {
    // Without ctlog.ignoreSCT the Kyverno CLI loads the public CT log keys over TUF even for
    // key-based signatures (it cannot judge offline); the field does not change a key verdict.
    return "{\"keys\":{"
        + extra
        + "\"publicKeys\":"
        + quote(pems.get(key))
        + ",\"rekor\":{\"ignoreTlog\":true},\"ctlog\":{\"ignoreSCT\":true}}}";
  }

  private static String entries(int count, String... entries) {
    return "{\"count\":" + count + ",\"entries\":[" + String.join(",", entries) + "]}";
  }

  private void kyverno(String name, String entryFields, String attestors, String ruleFields) {
    kyverno(name, entryFields, attestors, ruleFields, "[\"127.0.0.1:*\"]");
  }

  private void kyverno(
      String name, String entryFields, String attestors, String ruleFields, String references) {
    add(
        Kind.CLUSTER_POLICY,
        name,
        """
        {"apiVersion":"kyverno.io/v1","kind":"ClusterPolicy","metadata":{"name":"%s"},
         "spec":{"rules":[{"name":"signed","match":{"any":[{"resources":{"kinds":["Pod"]}}]},%s
           "verifyImages":[{"imageReferences":%s,%s"failureAction":"Audit",
             "attestors":[%s]}]}]}}
        """
            .formatted(name + suffix, ruleFields, references, entryFields, attestors));
  }

  // --- Kyverno ImageValidatingPolicy ---------------------------------------------------------

  private String cosignKey(String attestor, String key, String keyExtra) {
    return "{\"name\":\""
        + attestor
        + "\",\"cosign\":{\"key\":{\"data\":"
        + quote(pems.get(key))
        + keyExtra
        + "},\"ctlog\":{\"insecureIgnoreTlog\":true,\"insecureIgnoreSCT\":true}}}";
  }

  private void ivp(String name, String specFields, String attestors, String expression) {
    ivp(name, specFields, attestors, expression, "[{\"glob\":\"127.0.0.1:*\"}]");
  }

  private void ivp(
      String name, String specFields, String attestors, String expression, String references) {
    add(
        Kind.IMAGE_VALIDATING_POLICY,
        name,
        """
        {"apiVersion":"policies.kyverno.io/v1beta1","kind":"ImageValidatingPolicy","metadata":{"name":"%s"},
         "spec":{"validationActions":["Audit"],%s
           "matchConstraints":{"resourceRules":[{"apiGroups":[""],"apiVersions":["v1"],"operations":["CREATE"],"resources":["pods"]}]},
           "matchImageReferences":%s,
           "attestors":[%s],
           "validations":[{"expression":%s,"message":"not signed as required"}]}}
        """
            .formatted(name + suffix, specFields, references, attestors, quote(expression)));
  }

  // --- Sigstore ClusterImagePolicy -----------------------------------------------------------

  private String authority(String key, String keyExtra) {
    return "{\"name\":\"" + key + "\",\"key\":{\"data\":" + quote(pems.get(key)) + keyExtra + "}}";
  }

  private void cip(String name, String specFields, String glob, String authorities) {
    add(
        Kind.CLUSTER_IMAGE_POLICY,
        name,
        """
        {"apiVersion":"policy.sigstore.dev/v1beta1","kind":"ClusterImagePolicy","metadata":{"name":"%s"},
         "spec":{%s"images":[{"glob":%s}],"authorities":[%s]}}
        """
            .formatted(name + suffix, specFields, quote(glob), authorities));
  }

  private void add(Kind kind, String shortName, String json) {
    try {
      all.add(new ParityPolicy(kind, shortName, (ObjectNode) JSON.readTree(json)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(shortName + ": " + e.getMessage(), e);
    }
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
