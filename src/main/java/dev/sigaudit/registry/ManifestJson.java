package dev.sigaudit.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Wire shapes of manifests and indexes, the union of both (Jackson DTOs). Nothing outside {@link
 * ManifestParser} sees them: it translates them into validated {@link ImageManifest}/{@link
 * ImageIndex} values.
 */
final class ManifestJson {
  private ManifestJson() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Document(
      Integer schemaVersion,
      String mediaType,
      String artifactType,
      DescriptorJson config,
      List<DescriptorJson> layers,
      List<DescriptorJson> manifests,
      DescriptorJson subject,
      Map<String, String> annotations) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record DescriptorJson(
      String mediaType,
      String digest,
      Long size,
      String artifactType,
      Map<String, String> annotations,
      PlatformJson platform) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PlatformJson(
      String architecture,
      String os,
      String variant,
      @JsonProperty("os.version") String osVersion) {}
}
