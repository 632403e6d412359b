package dev.sigaudit.testenv;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus on a loopback port, scraping the test {@link Pushgateway} every second with
 * {@code honor_labels: true}, as the dashboards' README tells users to configure it.
 */
public final class Prometheus {
  private final String url;
  private final ManagedProcess process;

  private Prometheus(String url, ManagedProcess process) {
    this.url = url;
    this.process = process;
  }

  static Prometheus start(Path binary, Path workDir, Path logDir, Pushgateway gateway)
      throws IOException {
    int port = FreePort.pick();
    Path dir = Files.createDirectories(workDir.resolve("prometheus-" + port));
    Path config =
        Files.writeString(
            dir.resolve("prometheus.yml"),
            """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: pushgateway
                honor_labels: true
                static_configs: [{targets: ["%s"]}]
            """
                .formatted(URI.create(gateway.url()).getAuthority()));
    ManagedProcess p =
        ManagedProcess.start(
            "prometheus-" + port,
            List.of(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port),
            logDir,
            Map.of());
    Prometheus prom = new Prometheus("http://127.0.0.1:" + port, p);
    p.awaitReady(Duration.ofSeconds(60), () -> Http.answers200(prom.url + "/-/ready"));
    return prom;
  }

  public String url() {
    return url;
  }

  /**
   * Evaluates {@code expr} as an instant query at {@code time} (Unix seconds): the {@code data}
   * object of the answer ({@code resultType} and {@code result}).
   */
  public JsonObject query(String expr, double time) throws IOException, InterruptedException {
    String q =
        url
            + "/api/v1/query?query="
            + URLEncoder.encode(expr, StandardCharsets.UTF_8)
            + "&time="
            + time;
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(q)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
    if (r.statusCode() != 200 || !"success".equals(body.get("status").getAsString())) {
      throw new IOException("query " + expr + ": " + r.statusCode() + " " + r.body());
    }
    return body.getAsJsonObject("data");
  }

  /** The samples of an instant vector answer. */
  public static JsonArray vector(JsonObject data) {
    return data.getAsJsonArray("result");
  }

  void stop() {
    process.close();
  }
}
