package dev.sigaudit.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import dev.sigaudit.model.Digest;
import dev.sigaudit.testenv.CsvScan;
import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestEnvironment;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1LocalObjectReference;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * Pull secrets against a real registry that requires credentials: the Pod's and its
 * ServiceAccount's secrets are used, only for their own namespace, and never printed.
 */
@RealEnvironment
class PullSecretsIT {

  @Test
  void podAndServiceAccountPullSecretsAuthenticateOnlyTheirNamespace(
      TestEnvironment env, KubeApiServer kube) throws Exception {
    OciRegistry registry = env.authRegistry();
    String user = TestEnvironment.AUTH_USER;
    String password = TestEnvironment.AUTH_PASSWORD;
    Path dir = env.newDirectory("pullsecrets-");
    String ref = registry.hostPort() + "/private/app:1";
    Digest digest = pushWithCredentials(ref, user, password, dir);
    env.cosignV2().generateKeyPair(dir, "k");
    env.cosignV2()
        .sign(
            dir.resolve("k.key"),
            registry.hostPort() + "/private/app@" + digest,
            "--registry-username",
            user,
            "--registry-password",
            password)
        .requireSuccess("cosign sign with registry credentials");

    String dockerConfig =
        "{\"auths\":{\""
            + registry.hostPort()
            + "\":{\"auth\":\""
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
            + "\"}}}";
    CoreV1Api core = new CoreV1Api(kube.adminClient());
    String tenant = kube.createNamespace("tenant", Map.of());
    String other = kube.createNamespace("other", Map.of());
    core.createNamespacedSecret(
            tenant,
            new V1Secret()
                .metadata(new V1ObjectMeta().name("regcred"))
                .type("kubernetes.io/dockerconfigjson")
                .data(Map.of(".dockerconfigjson", dockerConfig.getBytes(StandardCharsets.UTF_8))))
        .execute();
    core.createNamespacedServiceAccount(
            tenant,
            new V1ServiceAccount()
                .metadata(new V1ObjectMeta().name("builder"))
                .imagePullSecrets(List.of(new V1LocalObjectReference().name("regcred"))))
        .execute();
    String imageId = registry.hostPort() + "/private/app@" + digest;
    createRunningPod(kube, tenant, "via-sa", ref, imageId, "builder", List.of());
    createRunningPod(kube, tenant, "via-pod", ref, imageId, null, List.of("regcred"));
    createRunningPod(kube, other, "no-secret", ref, imageId, null, List.of());

    Path policy = CsvScan.keyPolicy(dir, "key-k");
    var run =
        CsvScan.scan(
            kube,
            dir,
            "-n",
            tenant + "," + other,
            "--policy",
            policy.toString(),
            "--pull-secrets",
            "--insecure-registry",
            registry.hostPort(),
            "--csv-dir",
            dir.toString(),
            "--no-cluster-policies");

    assertThat(run.exitCode()).isZero();
    Map<String, CSVRecord> byPod = CsvScan.byColumn(dir.resolve("results.csv"), "workload_name");
    assertThat(byPod.get("via-sa").get("status"))
        .as(byPod.get("via-sa").get("reason"))
        .isEqualTo("pass");
    assertThat(byPod.get("via-pod").get("status"))
        .as(byPod.get("via-pod").get("reason"))
        .isEqualTo("pass");
    assertThat(byPod.get("no-secret").get("status")).isEqualTo("error");
    assertThat(byPod.get("no-secret").get("reason")).contains("401");
    String base64Auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    for (String printed :
        List.of(run.stdout(), run.stderr(), Files.readString(dir.resolve("results.csv")))) {
      assertThat(printed).doesNotContain(password).doesNotContain(base64Auth);
    }
  }

  private static void createRunningPod(
      KubeApiServer kube,
      String ns,
      String name,
      String image,
      String imageId,
      String sa,
      List<String> secrets)
      throws Exception {
    CoreV1Api core = new CoreV1Api(kube.adminClient());
    V1PodSpec spec =
        new V1PodSpec()
            .containers(List.of(new V1Container().name("app").image(image)))
            .overhead(null)
            .serviceAccountName(sa);
    if (!secrets.isEmpty()) {
      spec.imagePullSecrets(
          secrets.stream().map(s -> new V1LocalObjectReference().name(s)).toList());
    }
    core.createNamespacedPod(ns, new V1Pod().metadata(new V1ObjectMeta().name(name)).spec(spec))
        .execute();
    new dev.sigaudit.testenv.TestPods(kube.adminClient())
        .reportRunning(ns, name, Map.of("app", imageId));
  }

  private static Digest pushWithCredentials(String ref, String user, String password, Path dir)
      throws Exception {
    // Jib refuses to send credentials over plain HTTP unless told to; this registry is loopback.
    System.setProperty("sendCredentialsOverHttp", "true");
    Path file = dir.resolve("content.txt");
    Files.writeString(file, "private " + System.nanoTime());
    var c =
        Jib.fromScratch()
            .setFormat(ImageFormat.OCI)
            .addLayer(List.of(file), AbsoluteUnixPath.get("/"))
            .containerize(
                Containerizer.to(
                        RegistryImage.named(ImageReference.parse(ref))
                            .addCredential(user, password))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(dir.resolve("cache"))
                    .setApplicationLayersCache(dir.resolve("cache")));
    return Digest.parse(c.getDigest().toString());
  }
}
