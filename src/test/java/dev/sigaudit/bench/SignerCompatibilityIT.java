package dev.sigaudit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.OciRegistry;
import dev.sigaudit.testenv.RealEnvironment;
import dev.sigaudit.testenv.RegistryHttp;
import dev.sigaudit.testenv.TestEnvironment;
import dev.sigaudit.verify.testing.TestKey;
import dev.sigaudit.verify.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's test signer writes what cosign writes: {@code cosign verify --key} (v2 and v3)
 * accepts its legacy signatures and its bundles (referrers API and fallback tag), and rejects them
 * for another key.
 */
@RealEnvironment
class SignerCompatibilityIT {

  @Test
  void cosignVerifiesEveryFormatTheTestSignerWrites(TestEnvironment env) throws Exception {
    TestKey key = TestKeys.p256();
    TestKey other = TestKeys.fresh(dev.sigaudit.verify.KeyType.ECDSA_P256);
    Path dir = env.newDirectory("testsigner-");
    Path pub = Files.writeString(dir.resolve("k.pub"), key.publicPem());
    Path otherPub = Files.writeString(dir.resolve("other.pub"), other.publicPem());
    TestSigner signer = new TestSigner(key);
    byte[] layer = "shared".getBytes(StandardCharsets.UTF_8);

    OciRegistry dist = env.distributionRegistry();
    RegistryHttp distHttp = new RegistryHttp(dist);
    var legacy = SyntheticImages.push(distHttp, "signer/legacy", "1", layer);
    signer.signLegacy(distHttp, dist.hostPort(), "signer/legacy", legacy.digest());
    var fallback = SyntheticImages.push(distHttp, "signer/fallback", "1", layer);
    signer.signBundle(distHttp, "signer/fallback", fallback.digest(), fallback.size(), true);
    OciRegistry withApi = env.referrersRegistry();
    RegistryHttp apiHttp = new RegistryHttp(withApi);
    var referrer = SyntheticImages.push(apiHttp, "signer/referrer", "1", layer);
    signer.signBundle(apiHttp, "signer/referrer", referrer.digest(), referrer.size(), false);

    String[] refs = {
      dist.hostPort() + "/signer/legacy@" + legacy.digest(),
      dist.hostPort() + "/signer/fallback@" + fallback.digest(),
      withApi.hostPort() + "/signer/referrer@" + referrer.digest()
    };
    for (String ref : refs) {
      var v3 = env.cosignV3().verify(pub, ref);
      assertThat(v3.exitCode()).as("cosign v3 verify %s:%n%s", ref, v3.output()).isZero();
      assertThat(env.cosignV3().verify(otherPub, ref).exitCode())
          .as("another key: %s", ref)
          .isNotZero();
    }
    var v2 = env.cosignV2().verify(pub, refs[0]);
    assertThat(v2.exitCode()).as("cosign v2 verify legacy:%n%s", v2.output()).isZero();
  }
}
