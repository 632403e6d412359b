package dev.sigaudit.testing;

import dev.sigaudit.registry.Endpoint;
import dev.sigaudit.registry.RegistryListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records listener events as {@code endpoint status} strings, e.g. {@code manifest 401}. */
public final class RecordingListener implements RegistryListener {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onResponse(String registry, Endpoint endpoint, int status) {
    events.add(endpoint.label() + " " + status);
  }

  @Override
  public void onRetry(String registry, Endpoint endpoint, Duration wait) {
    events.add("retry " + endpoint.label() + " " + wait.toMillis() + "ms");
  }

  public List<String> events() {
    return List.copyOf(events);
  }
}
