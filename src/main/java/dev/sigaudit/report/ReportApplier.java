package dev.sigaudit.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import io.kubernetes.client.common.KubernetesType;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import io.kubernetes.client.util.generic.options.PatchOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.Call;

/**
 * The one way sigaudit writes report objects, for every {@link ReportFlavor}, as field manager
 * {@value #FIELD_MANAGER}: a plain create for a new object and a replacement of the listed version
 * for a changed one (both cheaper for the apiserver than server-side apply), server-side apply
 * (forced: sigaudit owns its reports) for singletons and when an object changed under it, delete,
 * and a paged list of its own objects. In a dry run nothing is written and what would be is printed
 * instead; reads still happen, so the printout shows what would really change.
 */
public final class ReportApplier {
  static final String FIELD_MANAGER = "sigaudit";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final ApiClient client;
  private final CustomObjectsApi custom;
  private final Optional<PrintStream> dryRun;
  private final Map<ReportFlavor, DynamicKubernetesApi> apis = new ConcurrentHashMap<>();

  /**
   * @param dryRun when present, nothing is written: applies and deletes are printed there
   */
  public ReportApplier(ApiClient client, Optional<PrintStream> dryRun) {
    this.client = client;
    this.custom = new CustomObjectsApi(client);
    this.dryRun = dryRun;
  }

  boolean dryRun() {
    return dryRun.isPresent();
  }

  /** Applies {@code doc}; the error, if any, names the object and the apiserver's answer. */
  Optional<String> apply(ReportFlavor flavor, JsonObject doc) {
    JsonObject meta = doc.getAsJsonObject("metadata");
    String name = meta.get("name").getAsString();
    String ns = meta.has("namespace") ? meta.get("namespace").getAsString() : null;
    String what = flavor.describe(ns, name);
    if (dryRun.isPresent()) {
      dryRun.get().println("would apply " + what + ":\n" + doc);
      return Optional.empty();
    }
    PatchOptions opts = new PatchOptions();
    opts.setFieldManager(FIELD_MANAGER);
    opts.setForce(true);
    V1Patch patch = new V1Patch(doc.toString());
    DynamicKubernetesApi api = api(flavor);
    var r =
        retrying(
            () ->
                flavor.namespaced()
                    ? api.patch(ns, name, V1Patch.PATCH_FORMAT_APPLY_YAML, patch, opts)
                    : api.patch(name, V1Patch.PATCH_FORMAT_APPLY_YAML, patch, opts));
    return r.isSuccess()
        ? Optional.empty()
        : Optional.of("applying " + what + " failed: " + describe(r));
  }

  /**
   * Creates {@code doc}, which the last list did not show. A plain create costs the apiserver about
   * a fifth less CPU than a server-side apply of the same new object ({@code
   * ReportWriteBenchmark}), which matters on a cold scan writing thousands of reports. An object
   * that exists after all (written since the list, or not labelled as sigaudit's) is applied
   * instead.
   */
  Optional<String> create(ReportFlavor flavor, JsonObject doc) {
    String what = describe(flavor, doc);
    if (dryRun.isPresent()) {
      dryRun.get().println("would create " + what + ":\n" + doc);
      return Optional.empty();
    }
    JsonObject meta = doc.getAsJsonObject("metadata");
    byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
    var r =
        RawCalls.send(
            () ->
                flavor.namespaced()
                    ? custom
                        .createNamespacedCustomObject(
                            flavor.group(),
                            flavor.version(),
                            meta.get("namespace").getAsString(),
                            flavor.plural(),
                            body)
                        .fieldManager(FIELD_MANAGER)
                        .buildCall(null)
                    : custom
                        .createClusterCustomObject(
                            flavor.group(), flavor.version(), flavor.plural(), body)
                        .fieldManager(FIELD_MANAGER)
                        .buildCall(null));
    if (r.code() == 409) {
      return apply(flavor, doc);
    }
    return r.ok() ? Optional.empty() : Optional.of("creating " + what + " failed: " + r.error());
  }

  /**
   * Replaces the object the last list showed at {@code resourceVersion} with {@code doc}. A
   * replacement, not a merge: what the object becomes is exactly {@code doc}, whichever field
   * managers wrote it before (a create and a later server-side apply by the same manager share the
   * fields they agree on, so an apply could leave a field sigaudit stopped writing). One changed
   * since the list (409) is applied; one deleted since (404) is created.
   */
  Optional<String> replace(ReportFlavor flavor, JsonObject doc, String resourceVersion) {
    String what = describe(flavor, doc);
    if (dryRun.isPresent()) {
      dryRun.get().println("would replace " + what + ":\n" + doc);
      return Optional.empty();
    }
    JsonObject versioned = doc.deepCopy();
    JsonObject meta = versioned.getAsJsonObject("metadata");
    meta.addProperty("resourceVersion", resourceVersion);
    String name = meta.get("name").getAsString();
    byte[] body = versioned.toString().getBytes(StandardCharsets.UTF_8);
    var r =
        RawCalls.send(
            () ->
                flavor.namespaced()
                    ? custom
                        .replaceNamespacedCustomObject(
                            flavor.group(),
                            flavor.version(),
                            meta.get("namespace").getAsString(),
                            flavor.plural(),
                            name,
                            body)
                        .fieldManager(FIELD_MANAGER)
                        .buildCall(null)
                    : custom
                        .replaceClusterCustomObject(
                            flavor.group(), flavor.version(), flavor.plural(), name, body)
                        .fieldManager(FIELD_MANAGER)
                        .buildCall(null));
    if (r.code() == 409) {
      return apply(flavor, doc);
    }
    if (r.code() == 404) {
      return create(flavor, doc);
    }
    return r.ok() ? Optional.empty() : Optional.of("replacing " + what + " failed: " + r.error());
  }

