package dev.sigaudit.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigaudit.cli.Main;
import dev.sigaudit.cli.PolicyEngine;
import dev.sigaudit.cluster.PodInventory;
import dev.sigaudit.model.ApiAccess;
import dev.sigaudit.report.ClusterReportWriter;
import dev.sigaudit.report.PolicyReportWriter;
import dev.sigaudit.report.ReportApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Checks on the CronJob manifests, as pure functions of the parsed objects: each returns the
 * problems found, an empty list when the manifest passes. Used on the source files and on what
 * kustomize renders.
 */
final class DeployRules {
  /**
   * What a scan does with the API, as the code lists it (not as this test would like it): the
   * inventory, the namespaced reports and the readiness report. The ClusterRole of the base must
   * grant exactly this.
   */
  static final Set<String> SCAN_GRANTS =
      grantsOf(
          Stream.concat(
                  PodInventory.ACCESS.stream(),
                  Stream.of(ReportApi.values())
                      .flatMap(
                          api ->
                              Stream.of(
                                  PolicyReportWriter.access(api.namespaced()),
                                  ClusterReportWriter.access(api.cluster()))))
              .toList());

  /** What reading Kyverno's policies does, as {@link PolicyEngine#KYVERNO} lists it. */
  static final Set<String> KYVERNO_GRANTS = grantsOf(PolicyEngine.KYVERNO.access());

  /** What reading policy-controller's policies and settings does. */
  static final Set<String> POLICY_CONTROLLER_GRANTS =
      grantsOf(PolicyEngine.POLICY_CONTROLLER.access());

  static final Set<String> PULL_SECRET_GRANTS = Set.of("/serviceaccounts:get", "/secrets:get");

  private static final Set<String> DANGEROUS_VERBS =
      Set.of("*", "escalate", "bind", "impersonate", "watch", "deletecollection");
  private static final Pattern ENV_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private DeployRules() {}

  /** {@link ApiAccess} values in the notation of {@link #grants}. */
  static Set<String> grantsOf(List<ApiAccess> access) {
    Set<String> out = new TreeSet<>();
    for (ApiAccess a : access) {
      String name = a.resourceName().map(n -> "/" + n).orElse("");
      a.verbs().forEach(v -> out.add(a.group() + "/" + a.resource() + name + ":" + v));
    }
    return out;
  }

