package dev.sigaudit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code sigaudit} command. */
@Command(
    name = "sigaudit",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Audits the signatures of the images running in a Kubernetes cluster.",
    subcommands = {
      ScanCommand.class,
      VerifyCommand.class,
      ExplainCommand.class,
      PolicyCommand.class,
      ExportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this, not {@link #main}). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(e -> ExitCodes.INTERNAL);
    cl.setParameterExceptionHandler(UsageErrors::handle);
    return cl.execute(args);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sigaudit " + (v == null ? "dev" : v)};
    }
  }
}
