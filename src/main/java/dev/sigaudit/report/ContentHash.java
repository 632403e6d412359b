package dev.sigaudit.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.sigaudit.model.Digest;
import java.nio.charset.StandardCharsets;

/**
 * A hash of a report's results without their timestamps: a scan that finds the same thing as the
 * last one produces the same hash, and the report is not rewritten (no churn in etcd, no events for
 * watchers such as Policy Reporter).
 */
final class ContentHash {
  private ContentHash() {}

  static String of(JsonArray results) {
    JsonArray copy = new JsonArray();
    for (JsonElement e : results) {
      var o = e.getAsJsonObject().deepCopy();
      o.remove("timestamp");
      copy.add(o);
    }
    return Digest.sha256(copy.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
  }
}
