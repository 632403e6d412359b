package dev.sigaudit.policy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.model.TrustedKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Policy objects and keys under {@code src/test/resources/policies}. */
public final class Fixtures {
  public static final KeyParser KEYS = new PemKeyParser();

  private Fixtures() {}

  public static String text(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/policies/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A policy object, as the API server would return it. */
  public static JsonObject object(String path) {
    return JsonParser.parseString(text(path)).getAsJsonObject();
  }

  /** One of {@code release}, {@code backup}, {@code other}, {@code rsa1024} (PEM text). */
  public static String pem(String name) {
    return text("keys/" + name + ".pub");
  }

  /** The key {@code name} as a policy trusts it. */
  public static TrustedKey key(String name) {
    return KEYS.parse(pem(name));
  }
}
