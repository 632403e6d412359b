package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.verify.testing.BundleBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DsseEnvelopeTest {

  @Test
  void paeMatchesTheDsseSpecificationExample() {
    byte[] pae =
        DsseEnvelope.pae(
            "http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(pae, StandardCharsets.UTF_8))
        .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  }

  @Test
  void paeCountsBytesNotCharacters() {
    byte[] body = "é".getBytes(StandardCharsets.UTF_8);

    byte[] pae = DsseEnvelope.pae("tÿpe", body);

    assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 5 tÿpe 2 é");
  }

  @Test
  void productionPaeEqualsTheFixtureBuildersIndependentPae() {
    byte[] body = "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(DsseEnvelope.pae("application/vnd.in-toto+json", body))
        .isEqualTo(BundleBuilder.pae("application/vnd.in-toto+json", body));
  }
}
