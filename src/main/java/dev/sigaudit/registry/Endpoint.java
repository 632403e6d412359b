package dev.sigaudit.registry;

/**
 * The registry endpoints this client calls, as labels for {@link RegistryListener} metrics and as
 * the verb of error messages. Labels are fixed strings so metric cardinality stays bounded.
 */
public enum Endpoint {
  MANIFEST("manifest", "fetching manifest"),
  MANIFEST_HEAD("manifest_head", "resolving tag"),
  BLOB("blob", "fetching blob"),
  REFERRERS("referrers", "listing referrers of"),
  TAGS("tags", "listing tags of"),
  TOKEN("token", "fetching a token for");

  private final String label;
  private final String action;

  Endpoint(String label, String action) {
    this.label = label;
    this.action = action;
  }

  /** A short, stable metrics label: {@code manifest}, {@code blob}… */
  public String label() {
    return label;
  }

  /** The verb phrase of error messages: {@code fetching manifest}. */
  String action() {
    return action;
  }
}
