package dev.sigaudit.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sigaudit.io.RetryAfter;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;
import okio.Okio;

/**
 * Runs a request client-java built (its authentication, TLS and URL) and reads only what the caller
 * needs of the answer: the status, a failure's reason and message, or a body the caller parses
 * itself. Report writes do not need the object the apiserver echoes back, and the one list per scan
 * needs only metadata (docs/benchmarks.md: parsing those echoes was a large part of a cold scan's
 * report step).
 */
final class RawCalls {
  private RawCalls() {}

  /**
   * What the apiserver answered: the status (0 when there was none), and for a failure its reason
   * and message, or why a successful answer could not be read.
   */
  record Answer(int code, String error, Optional<Duration> retryAfter) {
    Answer(int code, String error) {
      this(code, error, Optional.empty());
    }

    boolean ok() {
      return code >= 200 && code < 300 && error.isEmpty();
    }
  }

  /** Error answers are a small {@code Status}; bound what is read of one. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  /**
   * Sends a write whose body is the document's bytes as they are, and reads only the status of the
   * answer. Going through client-java's typed or dynamic API would serialise the document again and
   * parse the whole object the apiserver echoes back (managed fields included) for every report; on
   * a cold scan writing thousands of reports that parsing was most of the scanning JVM's work in
   * the report step (docs/benchmarks.md). Authentication, TLS and the request itself are still
   * client-java's.
   */
  private static Answer once(Call call, BodyReader onSuccess) {
    Response r;
    try {
      r = call.execute();
    } catch (IOException e) {
      return new Answer(0, "no answer from the apiserver: " + e.getMessage());
    }
    // From here on the status is known and kept, whatever becomes of the body: a 409 or 404 whose
    // body cannot be read still leads to the apply or create it calls for.
    try (r) {
      BufferedSource body = r.body().source();
      if (r.isSuccessful()) {
        try {
          onSuccess.read(body);
          return new Answer(r.code(), "");
        } catch (IOException | RuntimeException e) {
          return new Answer(r.code(), r.code() + " with an answer that could not be read: " + e);
        }
      }
      return new Answer(
          r.code(),
          r.code() + statusText(errorBody(body)),
          RetryAfter.parse(r.header("Retry-After"), Clock.systemUTC()));
    }
  }

  /** The start of an error answer's body, or nothing when it cannot be read. */
  private static String errorBody(BufferedSource body) {
    try {
      body.request(MAX_ERROR_BODY);
      byte[] bytes = body.readByteArray(Math.min(MAX_ERROR_BODY, body.getBuffer().size()));
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** {@code " Reason: message"} of a {@code Status} answer, or nothing for anything else. */
  private static String statusText(String body) {
    try {
      JsonObject status = JsonParser.parseString(body).getAsJsonObject();
      String reason = status.has("reason") ? status.get("reason").getAsString() : "";
      String message = status.has("message") ? status.get("message").getAsString() : "";
      return " " + reason + ": " + message;
    } catch (RuntimeException notStatus) {
      return "";
    }
  }

  /** Sends the call (retrying 429 answers) and reads the body of a success to its end, unparsed. */
  static Answer send(CallBuilder call) {
    return send(call, DRAIN);
  }

  /**
   * Sends the call, retrying 429 answers after their {@code Retry-After} ({@link ApiBackoff}), and
   * hands a success's body to {@code onSuccess}.
   */
  static Answer send(CallBuilder call, BodyReader onSuccess) {
    return ApiBackoff.retrying(
        () -> sendBuilt(call, onSuccess), a -> a.code() == 429, Answer::retryAfter);
  }

  private static Answer sendBuilt(CallBuilder call, BodyReader onSuccess) {
    try {
      return once(call.build(), onSuccess);
    } catch (ApiException e) {
      return new Answer(0, "the request could not be built: " + e.getMessage());
    }
  }

  /** Reads a successful answer's body. */
  @FunctionalInterface
  interface BodyReader {
    void read(BufferedSource body) throws IOException;
  }

  /**
   * Reads the body to its end, unparsed: the object a create or replacement echoes back is not
   * needed, and an HTTP/1.1 connection is reused only after its body was read. The status already
   * says the write happened, so a body cut short does not make it a failure.
   */
  private static final BodyReader DRAIN =
      body -> {
        try {
          body.readAll(Okio.blackhole());
        } catch (IOException cutShort) {
          // the connection is not reused; the write stands
        }
      };

  /** Builds a fresh call for each attempt (an OkHttp call runs once). */
  @FunctionalInterface
  interface CallBuilder {
    Call build() throws ApiException;
  }
}
