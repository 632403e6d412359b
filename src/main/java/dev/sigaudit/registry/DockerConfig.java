package dev.sigaudit.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Credentials from a Docker {@code config.json} (also the {@code .dockerconfigjson} of a Kubernetes
 * pull secret, and the older {@code .dockercfg} map without {@code auths}).
 *
 * <p>Per host it reads {@code identitytoken}, else {@code username}+{@code password}, else {@code
 * auth} (base64 of {@code user:password}). Keys may be URLs such as {@code
 * https://index.docker.io/v1/}; they are normalized to registry names. Credential helpers ({@code
 * credsStore}, {@code credHelpers}) would mean running external programs and are not supported;
 * their presence is reported in {@link #warnings()}.
 *
 * <p>Errors and warnings name the host and the field, never the content: a config file is full of
 * secrets, and JSON parser messages quote the text they choke on.
 */
public final class DockerConfig implements CredentialProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BYTES = 1 << 20;

  private final Map<String, Credentials> byRegistry;
  private final List<String> warnings;

  private DockerConfig(Map<String, Credentials> byRegistry, List<String> warnings) {
    this.byRegistry = Map.copyOf(byRegistry);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads a config file.
   *
   * @throws IOException if it cannot be read, or is larger than 1 MiB
   * @throws IllegalArgumentException if it is not a JSON object (message gives the position only)
   */
  public static DockerConfig load(Path path) throws IOException {
    if (Files.size(path) > MAX_BYTES) {
      throw new IOException("docker config " + path + " is larger than " + MAX_BYTES + " bytes");
    }
    return parse(Files.readAllBytes(path));
  }

  /** Parses config JSON; see {@link #load(Path)}. */
  public static DockerConfig parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new IllegalArgumentException("docker config is not valid JSON" + where, null);
    } catch (IOException e) {
      throw new IllegalArgumentException("docker config could not be read", null);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("docker config is not a JSON object");
    }
    List<String> warnings = new ArrayList<>();
    if (root.has("credsStore") || root.has("credHelpers")) {
      warnings.add(
          "credsStore/credHelpers are not supported; only inline 'auths' entries are read");
    }
    JsonNode auths = root.has("auths") ? root.get("auths") : legacyAuths(root);
    Map<String, Credentials> creds = new LinkedHashMap<>();
    if (auths != null && auths.isObject()) {
      for (Map.Entry<String, JsonNode> e : auths.properties()) {
        String host = RegistryHosts.credentialKey(e.getKey());
        entry(host, e.getValue(), warnings).ifPresent(c -> creds.putIfAbsent(host, c));
      }
    } else if (auths != null) {
      warnings.add("'auths' is not an object; no credentials read");
    }
    return new DockerConfig(creds, warnings);
  }

  @Override
  public Optional<Credentials> forRegistry(String registry) {
    return Optional.ofNullable(byRegistry.get(RegistryHosts.credentialKey(registry)));
  }

  /** The registry names with usable credentials (normalized, e.g. {@code docker.io}). */
  public Set<String> registries() {
    return byRegistry.keySet();
  }

  /** Entries skipped and features ignored, safe to show to an operator. */
  public List<String> warnings() {
    return warnings;
  }

  /** {@code .dockercfg}: the host map is the root object itself. */
  private static JsonNode legacyAuths(JsonNode root) {
    for (JsonNode v : root) {
      if (v.isObject() && v.has("auth")) {
        return root;
      }
    }
    return null;
  }

  private static Optional<Credentials> entry(String host, JsonNode e, List<String> warnings) {
    if (!e.isObject()) {
      warnings.add("auths entry for " + host + " is not an object; skipped");
      return Optional.empty();
    }
    String identityToken = text(e, "identitytoken");
    if (identityToken != null) {
      return Optional.of(Credentials.identityToken(identityToken));
    }
    String username = text(e, "username");
    String password = text(e, "password");
    if (username != null && password != null) {
      return basic(host, username, password, warnings);
    }
    String auth = text(e, "auth");
    if (auth == null) {
      return Optional.empty(); // e.g. only an email: anonymous for this host
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      warnings.add("auths entry for " + host + ": 'auth' is not valid base64; skipped");
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      warnings.add("auths entry for " + host + ": 'auth' is not user:password; skipped");
      return Optional.empty();
    }
    return basic(host, decoded.substring(0, colon), decoded.substring(colon + 1), warnings);
  }

  private static Optional<Credentials> basic(
      String host, String username, String password, List<String> warnings) {
    try {
      return Optional.of(Credentials.basic(username, password));
    } catch (IllegalArgumentException e) {
      warnings.add("auths entry for " + host + ": " + e.getMessage() + "; skipped");
      return Optional.empty();
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
  }

  @Override
  public String toString() {
    return "DockerConfig" + byRegistry.keySet();
  }
}
