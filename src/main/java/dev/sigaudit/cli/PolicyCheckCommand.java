package dev.sigaudit.cli;

import dev.sigaudit.policy.PemKeyParser;
import dev.sigaudit.policy.Policy;
import dev.sigaudit.policy.PolicyProblem;
import dev.sigaudit.policy.file.PolicyFileLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sigaudit policy check FILE…}: loads policy files of every dialect exactly as {@code scan
 * --policy} does, offline, and prints one line per problem, then what each policy that loaded would
 * check. Exit code {@value #PROBLEMS} when any problem was found, so that a pipeline can check a
 * policy before it is applied.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validates policy files offline (sigaudit SignaturePolicy, Kyverno ClusterPolicy/Policy/"
          + "ImageValidatingPolicy, Sigstore ClusterImagePolicy), with the translators the scan"
          + " uses: one line per problem (FILE: document N KIND/NAME: FIELD: what is wrong), then"
          + " what each policy would check.",
      "Exit codes: 0 no problem, 1 at least one problem, 2 usage error."
    })
final class PolicyCheckCommand implements Callable<Integer> {
  /** At least one problem was found. */
  static final int PROBLEMS = 1;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Policy files (YAML).")
  List<Path> files;

  @Override
  public Integer call() {
    return check(files, System.out);
  }

  static int check(List<Path> files, PrintStream out) {
    PolicyFileLoader.Read read =
        new PolicyFileLoader(new PemKeyParser(), Wiring.dialects()).read(files);
    List<PolicyProblem> problems = read.policies().problems();
    for (PolicyProblem p : problems) {
      out.println(p);
    }
    read.notes().forEach(n -> out.println("note: " + n));
    if (!problems.isEmpty() || !read.notes().isEmpty()) {
      out.println();
    }
    for (Policy p : read.policies().policies()) {
      PolicyFileLoader.Origin o = read.origins().get(p.name());
      out.println(
          p.name() + " (" + PolicyOrigin.describe(p, o) + ", mode " + PolicyOutline.mode(p) + ")");
      PolicyOutline.rules(p).forEach(out::println);
    }
    int n = read.policies().policies().size();
    out.println();
    out.println(
        n
            + (n == 1 ? " policy" : " policies")
            + " loaded, "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems"));
    return problems.isEmpty() ? ExitCodes.OK : PROBLEMS;
  }
}