  private static String describe(ReportFlavor flavor, JsonObject doc) {
    JsonObject meta = doc.getAsJsonObject("metadata");
    return flavor.describe(
        meta.has("namespace") ? meta.get("namespace").getAsString() : null,
        meta.get("name").getAsString());
  }

  /** Deletes one object; one already gone is not an error. */
  Optional<String> delete(ReportFlavor flavor, String ns, String name) {
    String what = flavor.describe(ns, name);
    if (dryRun.isPresent()) {
      dryRun.get().println("would delete " + what);
      return Optional.empty();
    }
    DynamicKubernetesApi api = api(flavor);
    var r = retrying(() -> flavor.namespaced() ? api.delete(ns, name) : api.delete(name));
    return r.isSuccess() || r.getHttpStatusCode() == 404
        ? Optional.empty()
        : Optional.of("deleting " + what + " failed: " + describe(r));
  }

  /** One object as a metadata-only list shows it. */
  record Listed(
      String namespace, String name, String resourceVersion, Map<String, String> annotations) {}

  /** The media type asking the apiserver for the objects' metadata only. */
  static final String METADATA_ONLY =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record MetaPage(PageMeta metadata, List<Item> items) {
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PageMeta(@JsonProperty("continue") String continueToken) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(ItemMeta metadata) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ItemMeta(
        String name, String namespace, String resourceVersion, Map<String, String> annotations) {}
  }

  /**
   * The metadata of every object of {@code flavor} matching {@code labelSelector}, in all
   * namespaces, page by page. Metadata only ({@value #METADATA_ONLY}): what a writer needs to know
   * of the existing reports is their names, versions and content-hash annotations, and reading
   * 16,000 full reports only to see those took most of a warm 100,000-Pod scan's report step.
   *
   * @return the error, if a page could not be read (the objects seen so far were handed over)
   */
  Optional<String> listMetadata(ReportFlavor flavor, String labelSelector, Consumer<Listed> each) {
    return listMetadata(flavor, labelSelector, PAGE, each);
  }

  /** Objects per list page. */
  static final int PAGE = 500;

  Optional<String> listMetadata(
      ReportFlavor flavor, String labelSelector, int pageSize, Consumer<Listed> each) {
    String token = null;
    do {
      String page = token;
      List<MetaPage> read = new ArrayList<>(1);
      RawCalls.Answer a =
          RawCalls.send(
              () ->
                  metadataOnly(
                      custom
                          .listClusterCustomObject(
                              flavor.group(), flavor.version(), flavor.plural())
                          .labelSelector(labelSelector)
                          .limit(pageSize)
                          ._continue(page)
                          .buildCall(null)),
              body -> {
                read.clear();
                read.add(JSON.readValue(body.inputStream(), MetaPage.class));
              });
      if (!a.ok()) {
        return Optional.of("listing " + flavor.kind() + "s failed: " + a.error());
      }
      MetaPage got = read.isEmpty() ? null : read.get(0);
      if (got == null) {
        return Optional.of("listing " + flavor.kind() + "s failed: an empty answer");
      }
      if (got.items() != null) {
        for (var item : got.items()) {
          var m = item == null ? null : item.metadata();
          if (m == null || m.name() == null) {
            return Optional.of(
                "listing " + flavor.kind() + "s failed: an item without a name in the answer");
          }
          each.accept(
              new Listed(
                  m.namespace(),
                  m.name(),
                  m.resourceVersion(),
                  m.annotations() == null ? Map.of() : m.annotations()));
        }
      }
      token = got.metadata() == null ? null : got.metadata().continueToken();
    } while (token != null && !token.isEmpty());
    return Optional.empty();
  }

  /** The same request, answered with metadata only. */
  private Call metadataOnly(Call call) {
    return client
        .getHttpClient()
        .newCall(call.request().newBuilder().header("Accept", METADATA_ONLY).build());
  }

  /**
   * Every object of {@code flavor} matching {@code labelSelector}, in all namespaces, page by page.
   *
   * @return the error, if a page could not be read (the objects seen so far were handed over)
   */
  Optional<String> list(
      ReportFlavor flavor, String labelSelector, Consumer<DynamicKubernetesObject> each) {
    String token = null;
    do {
      ListOptions opts = new ListOptions();
      opts.setLabelSelector(labelSelector);
      opts.setLimit(500);
      opts.setContinue(token);
      var r = retrying(() -> api(flavor).list(opts));
      if (!r.isSuccess()) {
        return Optional.of("listing " + flavor.kind() + "s failed: " + describe(r));
      }
      List<DynamicKubernetesObject> items = r.getObject().getItems();
      items.forEach(each);
      token = r.getObject().getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    return Optional.empty();
  }

  private DynamicKubernetesApi api(ReportFlavor f) {
    return apis.computeIfAbsent(
        f, k -> new DynamicKubernetesApi(k.group(), k.version(), k.plural(), client));
  }

  /**
   * Retries 429 answers ({@link ApiBackoff}). client-java's answer does not show the {@code
   * Retry-After} header, so this waits the default second, with jitter.
   */
  private static <T extends KubernetesType> KubernetesApiResponse<T> retrying(
      Supplier<KubernetesApiResponse<T>> call) {
    return ApiBackoff.retrying(call, r -> r.getHttpStatusCode() == 429, r -> Optional.empty());
  }

  private static String describe(KubernetesApiResponse<?> r) {
    var s = r.getStatus();
    return r.getHttpStatusCode() + (s == null ? "" : " " + s.getReason() + ": " + s.getMessage());
  }
}
