package dev.sigaudit.cli;

import static dev.sigaudit.cli.Findings.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sigaudit.model.Cause;
import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.report.EnforceReadiness;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScanDocumentTest {
  private static final ScanResult SCAN =
      Findings.scan(
          List.of(
              row("shop/Deployment/cart", "r.io/cart:1", "p", Result.FAIL, Cause.WRONG_KEY),
              row("shop/Deployment/web", "r.io/web:1", "p", Result.PASS, Optional.empty()),
              row("ops/Job/sync", "plain.local:5000/sync:1", "p", Result.ERROR, Cause.PLAIN_HTTP)));
  private static final List<EnforceReadiness.PolicyReadiness> READINESS =
      List.of(
          new EnforceReadiness.PolicyReadiness(
              "p",
              "sigaudit-file",
              "audit",
              "medium",
              List.of(
                  new EnforceReadiness.Workload(
                      "shop", "Deployment", "cart", Result.FAIL, "signed by another key")),
              List.of(
                  new EnforceReadiness.Workload(
                      "ops", "Job", "sync", Result.ERROR, "plain-HTTP registry"))));

  private static JsonNode json() throws Exception {
    return new ObjectMapper()
        .readTree(
            ScanDocument.render(
                OutputFormat.JSON,
                SCAN,
                READINESS,
                List.of(new Written("results.csv", "out/results.csv", true)),
                List.of(FailOn.FAIL)));
  }

  @Test
  void theDocumentHoldsTheCountsEveryResultWithItsCauseAndTheReadiness() throws Exception {
    JsonNode doc = json();

    assertThat(doc.path("apiVersion").asText()).isEqualTo("sigaudit.dev/v1alpha1");
    assertThat(doc.path("kind").asText()).isEqualTo("ScanResult");
    assertThat(doc.path("scan").path("cluster").asText()).isEqualTo("test-cluster");
    assertThat(doc.path("summary").path("results").toString())
        .isEqualTo("{\"pass\":1,\"fail\":1,\"error\":1,\"skip\":0}");
    assertThat(doc.path("summary").path("failing").get(0).path("cause").asText())
        .isEqualTo("wrong-key");
    JsonNode errors = doc.path("summary").path("errors").get(0);
    assertThat(errors.path("cause").asText()).isEqualTo("plain-http");
    assertThat(errors.path("fix").asText()).contains("--insecure-registry plain.local:5000");
    assertThat(errors.path("items").get(0).path("workload").asText()).isEqualTo("ops/Job/sync");
    assertThat(doc.path("results")).hasSize(3);
    JsonNode cart = doc.path("results").get(0);
    assertThat(cart.path("name").asText()).isEqualTo("cart");
    assertThat(cart.path("result").asText()).isEqualTo("fail");
    assertThat(cart.path("cause").asText()).isEqualTo("wrong-key");
    assertThat(doc.path("results").get(1).path("cause").isNull())
        .as("a pass has no cause")
        .isTrue();
    JsonNode ready = doc.path("readiness").get(0);
    assertThat(ready.path("ready").asBoolean()).isFalse();
    assertThat(ready.path("blocked").get(0).path("name").asText()).isEqualTo("cart");
    assertThat(ready.path("undecidable").get(0).path("name").asText()).isEqualTo("sync");
    assertThat(doc.path("outputs").get(0).path("written").asBoolean()).isTrue();
    assertThat(doc.path("failedOn").toString()).isEqualTo("[\"fail\"]");
  }

  @Test
  void yamlIsTheSameDocument() throws Exception {
    String yaml =
        ScanDocument.render(
            OutputFormat.YAML,
            SCAN,
            READINESS,
            List.of(new Written("results.csv", "out/results.csv", true)),
            List.of(FailOn.FAIL));

    assertThat(yaml).startsWith("apiVersion: sigaudit.dev/v1alpha1\n");
    assertThat(new ObjectMapper(new YAMLFactory()).readTree(yaml)).isEqualTo(json());
  }
}
