package dev.sigaudit.parity;

import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.CosignCli;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.TestImages;
import dev.sigaudit.testenv.TestImages.Pushed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images and Pods the parity suite judges: images signed by the real cosign v2 and v3 with
 * every key type the engines take, as legacy {@code .sig} and as Sigstore bundles behind the
 * referrers API (ocireg) or the fallback tag (Distribution), attestations alone and beside
 * signatures, several signatures, a signature repository, a multi-arch index, unsigned, wrong key,
 * a moved tag; each image run by a Pod that names it by digest ({@code <image>-d}) and one that
 * names it by tag ({@code <image>-t}).
 */
final class ParityCorpus {
  /** Key names: every key type the engines take, and {@code other}, a key no policy trusts. */
  static final List<String> KEYS = List.of("p256", "p384", "p521", "rsa", "ed25519", "other");

  /**
   * A Pod to judge: the image as its spec names it, the digest the runtime reports it runs, and the
   * reference by digest an admission webhook would judge now (a tag resolved today).
   */
  record ParityPod(String name, String specImage, String imageId, String admissionRef) {}

  private final CosignCli v2;
  private final CosignCli v3;
  private final OciRegistry dist;
  private final OciRegistry referrers;
  private final Path dir;
  private final List<ParityPod> pods = new ArrayList<>();
  private final Map<String, String> pems = new LinkedHashMap<>();

  ParityCorpus(CosignCli v2, CosignCli v3, OciRegistry dist, OciRegistry referrers, Path dir) {
    this.v2 = v2;
    this.v3 = v3;
    this.dist = dist;
    this.referrers = referrers;
    this.dir = dir;
  }

  List<ParityPod> pods() {
    return pods;
  }

  /** The PEM public key of each key name. */
  Map<String, String> publicKeys() {
    return pems;
  }

  /** Where {@code kv-sigrepo}/{@code cip-sigrepo} find the signatures of image {@code sigrepo}. */
  String signatureRepository() {
    return dist.hostPort() + "/parity/signatures";
  }

