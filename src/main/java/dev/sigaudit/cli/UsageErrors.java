package dev.sigaudit.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * How a command line picocli cannot parse is reported, as kubectl does: one {@code error: …} line
 * naming the flag, a {@code did you mean} line when a known flag is close, and where the usage is;
 * never the whole usage text, never a stack trace. Exit code {@link ExitCodes#USAGE}.
 */
final class UsageErrors {
  private UsageErrors() {}

  static int handle(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("error: " + message(ex));
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> close = u.getSuggestions();
      if (!close.isEmpty()) {
        err.println("did you mean " + String.join(" or ", close.stream().limit(3).toList()) + "?");
      }
    }
    err.println("See '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** The problem in kubectl's words: the flag first, then what is wrong with its value. */
  static String message(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> unmatched = u.getUnmatched();
      String first = unmatched.isEmpty() ? "?" : unmatched.get(0);
      return first.startsWith("-") ? "unknown flag: " + first : "unexpected argument: " + first;
    }
    if (ex instanceof CommandLine.MissingParameterException m
        && ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
      return "flag needs an argument: " + o.longestName();
    }
    if (ex.getArgSpec() instanceof CommandLine.Model.OptionSpec o && ex.getValue() != null) {
      String cause = conversionProblem(ex);
      return o.longestName() + ": " + cause;
    }
    String m = ex.getMessage();
    return m == null ? ex.toString() : lowerFirst(m);
  }

  /**
   * What picocli's converter said about the value: our converters' own words ({@code must be one of
   * …}), or picocli's "'x' is not an int" without its "Invalid value for option" preamble.
   */
  private static String conversionProblem(CommandLine.ParameterException ex) {
    Throwable c = ex.getCause();
    if (c instanceof CommandLine.TypeConversionException t && t.getMessage() != null) {
      return t.getMessage();
    }
    String m = ex.getMessage() == null ? "" : ex.getMessage();
    int colon = m.indexOf(": ");
    String rest = colon >= 0 && m.startsWith("Invalid value") ? m.substring(colon + 2) : m;
    return lowerFirst(rest);
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }
}
