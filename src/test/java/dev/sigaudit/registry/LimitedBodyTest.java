package dev.sigaudit.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The body reader itself, driven by hand: no network, no scheduling. */
class LimitedBodyTest {
  private static final Flow.Subscription NOOP =
      new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  private static HttpResponse.ResponseInfo info(long contentLength) {
    return new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return 200;
      }

      @Override
      public HttpHeaders headers() {
        return HttpHeaders.of(
            Map.of("Content-Length", List.of(Long.toString(contentLength))), (a, b) -> true);
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }

  @Test
  void aConnectionThatEndsEarlyIsATruncatedBodyNamingWhatArrived() {
    var body = LimitedBody.create(info(1000), 4096, LimitedBody.Mode.FAIL);
    body.onSubscribe(NOOP);
    body.onNext(List.of(ByteBuffer.wrap(new byte[10])));
    body.onError(new IOException("connection reset"));

    assertThatThrownBy(() -> body.getBody().toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(LimitedBody.Truncated.class)
        .hasMessage("response body truncated after 10 bytes of 1000");
  }

  @Test
  void aCompleteBodyIsReturnedAsIs() {
    var body = LimitedBody.create(info(3), 4096, LimitedBody.Mode.FAIL);
    body.onSubscribe(NOOP);
    body.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    body.onComplete();

    assertThat(body.getBody().toCompletableFuture().join()).containsExactly(1, 2, 3);
  }
}
