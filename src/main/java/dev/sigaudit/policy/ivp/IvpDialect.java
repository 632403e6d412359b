package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.sigaudit.policy.KeyParser;
import dev.sigaudit.policy.LoadedPolicies;
import dev.sigaudit.policy.PolicyDialect;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Kyverno's {@code ImageValidatingPolicy} and its namespaced variant. */
public final class IvpDialect implements PolicyDialect {
  /** Newest first: the first served version is the one read. */
  private static final List<String> VERSIONS = List.of("v1", "v1beta1", "v1alpha1");

  private static final List<Resource> RESOURCES =
      List.of(
          new Resource(IvpTranslator.GROUP, VERSIONS, "imagevalidatingpolicies", false),
          new Resource(IvpTranslator.GROUP, VERSIONS, "namespacedimagevalidatingpolicies", true));

  private final IvpTranslator translator;

  public IvpDialect(KeyParser keys) {
    this.translator = new IvpTranslator(keys);
  }

  @Override
  public List<Resource> resources() {
    return RESOURCES;
  }

  @Override
  public Set<String> kinds() {
    return Set.of(IvpTranslator.KIND, IvpTranslator.NAMESPACED_KIND);
  }

  @Override
  public LoadedPolicies translate(List<JsonObject> objects, Map<String, String> settings) {
    return translator.translate("cluster", objects);
  }
}
