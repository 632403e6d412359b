package dev.sigaudit.testenv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.AuthenticationV1TokenRequest;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1TokenRequestSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.credentials.AccessTokenAuthentication;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real kube-apiserver (RBAC on) backed by a real etcd, both bound to loopback. No scheduler and
 * no kubelet: Pods stay Pending, and tests report running containers through {@code pods/status},
 * exactly where a kubelet reports them.
 */
public final class KubeApiServer {
  /** Static token of the admin user, a member of {@code system:masters}. */
  private final String adminToken = UUID.randomUUID().toString();

  private final Path dir;
  private final String url;
  private final byte[] caPem;
  private final ManagedProcess etcd;
  private final ManagedProcess apiserver;
  private final ApiClient admin;

  private KubeApiServer(Path dir, Path etcdBin, Path apiserverBin, Path logDir) throws Exception {
    this.dir = dir;
    int etcdClient = FreePort.pick();
    int etcdPeer = FreePort.pick();
    String etcdUrl = "http://127.0.0.1:" + etcdClient;
    etcd =
        ManagedProcess.start(
            "etcd-" + etcdClient,
            List.of(
                etcdBin.toString(),
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=http://127.0.0.1:" + etcdPeer,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeer,
                "--initial-cluster=default=http://127.0.0.1:" + etcdPeer,
                // Test data: durability is not worth the fsync cost.
                "--unsafe-no-fsync",
                "--log-level=warn"),
            logDir,
            Map.of());
    etcd.awaitReady(Duration.ofSeconds(30), () -> Http.answers200(etcdUrl + "/health"));

    Path certs = Files.createDirectories(dir.resolve("certs"));
    Path saKey = dir.resolve("sa.key");
    writeServiceAccountKey(saKey);
    Path tokens = dir.resolve("tokens.csv");
    Files.writeString(tokens, adminToken + ",sigaudit-test-admin,admin-uid,\"system:masters\"\n");
    int port = FreePort.pick();
    url = "https://127.0.0.1:" + port;
    apiserver =
        ManagedProcess.start(
            "kube-apiserver-" + port,
            List.of(
                apiserverBin.toString(),
                "--etcd-servers=" + etcdUrl,
                "--cert-dir=" + certs,
                "--secure-port=" + port,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--authorization-mode=RBAC",
                "--token-auth-file=" + tokens,
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + saKey,
                "--service-account-signing-key-file=" + saKey,
                "--service-cluster-ip-range=10.96.0.0/24",
                // No controller-manager creates the "default" ServiceAccount of new namespaces.
                "--disable-admission-plugins=ServiceAccount",
                "--enable-priority-and-fairness=false"),
            logDir,
            Map.of());
    Path servingCert = certs.resolve("apiserver.crt");
    apiserver.awaitReady(
        Duration.ofSeconds(90), () -> Files.exists(servingCert) && readyz(servingCert));
    caPem = Files.readAllBytes(servingCert);
    admin = clientWithToken(adminToken);
  }

