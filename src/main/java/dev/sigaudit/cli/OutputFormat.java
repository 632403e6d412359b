package dev.sigaudit.cli;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;

/**
 * What {@code -o} prints on stdout: the human summary, or the scan result as one JSON or YAML
 * document ({@link ScanDocument}); logs always go to stderr.
 */
enum OutputFormat {
  TEXT,
  JSON,
  YAML;

  String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code -o}'s value, naming the accepted values when it is none of them. */
  static final class Converter implements CommandLine.ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      return Arrays.stream(values())
          .filter(f -> f.flagValue().equals(value.toLowerCase(Locale.ROOT)))
          .findFirst()
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "must be one of text, json, yaml (got '" + value + "')"));
    }
  }
}
