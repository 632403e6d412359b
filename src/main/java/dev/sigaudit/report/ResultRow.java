package dev.sigaudit.report;

import dev.sigaudit.model.Result;
import dev.sigaudit.model.Severity;
import java.util.Comparator;
import java.util.Objects;

/**
 * One row of {@code results.csv}: the judgement of one policy rule on one container of one
 * workload, for one checked digest, with how many of the workload's Pods run it. A Deployment's
 * replicas make one row, as they make one PolicyReport result; a rollout that runs two digests at
 * once makes two. Built from a scan ({@link ResultRows#of}) or read back from the PolicyReports in
 * the cluster ({@link ReportReader}), so both ways give the same file.
 *
 * <p>Every field is what the CSV writes, already made safe for it (bounded messages), so a row read
 * back from a report equals the row it was written from.
 *
 * @param signature for the signature inventory only: {@code verified}, {@code signed}, {@code
 *     unsigned} or {@code unknown}; empty for a policy's result
 */
public record ResultRow(
    String namespace,
    String workloadKind,
    String workloadName,
    String container,
    String containerType,
    String image,
    String runningDigest,
    String digestSource,
    String registry,
    String repository,
    String tag,
    String source,
    String policy,
    String rule,
    Result status,
    String reason,
    String signatureFormat,
    String signer,
    String signerIssuer,
    Severity severity,
    String category,
    String engineNote,
    int podCount,
    String signature) {

  /** The order of {@code results.csv}: by workload, container, digest, then policy and rule. */
  public static final Comparator<ResultRow> ORDER =
      Comparator.comparing(ResultRow::namespace)
          .thenComparing(ResultRow::workloadKind)
          .thenComparing(ResultRow::workloadName)
          .thenComparing(ResultRow::container)
          .thenComparing(ResultRow::runningDigest)
          .thenComparing(ResultRow::image)
          .thenComparing(ResultRow::source)
          .thenComparing(ResultRow::policy)
          .thenComparing(ResultRow::rule);

  public ResultRow {
    Objects.requireNonNull(namespace);
    Objects.requireNonNull(workloadKind);
    Objects.requireNonNull(workloadName);
    Objects.requireNonNull(container);
    Objects.requireNonNull(containerType);
    Objects.requireNonNull(image);
    Objects.requireNonNull(runningDigest);
    Objects.requireNonNull(digestSource);
    Objects.requireNonNull(registry);
    Objects.requireNonNull(repository);
    Objects.requireNonNull(tag);
    Objects.requireNonNull(source);
    Objects.requireNonNull(policy);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(status);
    Objects.requireNonNull(reason);
    Objects.requireNonNull(signatureFormat);
    Objects.requireNonNull(signer);
    Objects.requireNonNull(signerIssuer);
    Objects.requireNonNull(severity);
    Objects.requireNonNull(category);
    Objects.requireNonNull(engineNote);
    Objects.requireNonNull(signature);
    if (podCount < 1) {
      throw new IllegalArgumentException(
          "a row stands for at least one Pod (got " + podCount + ")");
    }
  }

  /** {@code namespace/kind/name}: one workload, whatever its containers and rules. */
  public String workloadKey() {
    return namespace + "/" + workloadKind + "/" + workloadName;
  }
}