  void build() throws Exception {
    v2.generateKeyPair(dir, "p256");
    v2.generateKeyPair(dir, "other");
    importKey("p384", ec("secp384r1"));
    importKey("p521", ec("secp521r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    importKey("rsa", rsa.generateKeyPair());
    importKey("ed25519", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    for (String k : KEYS) {
      pems.put(k, Files.readString(dir.resolve(k + ".pub")));
    }

    // Legacy .sig signatures by cosign v2, one per key type.
    for (String k : List.of("p256", "p384", "p521", "rsa", "ed25519")) {
      signed("sig-" + k, dist, v2, k);
    }
    signed("sig-p256-r", referrers, v2, "p256"); // .sig tag in a registry with the referrers API
    // Sigstore bundles by cosign v3: referrers API, and the fallback tag. No Ed25519 bundle:
    // cosign v3.1.2 cannot make one (it fails to verify its own signature while signing).
    for (String k : List.of("p256", "p384", "p521", "rsa")) {
      signed("bundle-" + k, referrers, v3, k);
    }
    signed("bundle-p256-fb", dist, v3, "p256");
    both(TestImages.push(referrers, "parity/unsigned", "1"), "unsigned");
    both(TestImages.push(dist, "parity/unsigned-dist", "1"), "unsigned-dist");
    signed("wrong-sig", dist, v2, "other");
    signed("wrong-bundle", referrers, v3, "other");

    Pushed two = TestImages.push(dist, "parity/two-sigs", "1");
    sign(v2, "p256", two);
    sign(v2, "other", two);
    both(two, "two-sigs");

    // A legacy signature by the trusted key beside an SBOM attestation bundle by another key.
    Pushed sigAtt = TestImages.push(referrers, "parity/sig-and-att", "1");
    sign(v2, "p256", sigAtt);
    attest(v3, "other", sigAtt);
    both(sigAtt, "sig-and-att");
    // The trusted key's only bundle is an attestation.
    Pushed attOnly = TestImages.push(referrers, "parity/att-only", "1");
    attest(v3, "p256", attOnly);
    both(attOnly, "att-only");
    // A bundle signature and an attestation by the same key.
    Pushed bundleAtt = TestImages.push(referrers, "parity/bundle-and-att", "1");
    sign(v3, "p256", bundleAtt);
    attest(v3, "p256", bundleAtt);
    both(bundleAtt, "bundle-and-att");

    // Signatures stored in another repository (COSIGN_REPOSITORY).
    Pushed sigrepo = TestImages.push(dist, "parity/sigrepo", "1");
    v2.sign(
            Map.of("COSIGN_REPOSITORY", signatureRepository()),
            dir.resolve("p256.key"),
            sigrepo.byDigest())
        .requireSuccess("sign into a signature repository");
    both(sigrepo, "sigrepo");

    multiArch();

    // Could-not-check cases: a registry that is down, and a digest the registry does not have.
    String down;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      down = "127.0.0.1:" + s.getLocalPort() + "/parity/down@sha256:" + "ef".repeat(32);
    }
    pods.add(new ParityPod("down-d", down, down, down));
    String absent = dist.hostPort() + "/parity/unsigned-dist@sha256:" + "ab".repeat(32);
    pods.add(new ParityPod("absent-d", absent, absent, absent));

    // A tag moved after the Pod started: it runs a signed image, the tag now names an unsigned one.
    Pushed before = TestImages.push(dist, "parity/moved", "1");
    sign(v2, "p256", before);
    Pushed after = TestImages.push(dist, "parity/moved", "1");
    pods.add(new ParityPod("moved-t", before.byTag(), before.imageId(), after.byDigest()));
    pods.add(new ParityPod("moved-d", before.byDigest(), before.imageId(), before.byDigest()));
  }

  /** A multi-arch index signed by its digest (without --recursive), as a runtime pulls it. */
  private void multiArch() throws Exception {
    RegistryHttp http = new RegistryHttp(dist);
    Pushed amd64 = TestImages.push(dist, "parity/multi", "amd64");
    Pushed arm64 = TestImages.push(dist, "parity/multi", "arm64");
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + descriptor(http, amd64, "amd64")
            + ","
            + descriptor(http, arm64, "arm64")
            + "]}";
    Digest indexDigest =
        http.putManifest(
            "parity/multi", "v1", RegistryHttp.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8));
    Pushed idx = new Pushed(dist.hostPort(), "parity/multi", "v1", indexDigest);
    sign(v2, "p256", idx);
    // containerd reports the digest it pulled by (the index) as the imageID.
    both(idx, "multi");
    // A Pod naming the platform image itself, which carries no signature of its own.
    pods.add(
        new ParityPod("multi-platform-d", amd64.byDigest(), amd64.imageId(), amd64.byDigest()));
  }

  private static String descriptor(RegistryHttp http, Pushed p, String arch) throws Exception {
    byte[] m = http.manifest(p.repository(), p.digest().toString(), RegistryHttp.OCI_MANIFEST);
    return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
        + p.digest()
        + "\",\"size\":"
        + m.length
        + ",\"platform\":{\"architecture\":\""
        + arch
        + "\",\"os\":\"linux\"}}";
  }

  private void signed(String name, OciRegistry registry, CosignCli cosign, String key)
      throws Exception {
    Pushed p = TestImages.push(registry, "parity/" + name, "1");
    sign(cosign, key, p);
    both(p, name);
  }

  private void sign(CosignCli cosign, String key, Pushed p) throws Exception {
    cosign
        .sign(dir.resolve(key + ".key"), p.byDigest())
        .requireSuccess("cosign v" + cosign.major() + " sign " + key + " " + p.byDigest());
  }

  private void attest(CosignCli cosign, String key, Pushed p) throws Exception {
    Path predicate = dir.resolve("sbom.spdx.json");
    Files.writeString(
        predicate,
        "{\"spdxVersion\":\"SPDX-2.3\",\"dataLicense\":\"CC0-1.0\",\"SPDXID\":\"SPDXRef-DOCUMENT\","
            + "\"name\":\"parity\",\"documentNamespace\":\"https://sigaudit.dev/parity\","
            + "\"creationInfo\":{\"created\":\"2026-01-01T00:00:00Z\",\"creators\":[\"Tool: sigaudit-tests\"]},"
            + "\"packages\":[]}");
    cosign
        .attest(dir.resolve(key + ".key"), predicate, "spdxjson", p.byDigest())
        .requireSuccess("cosign v" + cosign.major() + " attest " + key + " " + p.byDigest());
  }

  /** Two Pods run the image: one names it by digest, one by tag. */
  private void both(Pushed p, String name) {
    pods.add(new ParityPod(name + "-d", p.byDigest(), p.imageId(), p.byDigest()));
    pods.add(new ParityPod(name + "-t", p.byTag(), p.imageId(), p.byDigest()));
  }

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  /**
   * Writes the private key as PKCS#8 PEM and imports it: {@code <name>.key}, {@code <name>.pub}.
   */
  private void importKey(String name, KeyPair kp) throws Exception {
    Path pem = dir.resolve(name + ".pkcs8.pem");
    Files.writeString(
        pem,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(kp.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    v2.run(dir, List.of("import-key-pair", "--key", pem.toString(), "--output-key-prefix", name))
        .requireSuccess("cosign import-key-pair " + name);
  }
}
