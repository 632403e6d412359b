package dev.sigaudit.policy.kyverno;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.sigaudit.policy.crd.Node;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Only conditions on the request operation are decided, with a running Pod's CREATE. */
class PreconditionsTest {
  private static Optional<Boolean> decide(String json) {
    return Preconditions.decide(
        Node.at(JsonParser.parseString(json), "spec.rules[0].preconditions"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        // Kyverno's common guard, in both spellings
        "{\"all\":[{\"key\":\"{{request.operation || 'BACKGROUND'}}\",\"operator\":\"NotEquals\",\"value\":\"DELETE\"}]};true",
        "{\"all\":[{\"key\":\"{{ request.operation }}\",\"operator\":\"NotEquals\",\"value\":\"DELETE\"}]};true",
        "{\"any\":[{\"key\":\"{{request.operation}}\",\"operator\":\"AnyIn\",\"value\":[\"CREATE\",\"UPDATE\"]}]};true",
        "{\"any\":[{\"key\":\"{{request.operation}}\",\"operator\":\"Equals\",\"value\":\"UPDATE\"}]};false",
        "[{\"key\":\"{{request.operation}}\",\"operator\":\"In\",\"value\":[\"CREATE\"]}];true",
        "{\"any\":[{\"key\":\"{{request.operation}}\",\"operator\":\"Equals\",\"value\":\"UPDATE\"}],\"all\":[{\"key\":\"{{request.operation}}\",\"operator\":\"NotEquals\",\"value\":\"DELETE\"}]};false",
      })
  void operationConditionsAreDecided(String json, boolean expected) {
    assertThat(decide(json)).contains(expected);
  }

  @ParameterizedTest(name = "{0} is not decided")
  @CsvSource(
      delimiter = ';',
      value = {
        "{\"all\":[{\"key\":\"{{request.object.metadata.labels.tier}}\",\"operator\":\"Equals\",\"value\":\"web\"}]}",
        "{\"all\":[{\"key\":\"{{request.operation}}\",\"operator\":\"GreaterThan\",\"value\":\"A\"}]}",
        "{\"all\":[{\"key\":\"{{request.operation}}\",\"operator\":\"NotEquals\",\"value\":\"DELETE\"},{\"key\":\"{{images}}\",\"operator\":\"Equals\",\"value\":\"x\"}]}",
      })
  void otherConditionsAreNot(String json) {
    assertThat(decide(json)).isEmpty();
  }
}
