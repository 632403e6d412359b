package dev.sigaudit.testenv;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The scaffolding the scanning ITs share: run {@code sigaudit scan} against the test apiserver and
 * read its CSV exports back, so that each test shows only what it sets up and asserts.
 */
public final class CsvScan {
  private CsvScan() {}

  /**
   * Runs {@code sigaudit scan} in-process as the apiserver's admin (its kubeconfig written to
   * {@code dir/kc}), with no progress lines, then {@code args}.
   */
  public static SigauditCli.Run scan(KubeApiServer kube, Path dir, String... args)
      throws IOException {
    Path kubeconfig = kube.writeAdminKubeconfig(dir.resolve("kc"));
    String[] all =
        Stream.concat(
                Stream.of(
                    "scan", "--kubeconfig", kubeconfig.toString(), "--progress-interval", "0"),
                Stream.of(args))
            .toArray(String[]::new);
    return SigauditCli.run(all);
  }

  /** The rows of a CSV export (RFC 4180 with a header row), by column name. */
  public static List<CSVRecord> rows(Path csv) throws IOException {
    try (Reader r = Files.newBufferedReader(csv)) {
      return new ArrayList<>(
          CSVFormat.DEFAULT
              .builder()
              .setHeader()
              .setSkipHeaderRecord(true)
              .get()
              .parse(r)
              .getRecords());
    }
  }

  /** The rows of a CSV export by the value of one column; a later row replaces an earlier one. */
  public static Map<String, CSVRecord> byColumn(Path csv, String column) throws IOException {
    Map<String, CSVRecord> out = new HashMap<>();
    rows(csv).forEach(rec -> out.put(rec.get(column), rec));
    return out;
  }

  /**
   * The arguments of a scan of namespace {@code ns} against {@link #keyPolicy}'s policy in {@code
   * dir} and one insecure registry, with a verification cache in {@code dir}: CSVs only, no
   * PolicyReports, no cluster policies.
   */
  public static String[] cachedKeyPolicyScan(String ns, Path dir, String registryHostPort) {
    return new String[] {
      "-n",
      ns,
      "--policy",
      dir.resolve("policy.yaml").toString(),
      "--insecure-registry",
      registryHostPort,
      "--csv-dir",
      dir.toString(),
      "--cache-file",
      dir.resolve("cache.json").toString(),
      "--no-policy-reports",
      "--no-cluster-policies"
    };
  }

  /**
   * Writes {@code dir/policy.yaml}: policy {@code signed} whose rule {@code rule} requires a
   * signature by {@code dir/k.pub} of every image on a loopback registry.
   */
  public static Path keyPolicy(Path dir, String rule) throws IOException {
    return Files.writeString(
        dir.resolve("policy.yaml"),
        """
        apiVersion: sigaudit.dev/v1alpha1
        kind: SignaturePolicy
        metadata: {name: signed}
        spec:
          rules:
            - name: %s
              images: ["127.0.0.1:*"]
              attestors: {entries: [{publicKeyFile: k.pub}]}
        """
            .formatted(rule));
  }
}
