package dev.sigaudit.testenv;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real Prometheus Pushgateway on a loopback port. */
public final class Pushgateway {
  private final String url;
  private final ManagedProcess process;

  private Pushgateway(String url, ManagedProcess process) {
    this.url = url;
    this.process = process;
  }

  static Pushgateway start(Path binary, Path logDir) throws IOException {
    int port = FreePort.pick();
    ManagedProcess p =
        ManagedProcess.start(
            "pushgateway-" + port,
            List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port),
            logDir,
            Map.of());
    Pushgateway g = new Pushgateway("http://127.0.0.1:" + port, p);
    p.awaitReady(Duration.ofSeconds(30), () -> Http.answers200(g.url() + "/-/ready"));
    return g;
  }

  public String url() {
    return url;
  }

  /** The exposition text of everything pushed so far ({@code GET /metrics}). */
  public String scrape() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + url + "/metrics: " + r.statusCode());
    }
    return r.body();
  }

  /** Stops the process(es); only the test environment calls this, at the end of the run. */
  void stop() {
    process.close();
  }
}
