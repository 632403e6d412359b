package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.verify.testing.FakeSigstore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The trusted root's digest names cached verdicts: equal trust, equal digest; other trust, not. */
class TrustedRootDigestTest {
  final FakeSigstore sigstore = FakeSigstore.shared();

  @Test
  void theSameTrustMaterialHasTheSameDigest() {
    String json = sigstore.trustedRootJson().json();

    assertThat(TrustedRoot.parse(json.getBytes(StandardCharsets.UTF_8)).digest())
        .isEqualTo(TrustedRoot.parse(json.getBytes(StandardCharsets.UTF_8)).digest());
  }

  @Test
  void everyKindOfChangeChangesTheDigest() {
    var base = sigstore.trustedRoot().digest();

    assertThat(sigstore.trustedRootJson().withoutTsa().parse().digest()).isNotEqualTo(base);
    assertThat(sigstore.trustedRootJson().withoutRekor().parse().digest()).isNotEqualTo(base);
    assertThat(sigstore.trustedRootJson().withoutCtlog().parse().digest()).isNotEqualTo(base);
    assertThat(
            sigstore
                .trustedRootJson()
                .caValidFor(FakeSigstore.CA_FROM.plusSeconds(1), FakeSigstore.CA_TO)
                .parse()
                .digest())
        .isNotEqualTo(base);
    assertThat(TrustedRoot.publicGood().digest()).isNotEqualTo(base);
  }
}
