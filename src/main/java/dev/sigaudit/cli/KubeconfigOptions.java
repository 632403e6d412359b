package dev.sigaudit.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which cluster, as kubectl finds it: the flags every command that reads the cluster takes. */
final class KubeconfigOptions {
  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig file (default: in-cluster, then $KUBECONFIG, then ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", description = "Kubeconfig context to use.")
  String context;

  Optional<Path> file() {
    return Optional.ofNullable(kubeconfig);
  }

  Optional<String> contextName() {
    return Optional.ofNullable(context);
  }
}