  /**
   * Every permission a (Cluster)Role grants, one string each: {@code group/resource:verb}, with
   * {@code /resourceName} when restricted to names and a {@code namespace:} prefix for a Role.
   */
  static Set<String> grants(JsonNode role) {
    Set<String> out = new TreeSet<>();
    String ns =
        role.path("kind").asText().equals("Role")
            ? role.path("metadata").path("namespace").asText() + ":"
            : "";
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode url : rule.path("nonResourceURLs")) {
        for (JsonNode verb : rule.path("verbs")) {
          out.add(ns + "nonResource:" + url.asText() + ":" + verb.asText());
        }
      }
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          List<String> names = new ArrayList<>();
          rule.path("resourceNames").forEach(n -> names.add("/" + n.asText()));
          if (names.isEmpty()) {
            names.add("");
          }
          for (String name : names) {
            for (JsonNode verb : rule.path("verbs")) {
              out.add(ns + group.asText() + "/" + resource.asText() + name + ":" + verb.asText());
            }
          }
        }
      }
    }
    return out;
  }

  /** Wildcards, secrets, non-resource URLs and privilege-granting verbs in a role. */
  static List<String> broadGrants(JsonNode role) {
    List<String> out = new ArrayList<>();
    String name = role.path("kind").asText() + " " + role.path("metadata").path("name").asText();
    for (JsonNode rule : role.path("rules")) {
      for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames")) {
        rule.path(field)
            .forEach(
                v -> {
                  if (v.asText().contains("*")) {
                    out.add(name + ": wildcard in " + field + ": " + rule);
                  }
                });
      }
      rule.path("resources")
          .forEach(
              r -> {
                if (r.asText().equals("secrets") || r.asText().startsWith("secrets/")) {
                  out.add(name + ": grants access to secrets: " + rule);
                }
              });
      rule.path("verbs")
          .forEach(
              v -> {
                if (DANGEROUS_VERBS.contains(v.asText()) && !v.asText().equals("*")) {
                  out.add(name + ": verb " + v.asText() + " is not needed: " + rule);
                }
              });
      if (rule.has("nonResourceURLs")) {
        out.add(name + ": non-resource URLs are not needed: " + rule);
      }
    }
    return out;
  }

  /** A CronJob that cannot overlap itself, ends, keeps little history and runs locked down. */
  static List<String> cronJob(JsonNode cronJob) {
    List<String> out = new ArrayList<>();
    JsonNode spec = cronJob.path("spec");
    expect(out, spec.path("concurrencyPolicy").asText(), "Forbid", "spec.concurrencyPolicy");
    positive(out, spec, "startingDeadlineSeconds", "spec.");
    for (String f : List.of("successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
      if (!spec.path(f).isInt() || spec.path(f).asInt() < 1 || spec.path(f).asInt() > 10) {
        out.add("spec." + f + " must be 1..10, is " + spec.path(f));
      }
    }
    JsonNode job = spec.path("jobTemplate").path("spec");
    positive(out, job, "activeDeadlineSeconds", "jobTemplate.spec.");
    if (!job.path("backoffLimit").isInt()) {
      out.add(
          "jobTemplate.spec.backoffLimit must be set (default 6 retries a failed scan 6 times)");
    }
    JsonNode pod = job.path("template").path("spec");
    expect(out, pod.path("serviceAccountName").asText(), "sigaudit", "pod serviceAccountName");
    JsonNode psc = pod.path("securityContext");
    expect(out, psc.path("runAsNonRoot").asText(), "true", "pod securityContext.runAsNonRoot");
    expect(out, psc.path("runAsUser").asText(), "65532", "pod securityContext.runAsUser");
    expect(
        out,
        psc.path("seccompProfile").path("type").asText(),
        "RuntimeDefault",
        "pod securityContext.seccompProfile.type");
    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (pod.path(host).asBoolean(false)) {
        out.add("pod " + host + " must not be true");
      }
    }
    Map<String, JsonNode> volumes = new HashMap<>();
    pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    volumes.forEach(
        (n, v) -> {
          if (v.has("hostPath")) {
            out.add("volume " + n + " is a hostPath");
          }
        });
    List<JsonNode> containers = new ArrayList<>();
    pod.path("initContainers").forEach(containers::add);
    pod.path("containers").forEach(containers::add);
    if (containers.isEmpty()) {
      out.add("no containers");
    }
    for (JsonNode c : containers) {
      String n = "container " + c.path("name").asText() + " ";
      JsonNode sc = c.path("securityContext");
      expect(out, sc.path("readOnlyRootFilesystem").asText(), "true", n + "readOnlyRootFilesystem");
      expect(
          out,
          sc.path("allowPrivilegeEscalation").asText(),
          "false",
          n + "allowPrivilegeEscalation");
      boolean dropsAll = false;
      for (JsonNode d : sc.path("capabilities").path("drop")) {
        dropsAll |= d.asText().equals("ALL");
      }
      if (!dropsAll) {
        out.add(n + "must drop ALL capabilities");
      }
      if (!sc.path("capabilities").path("add").isEmpty()) {
        out.add(n + "must not add capabilities: " + sc.path("capabilities").path("add"));
      }
      if (sc.path("privileged").asBoolean(false)) {
        out.add(n + "must not be privileged");
      }
      if (sc.has("runAsUser") && sc.path("runAsUser").asInt() == 0) {
        out.add(n + "must not run as root");
      }
      // Requests for both; a memory limit (the heap is sized from it). No CPU limit is required:
      // throttling a batch job only makes it run longer.
      for (String need : List.of("requests.cpu", "requests.memory", "limits.memory")) {
        String[] k = need.split("\\.");
        if (c.path("resources").path(k[0]).path(k[1]).asText().isEmpty()) {
          out.add(n + "needs resources." + need);
        }
      }
      boolean tmp = false;
      for (JsonNode m : c.path("volumeMounts")) {
        JsonNode v = volumes.get(m.path("name").asText());
        if (v == null) {
          out.add(n + "mounts undeclared volume " + m.path("name").asText());
        } else if (m.path("mountPath").asText().equals("/tmp")) {
          tmp = v.has("emptyDir");
        }
      }
      if (!tmp) {
        out.add(n + "needs an emptyDir at /tmp (the root filesystem is read-only)");
      }
    }
    return out;
  }

  /**
   * The first container's arguments parse with sigaudit's own command line, point at files on
   * mounted volumes (--policy on a ConfigMap, outputs on a writable volume), name the cluster, and
   * use only ConfigMaps and claims that {@code manifests} contains.
   */
  static List<String> arguments(JsonNode cronJob, Manifests manifests) {
    List<String> out = new ArrayList<>();
    JsonNode pod =
        cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
    JsonNode c = pod.path("containers").path(0);
    Map<String, String> env = new HashMap<>();
    c.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    List<String> args = new ArrayList<>();
    for (JsonNode a : c.path("args")) {
      Matcher m = ENV_REF.matcher(a.asText());
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        if (!env.containsKey(m.group(1))) {
          out.add("argument " + a.asText() + " refers to undefined env " + m.group(1));
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(m.group(1), "")));
      }
      m.appendTail(sb);
      args.add(sb.toString());
    }
    CommandLine.ParseResult parsed;
    try {
      parsed = new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      out.add("sigaudit " + String.join(" ", args) + ": " + e.getMessage());
      return out;
    }
    if (!parsed.hasSubcommand() || !parsed.subcommand().commandSpec().name().equals("scan")) {
      out.add("arguments must start with the scan command: " + args);
      return out;
    }
    CommandLine.ParseResult scan = parsed.subcommand();

    Map<String, JsonNode> volumes = new HashMap<>();
    pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
    for (JsonNode v : volumes.values()) {
      if (v.has("configMap")
          && manifests.find("ConfigMap", v.path("configMap").path("name").asText()).isEmpty()) {
        out.add(
            "volume "
                + v.path("name").asText()
                + ": no ConfigMap "
                + v.path("configMap").path("name").asText());
      }
      if (v.has("persistentVolumeClaim")
          && manifests
              .find(
                  "PersistentVolumeClaim",
                  v.path("persistentVolumeClaim").path("claimName").asText())
              .isEmpty()) {
        out.add(
            "volume "
                + v.path("name").asText()
                + ": no PersistentVolumeClaim "
                + v.path("persistentVolumeClaim").path("claimName").asText());
      }
    }
    for (String policy : values(scan, "--policy")) {
      JsonNode mount = mountOf(c, policy);
      JsonNode v = mount == null ? null : volumes.get(mount.path("name").asText());
      if (v == null || !v.has("configMap")) {
        out.add("--policy " + policy + " is not on a ConfigMap volume");
        continue;
      }
      String key =
          policy.substring(mount.path("mountPath").asText().length()).replaceFirst("^/", "");
      var cm = manifests.find("ConfigMap", v.path("configMap").path("name").asText());
      if (cm.isPresent() && !cm.get().path("data").has(key)) {
        out.add(
            "--policy "
                + policy
                + ": ConfigMap "
                + v.path("configMap").path("name").asText()
                + " has no key "
                + key);
      }
    }
    if (values(scan, "--policy").isEmpty()) {
      out.add("no --policy");
    }
    for (String o : List.of("--csv-dir", "--metrics-file")) {
      for (String path : values(scan, o)) {
        JsonNode mount = mountOf(c, path);
        JsonNode v = mount == null ? null : volumes.get(mount.path("name").asText());
        if (v == null
            || mount.path("readOnly").asBoolean(false)
            || !v.has("persistentVolumeClaim")) {
          out.add(o + " " + path + " is not on a writable persistent volume");
        }
      }
    }
    if (values(scan, "--pushgateway").stream().allMatch(String::isBlank)) {
      out.add("no --pushgateway (metrics would not reach Prometheus)");
    }
    return out;
  }

  /** The options of the arguments that sigaudit's command line does not know. */
  static List<String> unknownOptions(List<String> args) {
    try {
      new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
      return List.of();
    } catch (CommandLine.UnmatchedArgumentException e) {
      return e.getUnmatched();
    }
  }

  private static List<String> values(CommandLine.ParseResult r, String option) {
    var o = r.matchedOption(option);
    if (o == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    o.stringValues().forEach(out::add);
    return out;
  }

  private static JsonNode mountOf(JsonNode container, String path) {
    JsonNode best = null;
    for (JsonNode m : container.path("volumeMounts")) {
      String mp = m.path("mountPath").asText();
      if ((path.equals(mp) || path.startsWith(mp.endsWith("/") ? mp : mp + "/"))
          && (best == null || mp.length() > best.path("mountPath").asText().length())) {
        best = m;
      }
    }
    return best;
  }

  private static void positive(List<String> out, JsonNode node, String field, String prefix) {
    if (!node.path(field).isInt() || node.path(field).asInt() <= 0) {
      out.add(prefix + field + " must be a positive number, is " + node.path(field));
    }
  }

  private static void expect(List<String> out, String actual, String expected, String what) {
    if (!expected.equals(actual)) {
      out.add(what + " must be " + expected + ", is " + (actual.isEmpty() ? "unset" : actual));
    }
  }
}
