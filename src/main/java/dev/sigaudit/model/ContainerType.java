package dev.sigaudit.model;

import java.util.Locale;

/** Which list of the Pod spec a container comes from. */
public enum ContainerType {
  INIT,
  REGULAR,
  EPHEMERAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
