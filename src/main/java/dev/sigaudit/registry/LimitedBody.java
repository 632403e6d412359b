package dev.sigaudit.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body into memory up to a limit, counting bytes as they stream in. Content-Length
 * is only used to refuse early; it is not trusted to bound the read (a server can omit it, use
 * chunked encoding, or lie).
 *
 * <p>In {@link Mode#FAIL} mode exceeding the limit cancels the exchange and fails with {@link
 * TooLarge}; in {@link Mode#TRUNCATE} mode (error bodies, which we only summarize) the excess is
 * dropped. A connection that breaks mid-body fails with {@link Truncated}.
 */
final class LimitedBody implements BodySubscriber<byte[]> {
  enum Mode {
    FAIL,
    TRUNCATE
  }

  /** The body is larger than allowed. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response body exceeds the limit of " + limit + " bytes");
    }
  }

  /** The connection ended before the body was complete. */
  static final class Truncated extends IOException {
    private static final long serialVersionUID = 1L;

    Truncated(long received, OptionalLong declared, Throwable cause) {
      super(
          "response body truncated after "
              + received
              + " bytes"
              + (declared.isPresent() ? " of " + declared.getAsLong() : ""),
          cause);
    }
  }

  private final long limit;
  private final Mode mode;
  private final OptionalLong declared;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  private LimitedBody(long limit, Mode mode, OptionalLong declared) {
    this.limit = limit;
    this.mode = mode;
    this.declared = declared;
  }

  static HttpResponse.BodyHandler<byte[]> handler(long limit, Mode mode) {
    return info -> create(info, limit, mode);
  }

  static BodySubscriber<byte[]> create(ResponseInfo info, long limit, Mode mode) {
    OptionalLong declared = info.headers().firstValueAsLong("Content-Length");
    return new LimitedBody(limit, mode, declared);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    this.subscription = s;
    if (mode == Mode.FAIL && declared.isPresent() && declared.getAsLong() > limit) {
      s.cancel();
      result.completeExceptionally(new TooLarge(limit));
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = b.remaining();
      long room = limit - out.size();
      if (n > room) {
        subscription.cancel();
        if (mode == Mode.FAIL) {
          result.completeExceptionally(new TooLarge(limit));
        } else {
          copy(b, (int) room);
          result.complete(out.toByteArray());
        }
        return;
      }
      copy(b, n);
    }
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(new Truncated(out.size(), declared, t));
  }

  @Override
  public void onComplete() {
    result.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  private void copy(ByteBuffer b, int n) {
    byte[] chunk = new byte[n];
    b.get(chunk);
    out.write(chunk, 0, n);
  }
}
