package dev.sigaudit.report;

import dev.sigaudit.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes one CSV export: RFC 4180, UTF-8, {@code \n}, a header row, replaced atomically. */
final class CsvFiles {
  /** Prints the rows of one file. */
  interface Rows {
    void print(CSVPrinter printer) throws IOException;
  }

  private CsvFiles() {}

  static Path write(Path target, List<String> columns, Rows rows) throws IOException {
    CSVFormat format =
        CSVFormat.DEFAULT
            .builder()
            .setHeader(columns.toArray(String[]::new))
            .setRecordSeparator("\n")
            .get();
    AtomicFiles.write(
        target,
        out -> {
          try (CSVPrinter p =
              new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), format)) {
            rows.print(p);
          }
        });
    return target;
  }
}
