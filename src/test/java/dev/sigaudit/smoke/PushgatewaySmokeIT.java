package dev.sigaudit.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigaudit.testenv.Pushgateway;
import dev.sigaudit.testenv.RealEnvironment;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Proves the Pushgateway is real: a pushed metric is served back on /metrics. */
@RealEnvironment
class PushgatewaySmokeIT {

  @Test
  void aPushedGaugeIsServedBackWithItsGroupingKey(Pushgateway gateway) throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Gauge g = Gauge.builder().name("sigaudit_smoke_value").help("smoke").register(registry);
    g.set(42);
    URI url = URI.create(gateway.url());
    PushGateway.builder()
        .address(url.getHost() + ":" + url.getPort())
        .job("sigaudit-smoke")
        .groupingKey("cluster", "smoke")
        .registry(registry)
        .build()
        .push();

    assertThat(gateway.scrape())
        .containsPattern(
            "sigaudit_smoke_value\\{cluster=\"smoke\",instance=\"\",job=\"sigaudit-smoke\"\\} 42");
  }
}
