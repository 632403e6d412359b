package dev.sigaudit.cli;

import picocli.CommandLine.Command;

/** {@code sigaudit policy}: commands about policy files, without a cluster. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Commands about policy files (offline).",
    subcommands = {PolicyCheckCommand.class})
final class PolicyCommand {}
