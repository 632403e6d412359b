package dev.sigaudit.smoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.testenv.KubeApiServer;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.TestPods;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.RbacAuthorizationV1Api;
import io.kubernetes.client.openapi.models.RbacV1Subject;
import io.kubernetes.client.openapi.models.V1ClusterRole;
import io.kubernetes.client.openapi.models.V1ClusterRoleBinding;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PolicyRule;
import io.kubernetes.client.openapi.models.V1RoleRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proves the test cluster is a real kube-apiserver with RBAC, pods/status and paging. */
@RealEnvironment
class KubeApiServerSmokeIT {

  @Test
  void podStatusReportsTheRunningDigestAndListsPageByPage(KubeApiServer kube) throws Exception {
    String ns = kube.createNamespace("smoke", Map.of());
    TestPods pods = new TestPods(kube.adminClient());
    String digest = "sha256:" + "ab".repeat(32);
    for (int i = 0; i < 5; i++) {
      pods.create(ns, "pod-" + i, Map.of("app", "registry.example/app:1.0"));
      pods.reportRunning(ns, "pod-" + i, Map.of("app", "registry.example/app@" + digest));
    }

    CoreV1Api api = new CoreV1Api(kube.adminClient());
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      V1PodList page = api.listNamespacedPod(ns).limit(2)._continue(token).execute();
      page.getItems().forEach(p -> seen.add(p.getMetadata().getName()));
      page.getItems()
          .forEach(
              p ->
                  assertThat(p.getStatus().getContainerStatuses().get(0).getImageID())
                      .isEqualTo("registry.example/app@" + digest));
      token = page.getMetadata().getContinue();
      pages++;
    } while (token != null && !token.isEmpty());

    assertThat(seen).containsExactly("pod-0", "pod-1", "pod-2", "pod-3", "pod-4");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void rbacDeniesAServiceAccountUntilAClusterRoleIsBound(KubeApiServer kube) throws Exception {
    String ns = kube.createNamespace("rbac", Map.of());
    kube.createServiceAccount(ns, "auditor");
    CoreV1Api asAuditor = new CoreV1Api(kube.serviceAccountClient(ns, "auditor"));

    assertThatThrownBy(() -> asAuditor.listPodForAllNamespaces().limit(1).execute())
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).getCode()).isEqualTo(403))
        .satisfies(
            e ->
                assertThat(((ApiException) e).getResponseBody())
                    .contains("system:serviceaccount:" + ns + ":auditor")
                    .contains("cannot list resource \\\"pods\\\""));

    RbacAuthorizationV1Api rbac = new RbacAuthorizationV1Api(kube.adminClient());
    String role = "pod-reader-" + ns;
    rbac.createClusterRole(
            new V1ClusterRole()
                .metadata(new V1ObjectMeta().name(role))
                .rules(
                    List.of(
                        new V1PolicyRule()
                            .apiGroups(List.of(""))
                            .resources(List.of("pods"))
                            .verbs(List.of("list")))))
        .execute();
    rbac.createClusterRoleBinding(
            new V1ClusterRoleBinding()
                .metadata(new V1ObjectMeta().name(role))
                .roleRef(
                    new V1RoleRef()
                        .apiGroup("rbac.authorization.k8s.io")
                        .kind("ClusterRole")
                        .name(role))
                .subjects(
                    List.of(
                        new RbacV1Subject().kind("ServiceAccount").name("auditor").namespace(ns))))
        .execute();

    // RBAC changes reach the authorizer through an informer: allow it a moment.
    V1PodList list = null;
    for (int i = 0; i < 50 && list == null; i++) {
      try {
        list = asAuditor.listPodForAllNamespaces().limit(1).execute();
      } catch (ApiException e) {
        assertThat(e.getCode()).isEqualTo(403);
        Thread.sleep(100);
      }
    }
    assertThat(list).as("list pods after the binding").isNotNull();
  }
}
