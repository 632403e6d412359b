package dev.sigaudit.cli;

import dev.sigaudit.model.Result;
import dev.sigaudit.model.ScanResult;
import dev.sigaudit.report.EnforceReadiness;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;

/**
 * What {@code --fail-on} turns into exit code {@link ExitCodes#FINDINGS}: Audit mode's default is
 * that findings never change the exit code, so a pipeline that wants to gate on them says which.
 */
enum FailOn {
  /** Some result is {@code fail}. */
  FAIL("fail"),
  /** Some result is {@code error}, or a policy did not load. */
  ERROR("error"),
  /** Some policy would block a running workload if it were enforced now. */
  WOULD_BLOCK("would-block");

  private final String flagValue;

  FailOn(String flagValue) {
    this.flagValue = flagValue;
  }

  String flagValue() {
    return flagValue;
  }

  /** Whether {@code scan} has what this condition looks for. */
  boolean matches(
      ScanResult scan, List<EnforceReadiness.PolicyReadiness> readiness, int policyLoadErrors) {
    return switch (this) {
      case FAIL -> scan.count(Result.FAIL) > 0;
      case ERROR -> scan.count(Result.ERROR) > 0 || policyLoadErrors > 0;
      case WOULD_BLOCK -> readiness.stream().anyMatch(r -> !r.blocked().isEmpty());
    };
  }

  /** The conditions of {@code asked} that {@code scan} meets, in declaration order. */
  static List<FailOn> met(
      Set<FailOn> asked,
      ScanResult scan,
      List<EnforceReadiness.PolicyReadiness> readiness,
      int policyLoadErrors) {
    return Arrays.stream(values())
        .filter(asked::contains)
        .filter(f -> f.matches(scan, readiness, policyLoadErrors))
        .toList();
  }

  /** Parses one value of {@code --fail-on}, naming the accepted values when it is none of them. */
  static final class Converter implements CommandLine.ITypeConverter<FailOn> {
    @Override
    public FailOn convert(String value) {
      return Arrays.stream(values())
          .filter(f -> f.flagValue.equals(value.toLowerCase(Locale.ROOT)))
          .findFirst()
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "must be fail, error or would-block (got '" + value + "')"));
    }
  }
}
