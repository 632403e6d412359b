package dev.sigaudit.policy.kyverno;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PolicyDialect;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kyverno's {@code ClusterPolicy} and namespaced {@code Policy} ({@code kyverno.io/v1}). */
public final class KyvernoDialect implements PolicyDialect {
  private static final List<Resource> RESOURCES =
      List.of(
          new Resource("kyverno.io", List.of("v1"), "clusterpolicies", false),
          new Resource("kyverno.io", List.of("v1"), "policies", true));

  private final KyvernoTranslator translator;

  public KyvernoDialect(KeyParser keys) {
    this.translator = new KyvernoTranslator(keys);
  }

  @Override
  public List<Resource> resources() {
    return RESOURCES;
  }

  @Override
  public Set<String> kinds() {
    return Set.of("ClusterPolicy", "Policy");
  }

  @Override
  public LoadedPolicies translate(List<JsonObject> objects, Map<String, String> settings) {
    return translator.translate(objects);
  }
}
