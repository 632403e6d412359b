package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.policy.LabelSelector.Operator;
import dev.sigaudit.policy.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceSelectorTest {
  private static final Map<String, String> NO_LABELS = Map.of();

  @Test
  void allSelectsEveryNamespace() {
    assertThat(NamespaceSelector.ALL.selects("kube-system", NO_LABELS)).isTrue();
  }

  @Test
  void includeGlobsSelectMatchingNamesOnly() {
    var s =
        new NamespaceSelector(List.of("prod-*", "staging"), List.of(), LabelSelector.EVERYTHING);

    assertThat(s.selects("prod-eu", NO_LABELS)).isTrue();
    assertThat(s.selects("staging", NO_LABELS)).isTrue();
    assertThat(s.selects("staging-2", NO_LABELS)).isFalse();
    assertThat(s.selects("dev", NO_LABELS)).isFalse();
  }

  @Test
  void excludeWinsOverInclude() {
    var s =
        new NamespaceSelector(
            List.of("prod-*"), List.of("prod-sandbox*"), LabelSelector.EVERYTHING);

    assertThat(s.selects("prod-eu", NO_LABELS)).isTrue();
    assertThat(s.selects("prod-sandbox-1", NO_LABELS)).isFalse();
  }

  @Test
  void emptyIncludeWithExcludeSelectsEverythingElse() {
    var s = new NamespaceSelector(List.of(), List.of("kube-*"), LabelSelector.EVERYTHING);

    assertThat(s.selects("default", NO_LABELS)).isTrue();
    assertThat(s.selects("kube-system", NO_LABELS)).isFalse();
  }

  @Test
  void labelSelectorMustAlsoMatch() {
    var labels = new LabelSelector(Map.of("policy.sigstore.dev/include", "true"), List.of());
    var s = new NamespaceSelector(List.of("prod-*"), List.of(), labels);

    assertThat(s.selects("prod-eu", Map.of("policy.sigstore.dev/include", "true"))).isTrue();
    assertThat(s.selects("prod-eu", Map.of("policy.sigstore.dev/include", "false"))).isFalse();
    assertThat(s.selects("prod-eu", NO_LABELS)).isFalse();
    assertThat(s.selects("dev", Map.of("policy.sigstore.dev/include", "true"))).isFalse();
  }

  @Test
  void inRequiresThePresentValueToBeListed() {
    var r = new Requirement("env", Operator.IN, Set.of("prod", "staging"));

    assertThat(r.matches(Map.of("env", "prod"))).isTrue();
    assertThat(r.matches(Map.of("env", "dev"))).isFalse();
    assertThat(r.matches(NO_LABELS)).isFalse();
  }

  @Test
  void notInIsSatisfiedByAnAbsentLabelAsInKubernetes() {
    var r = new Requirement("env", Operator.NOT_IN, Set.of("dev"));

    assertThat(r.matches(NO_LABELS)).isTrue();
    assertThat(r.matches(Map.of("env", "prod"))).isTrue();
    assertThat(r.matches(Map.of("env", "dev"))).isFalse();
  }

  @Test
  void existsAndDoesNotExistLookAtTheKeyOnly() {
    var exists = new Requirement("team", Operator.EXISTS, Set.of());
    var absent = new Requirement("team", Operator.DOES_NOT_EXIST, Set.of());

    assertThat(exists.matches(Map.of("team", ""))).isTrue();
    assertThat(exists.matches(NO_LABELS)).isFalse();
    assertThat(absent.matches(NO_LABELS)).isTrue();
    assertThat(absent.matches(Map.of("team", "a"))).isFalse();
  }

  @Test
  void matchLabelsAndExpressionsMustAllHold() {
    var s =
        new LabelSelector(
            Map.of("env", "prod"),
            List.of(
                new Requirement("tier", Operator.IN, Set.of("web")),
                new Requirement("legacy", Operator.DOES_NOT_EXIST, Set.of())));

    assertThat(s.matches(Map.of("env", "prod", "tier", "web"))).isTrue();
    assertThat(s.matches(Map.of("env", "prod", "tier", "web", "legacy", "y"))).isFalse();
    assertThat(s.matches(Map.of("env", "prod"))).isFalse();
  }

  @Test
  void requirementsRejectValuesTheirOperatorDoesNotTake() {
    assertThatThrownBy(() -> new Requirement("a", Operator.IN, Set.of()))
        .hasMessage("In needs values");
    assertThatThrownBy(() -> new Requirement("a", Operator.EXISTS, Set.of("x")))
        .hasMessage("Exists takes no values");
  }
}
