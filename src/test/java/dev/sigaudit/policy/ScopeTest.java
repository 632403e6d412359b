package dev.sigaudit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.model.ContainerType;
import dev.sigaudit.model.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeTest {
  private static final AuditTarget UNKNOWN_POD =
      new AuditTarget(
          "prod", Map.of("team", "pay"), ImageRef.parse("ghcr.io/a/b:1"), Optional.empty());
  private static final Scope LABELS =
      new Scope.PodLabels(new LabelSelector(Map.of("app", "web"), List.of()), false);

  private static Truth test(Scope s, AuditTarget t, List<String> unknown) {
    return s.test(t, unknown);
  }

  @ParameterizedTest(name = "{0} and {1} = {2}, or = {3}")
  @CsvSource({
    "TRUE,TRUE,TRUE,TRUE",
    "TRUE,FALSE,FALSE,TRUE",
    "TRUE,UNKNOWN,UNKNOWN,TRUE",
    "FALSE,UNKNOWN,FALSE,UNKNOWN",
    "FALSE,FALSE,FALSE,FALSE",
    "UNKNOWN,UNKNOWN,UNKNOWN,UNKNOWN",
  })
  void kleeneLogic(Truth a, Truth b, Truth and, Truth or) {
    assertThat(a.and(b)).isEqualTo(and);
    assertThat(b.and(a)).isEqualTo(and);
    assertThat(a.or(b)).isEqualTo(or);
    assertThat(b.or(a)).isEqualTo(or);
    assertThat(Truth.UNKNOWN.not()).isEqualTo(Truth.UNKNOWN);
  }

  @Test
  void anUnknownPartIsOnlyReportedWhenItDecidesTheOutcome() {
    List<String> reasons = new ArrayList<>();
    Scope decidedFalse = new Scope.AllOf(List.of(new Scope.Namespaces(List.of("dev")), LABELS));
    assertThat(test(decidedFalse, UNKNOWN_POD, reasons)).isEqualTo(Truth.FALSE);
    assertThat(reasons).isEmpty();

    Scope decidedTrue = new Scope.AnyOf(List.of(new Scope.Namespaces(List.of("pr*")), LABELS));
    assertThat(test(decidedTrue, UNKNOWN_POD, reasons)).isEqualTo(Truth.TRUE);
    assertThat(reasons).isEmpty();

    Scope open = new Scope.AllOf(List.of(new Scope.Namespaces(List.of("prod")), LABELS, LABELS));
    assertThat(test(open, UNKNOWN_POD, reasons)).isEqualTo(Truth.UNKNOWN);
    assertThat(reasons).containsExactly("the Pod's labels are not known");
  }

  @Test
  void emptyCombinationsAreAlwaysAndNever() {
    assertThat(test(Scope.EVERYTHING, UNKNOWN_POD, new ArrayList<>())).isEqualTo(Truth.TRUE);
    assertThat(test(Scope.NOTHING, UNKNOWN_POD, new ArrayList<>())).isEqualTo(Truth.FALSE);
    assertThat(test(new Scope.Not(Scope.NOTHING), UNKNOWN_POD, new ArrayList<>()))
        .isEqualTo(Truth.TRUE);
  }

  @Test
  void containerListsNeedTheContainerTypeUnlessEveryListIsCovered() {
    Scope regular = new Scope.Containers(Set.of(ContainerType.REGULAR));
    Scope all = new Scope.Containers(Set.of(ContainerType.values()));
    AuditTarget init =
        new AuditTarget(
            "prod",
            Map.of(),
            ImageRef.parse("ghcr.io/a/b:1"),
            Optional.empty(),
            PodInfo.of("p", Map.of(), ContainerType.INIT, "ghcr.io/a/b:1"));

    assertThat(test(regular, init, new ArrayList<>())).isEqualTo(Truth.FALSE);
    assertThat(test(regular, UNKNOWN_POD, new ArrayList<>())).isEqualTo(Truth.UNKNOWN);
    assertThat(test(all, UNKNOWN_POD, new ArrayList<>())).isEqualTo(Truth.TRUE);
  }

  @Test
  void kyvernoSelectorsAcceptWildcardsInMatchLabelsOthersDoNot() {
    LabelSelector s = new LabelSelector(Map.of("app.kubernetes.io/*", "web-?"), List.of());

    assertThat(s.matchesWithWildcards(Map.of("app.kubernetes.io/name", "web-1"))).isTrue();
    assertThat(s.matchesWithWildcards(Map.of("app.kubernetes.io/name", "web-10"))).isFalse();
    assertThat(s.matchesWithWildcards(Map.of("app", "web-1"))).isFalse();
    assertThat(s.matches(Map.of("app.kubernetes.io/name", "web-1"))).isFalse();
    assertThat(s.matches(Map.of("app.kubernetes.io/*", "web-?"))).isTrue();
    // A key and a value must match on the same label.
    LabelSelector value = new LabelSelector(Map.of("team", "pay*"), List.of());
    assertThat(value.matchesWithWildcards(Map.of("team", "payments"))).isTrue();
    assertThat(value.matchesWithWildcards(Map.of("owner", "payments"))).isFalse();
  }
}
