package dev.sigaudit.verify.testing;

import dev.sigaudit.model.Digest;
import java.nio.charset.StandardCharsets;

/** Deterministic digests for tests: {@code Digests.of("app")} is the sha256 of "app". */
public final class Digests {
  private Digests() {}

  public static Digest of(String seed) {
    return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
  }
}