  static KubeApiServer start(Path workDir, Path etcdBin, Path apiserverBin, Path logDir)
      throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "kube-");
    return new KubeApiServer(dir, etcdBin, apiserverBin, logDir);
  }

  public String url() {
    return url;
  }

  /** A client authenticated as a member of {@code system:masters}. */
  public ApiClient adminClient() {
    return admin;
  }

  /**
   * A client authenticated as {@code system:serviceaccount:NS:NAME} with a token from the
   * TokenRequest API, exactly what a Pod running as that ServiceAccount gets.
   */
  public ApiClient serviceAccountClient(String namespace, String serviceAccount)
      throws ApiException {
    return clientWithToken(serviceAccountToken(namespace, serviceAccount));
  }

  public String serviceAccountToken(String namespace, String serviceAccount) throws ApiException {
    AuthenticationV1TokenRequest req =
        new AuthenticationV1TokenRequest().spec(new V1TokenRequestSpec().expirationSeconds(3600L));
    return new CoreV1Api(admin)
        .createNamespacedServiceAccountToken(serviceAccount, namespace, req)
        .execute()
        .getStatus()
        .getToken();
  }

  /**
   * Requests the apiserver has served so far: the sum of its {@code apiserver_request_total}
   * counter. The difference around a scan is what the scan cost the apiserver.
   */
  public long requestTotal() throws Exception {
    return metricSum("apiserver_request_total");
  }

  /**
   * The sum of the apiserver's counter {@code name} over the series whose labels contain each of
   * {@code labels} (e.g. {@code resource="pods"}; none for all). Reading it is one request.
   */
  public long metricSum(String name, String... labels) throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(Tls.trusting(caPem)).build();
    HttpResponse<String> r =
        c.send(
            HttpRequest.newBuilder(URI.create(url + "/metrics"))
                .header("Authorization", "Bearer " + adminToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long total = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(line::contains)) {
        total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** Writes a kubeconfig for the admin user, for code under test that reads one. */
  public Path writeAdminKubeconfig(Path file) throws IOException {
    return writeKubeconfig(file, "sigaudit-test-admin", adminToken);
  }

  public Path writeKubeconfig(Path file, String user, String token) throws IOException {
    String ca = Base64.getEncoder().encodeToString(caPem);
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: %s
          user: {token: "%s"}
        contexts:
        - name: test
          context: {cluster: test, user: %s}
        current-context: test
        """
            .formatted(url, ca, user, token, user));
    return file;
  }

  /** Creates a namespace with a unique name (namespaces cannot be deleted without controllers). */
  public String createNamespace(String prefix, Map<String, String> labels) throws ApiException {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    new CoreV1Api(admin)
        .createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(name).labels(labels)))
        .execute();
    return name;
  }

  /** {@link #createNamespace} without labels, for tests that do not declare ApiException. */
  public String createNamespaceUnchecked(String prefix) {
    try {
      return createNamespace(prefix, Map.of());
    } catch (ApiException e) {
      throw new IllegalStateException("creating namespace: " + e.getResponseBody(), e);
    }
  }

  public void createServiceAccount(String namespace, String name) throws ApiException {
    new CoreV1Api(admin)
        .createNamespacedServiceAccount(
            namespace, new V1ServiceAccount().metadata(new V1ObjectMeta().name(name)))
        .execute();
  }

  /**
   * Installs the CustomResourceDefinitions under {@code crds/<group>/} of the test classpath by
   * server-side apply and waits until they are established. Webhook conversion is replaced by
   * {@code None}: no conversion webhook runs here.
   */
  public void installCrds(String group) throws IOException {
    Path folder = Crds.folder(group);
    DynamicKubernetesApi crds =
        new DynamicKubernetesApi("apiextensions.k8s.io", "v1", "customresourcedefinitions", admin);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        ObjectNode crd = (ObjectNode) yaml.readTree(f.toFile());
        if (crd.path("spec").has("conversion")) {
          ((ObjectNode) crd.get("spec")).putObject("conversion").put("strategy", "None");
        }
        String name = crd.path("metadata").path("name").asText();
        PatchOptions opts = new PatchOptions();
        opts.setFieldManager("sigaudit-tests");
        opts.setForce(true);
        var resp =
            crds.patch(name, V1Patch.PATCH_FORMAT_APPLY_YAML, new V1Patch(crd.toString()), opts);
        if (!resp.isSuccess()) {
          throw new IOException("applying CRD " + name + ": " + resp.getStatus());
        }
        awaitEstablished(crds, name);
        awaitServed(crd);
      }
    }
  }

  /**
   * Deletes the CustomResourceDefinitions under {@code crds/<group>/} (and so every object of
   * them), and waits until API discovery no longer lists their resources: as on a cluster from
   * which that controller was uninstalled.
   */
  public void deleteCrds(String group) throws IOException {
    Path folder = Crds.folder(group);
    DynamicKubernetesApi crds =
        new DynamicKubernetesApi("apiextensions.k8s.io", "v1", "customresourcedefinitions", admin);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (var files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        ObjectNode crd = (ObjectNode) yaml.readTree(f.toFile());
        String name = crd.path("metadata").path("name").asText();
        var resp = crds.delete(name);
        if (!resp.isSuccess() && resp.getHttpStatusCode() != 404) {
          throw new IOException("deleting CRD " + name + ": " + resp.getStatus());
        }
        var spec = crd.path("spec");
        String plural = spec.path("names").path("plural").asText();
        for (var v : spec.path("versions")) {
          awaitNotDiscovered(spec.path("group").asText(), v.path("name").asText(), plural);
        }
      }
    }
  }

  private void awaitNotDiscovered(String group, String version, String plural) throws IOException {
    var api = new io.kubernetes.client.openapi.apis.CustomObjectsApi(admin);
    for (int i = 0; i < 600; i++) {
      try {
        var list = api.getAPIResources(group, version).execute();
        if (list.getResources().stream().noneMatch(r -> r.getName().equals(plural))) {
          return;
        }
      } catch (ApiException e) {
        if (e.getCode() == 404) {
          return;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException(plural + "." + group + "/" + version + " still discovered after 60s");
  }

  /** Waits until the new resource can be listed: its storage answers 429 until initialized. */
  private void awaitServed(ObjectNode crd) throws IOException {
    var spec = crd.path("spec");
    String version = "";
    for (var v : spec.path("versions")) {
      if (v.path("served").asBoolean()) {
        version = v.path("name").asText();
      }
    }
    var api =
        new DynamicKubernetesApi(
            spec.path("group").asText(),
            version,
            spec.path("names").path("plural").asText(),
            admin);
    Instant deadline = Instant.now().plusSeconds(30);
    while (!api.list().isSuccess()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("CRD " + crd.path("metadata").path("name") + " not served in 30s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static void awaitEstablished(DynamicKubernetesApi crds, String name) throws IOException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      DynamicKubernetesObject o = crds.get(name).getObject();
      var status = o == null ? null : o.getRaw().get("status");
      if (status != null && status.isJsonObject()) {
        var conds = status.getAsJsonObject().get("conditions");
        if (conds != null && conds.isJsonArray()) {
          for (var c : conds.getAsJsonArray()) {
            var co = c.getAsJsonObject();
            if ("Established".equals(co.get("type").getAsString())
                && "True".equals(co.get("status").getAsString())) {
              return;
            }
          }
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException("CRD " + name + " not established within 30s");
  }

  private ApiClient clientWithToken(String token) {
    ApiClient c =
        new ClientBuilder()
            .setBasePath(url)
            .setVerifyingSsl(true)
            .setCertificateAuthority(caPem)
            .setAuthentication(new AccessTokenAuthentication(token))
            .build();
    c.setReadTimeout(30_000);
    return c;
  }

  private boolean readyz(Path servingCert) {
    try {
      HttpClient c =
          HttpClient.newBuilder()
              .sslContext(Tls.trusting(Files.readAllBytes(servingCert)))
              .connectTimeout(Duration.ofSeconds(2))
              .build();
      HttpResponse<String> r =
          c.send(
              HttpRequest.newBuilder(URI.create(url + "/readyz"))
                  .header("Authorization", "Bearer " + adminToken)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private static void writeServiceAccountKey(Path file) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    byte[] der = g.generateKeyPair().getPrivate().getEncoded();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(file, pem);
  }

  /** Stops the process(es); only the test environment calls this, at the end of the run. */
  void stop() {
    apiserver.close();
    etcd.close();
  }

  /** Locates CRD folders of the test classpath. */
  static final class Crds {
    private Crds() {}

    static Path folder(String group) throws IOException {
      var url = KubeApiServer.class.getClassLoader().getResource("crds/" + group);
      if (url == null) {
        throw new IOException("no CRD folder crds/" + group + " on the test classpath");
      }
      try (InputStream ignored = url.openStream()) {
        return Path.of(url.toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IOException(e);
      }
    }
  }
}
