package dev.sigaudit.policy.kyverno;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kind selectors as Kyverno's ParseKindSelector and CheckKind read them, for Pods. */
class KindsTest {
  @ParameterizedTest(name = "''{0}'' selects Pods: {1}")
  @CsvSource({
    "Pod,true",
    "v1/Pod,true",
    "*/Pod,true", // "*" reads as a version wildcard: */Pod is any version of Pod
    "*,true",
    "'*/*',true",
    "P*,true",
    "core/v1/Pod,false", // the core group is "", not "core"
    "/v1/Pod,true",
    "*/v1/Pod,false", // a leading * reads as the version: kind v1, subresource Pod
    "apps/v1/Deployment,false",
    "Deployment,false",
    "Pod/ephemeralcontainers,false",
    "v2/Pod,false",
  })
  void selectsPods(String selector, boolean expected) {
    assertThat(Kinds.selectsPods(selector)).isEqualTo(expected);
  }
}
