package dev.sigaudit.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.Call;
import okhttp3.Response;

/**
 * Executes a list call built by client-java and binds the answer with Jackson to a small record
 * (see {@link PodListDto}), keeping client-java's authentication, TLS and request building.
 */
final class RawLists {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A list of objects of which only the metadata is read (ReplicaSets, Jobs). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record MetaList(PodListDto.ListMeta metadata, List<Item> items) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(PodListDto.ObjectMeta metadata) {}
  }

  private RawLists() {}

  static <T> T fetch(Call call, Class<T> type) throws ApiException {
    try (Response r = call.execute()) {
      if (!r.isSuccessful()) {
        String body = r.body() == null ? "" : r.body().string();
        throw new ApiException(r.code(), r.headers().toMultimap(), body);
      }
      try (InputStream in = r.body().byteStream()) {
        return JSON.readValue(in, type);
      }
    } catch (IOException e) {
      throw new ApiException(e);
    }
  }
}
