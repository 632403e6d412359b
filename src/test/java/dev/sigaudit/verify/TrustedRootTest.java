package dev.sigaudit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigaudit.verify.testing.FakeSigstore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedRootTest {

  static TrustedRoot parse(String json) {
    return TrustedRoot.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shippedPublicGoodRootHasFulcioRekorAndCtLogs() {
    TrustedRoot root = TrustedRoot.publicGood();

    assertThat(root.certificateAuthorities())
        .extracting(TrustedRoot.CertificateAuthority::uri)
        .containsExactly("https://fulcio.sigstore.dev", "https://fulcio.sigstore.dev");
    assertThat(root.certificateAuthorities().get(1).intermediates()).hasSize(1);
    assertThat(root.certificateAuthorities().get(0).validFor().end())
        .contains(Instant.parse("2022-12-31T23:59:59.999Z"));
    String rekorLogId =
        HexFormat.of()
            .formatHex(Base64.getDecoder().decode("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="));
    assertThat(root.tlog(rekorLogId))
        .map(TrustedRoot.TransparencyLog::baseUrl)
        .contains("https://rekor.sigstore.dev");
    assertThat(root.ctlogs()).hasSize(2);
    assertThat(root.timestampAuthorities()).isEmpty();
  }

  @Test
  void logIdIsTheSha256OfTheKeyAsTheRootStatesIt() {
    TrustedRoot.TransparencyLog rekor = TrustedRoot.publicGood().tlogs().get(0);

    assertThat(TrustedRoot.TransparencyLog.logIdOf(rekor.publicKey())).isEqualTo(rekor.logIdHex());
    assertThat(TrustedRoot.TransparencyLog.fromPublicKey("x", rekor.publicKey()).logIdHex())
        .isEqualTo(rekor.logIdHex());
  }

  @Test
  void generatedRootRoundTrips() {
    FakeSigstore sigstore = FakeSigstore.shared();
    TrustedRoot root = sigstore.trustedRoot();

    assertThat(root.certificateAuthorities().get(0).root()).isEqualTo(sigstore.fulcioRoot);
    assertThat(root.tlog(FakeSigstore.logId(sigstore.rekorKeys))).isPresent();
    assertThat(root.ctlog(FakeSigstore.logId(sigstore.ctKeys))).isPresent();
    assertThat(root.timestampAuthorities().get(0).chain().get(0))
        .isEqualTo(sigstore.tsaCertificate);
  }

  @Test
  void unknownMediaTypeIsRefused() {
    assertThatThrownBy(() -> parse("{\"mediaType\":\"application/json\"}"))
        .isInstanceOf(InvalidTrustedRootException.class)
        .hasMessageStartingWith("trusted root mediaType \"application/json\" is not supported");
  }

  @Test
  void unsupportedLogKeyIsRefusedNotSkipped() {
    String json =
        FakeSigstore.shared()
            .trustedRootJson()
            .json()
            .replace("PKIX_ECDSA_P256_SHA_256", "PKIX_ML_DSA_65");

    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(InvalidTrustedRootException.class)
        .hasMessage("tlogs[0].publicKey.keyDetails \"PKIX_ML_DSA_65\" is not supported");
  }

  @Test
  void logKeyWithoutValidityStartIsRefused() {
    String json =
        FakeSigstore.shared()
            .trustedRootJson()
            .json()
            .replaceFirst("\"validFor\":\\{\"start\":\"[^\"]+\"}", "\"validFor\":{}");

    assertThatThrownBy(() -> parse(json))
        .hasMessage("tlogs[0].publicKey.validFor.start is missing");
  }

  @Test
  void malformedCertificateIsRefusedWithItsPath() {
    String json =
        FakeSigstore.shared()
            .trustedRootJson()
            .json()
            .replaceFirst(
                "\"certificates\":\\[\\{\"rawBytes\":\"[^\"]+\"",
                "\"certificates\":[{\"rawBytes\":\"AAAA\"");

    assertThatThrownBy(() -> parse(json))
        .hasMessageStartingWith(
            "certificateAuthorities[0].certChain.certificates[0].rawBytes is not an X.509 certificate");
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"mediaType\":\"application/vnd.dev.sigstore.trustedroot+json;version=0.1\","
                        + "\"tlogs\":[],\"tlogs\":[]}"))
        .hasMessageContaining("is not valid JSON")
        .hasMessageContaining("Duplicate field 'tlogs'");
  }

  @Test
  void oversizedRootIsRefused() {
    byte[] huge = new byte[2 * 1024 * 1024];

    assertThatThrownBy(() -> TrustedRoot.parse(huge))
        .hasMessage("trusted root is 2097152 bytes, more than the 1048576 allowed");
  }

  @Test
  void validityWindowIncludesItsEnds() {
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    Instant end = Instant.parse("2025-01-01T00:00:00Z");
    ValidityWindow window = ValidityWindow.between(start, end);

    assertThat(window.contains(start)).isTrue();
    assertThat(window.contains(end)).isTrue();
    assertThat(window.contains(end.plusMillis(1))).isFalse();
    assertThat(new ValidityWindow(Optional.empty(), Optional.empty()).contains(Instant.EPOCH))
        .isTrue();
    assertThat(window).hasToString("[2024-01-01T00:00:00Z, 2025-01-01T00:00:00Z]");
  }
}
