package dev.sigaudit.testenv;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Toxiproxy server (built by {@code scripts/test-env}) between sigaudit and a real server:
 * TCP proxies on loopback whose traffic can be delayed, throttled, sliced, cut or stalled on demand
 * ("toxics"), the faults real registries and networks produce but not when asked.
 */
public final class Toxiproxy {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String api;
  private final ManagedProcess process;

  private Toxiproxy(String api, ManagedProcess process) {
    this.api = api;
    this.process = process;
  }

  static Toxiproxy start(Path server, Path logDir) throws IOException {
    int port = FreePort.pick();
    ManagedProcess p =
        ManagedProcess.start(
            "toxiproxy-" + port,
            List.of(server.toString(), "-host", "127.0.0.1", "-port", String.valueOf(port)),
            logDir,
            Map.of());
    Toxiproxy t = new Toxiproxy("http://127.0.0.1:" + port, p);
    p.awaitReady(Duration.ofSeconds(30), () -> Http.answers200(t.api + "/version"));
    return t;
  }

  void stop() {
    process.close();
  }

  /**
   * A proxy on a free loopback port forwarding to {@code upstream} ({@code host:port}); returns its
   * {@code 127.0.0.1:port}.
   */
  public String proxy(String name, String upstream) {
    JsonObject body = new JsonObject();
    body.addProperty("name", name);
    body.addProperty("listen", "127.0.0.1:" + FreePort.pick());
    body.addProperty("upstream", upstream);
    body.addProperty("enabled", true);
    return call("POST", "/proxies", body).get("listen").getAsString();
  }

  /**
   * Adds a toxic to every new and open connection of proxy {@code name}.
   *
   * @param type latency, bandwidth, timeout, reset_peer, slicer, limit_data, slow_close
   * @param stream downstream (server → sigaudit) or upstream
   * @param toxicity the share of connections it applies to, 0 to 1
   */
  public void toxic(
      String proxy, String type, String stream, double toxicity, Map<String, Number> attributes) {
    JsonObject body = new JsonObject();
    body.addProperty("name", type + "_" + stream);
    body.addProperty("type", type);
    body.addProperty("stream", stream);
    body.addProperty("toxicity", toxicity);
    JsonObject attrs = new JsonObject();
    attributes.forEach(attrs::addProperty);
    body.add("attributes", attrs);
    call("POST", "/proxies/" + proxy + "/toxics", body);
  }

  /** Enables or disables a proxy: disabled, it refuses connections and drops open ones. */
  public void enabled(String proxy, boolean enabled) {
    JsonObject body = new JsonObject();
    body.addProperty("enabled", enabled);
    call("POST", "/proxies/" + proxy, body);
  }

  /** Removes every toxic and enables every proxy. */
  public void reset() {
    call("POST", "/reset", new JsonObject());
  }

  private JsonObject call(String method, String path, JsonObject body) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(api + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "toxiproxy " + method + " " + path + " -> " + r.statusCode() + ": " + r.body());
      }
      String text = r.body().isBlank() ? "{}" : r.body();
      var parsed = JsonParser.parseString(text);
      return parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
    } catch (IOException e) {
      throw new IllegalStateException("toxiproxy " + method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
