package dev.sigaudit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Try it without a cluster" sample is the demo's committed terminal output (which
 * {@link DemoIT} keeps equal to what the demo prints), so the README cannot drift from the tool.
 */
class ReadmeDemoSampleTest {
  static final Path README = Path.of("README.md");
  static final String MARKER = "<!-- demo-sample: reports/examples/demo/summary.txt -->";

  @Test
  void theReadmeSampleIsTheCommittedDemoSummary() throws Exception {
    String readme = Files.readString(README);
    assertThat(sample(readme))
        .as("README sample (regenerate with DemoIT -Dsigaudit.demo.update=true)")
        .isEqualTo(Files.readString(DemoIT.COMMITTED.resolve("summary.txt")));
  }

  @Test
  void replacingTheSampleChangesOnlyTheFencedBlockAfterTheMarker() {
    String readme = "# x\n" + MARKER + "\n```\nold\n```\n\nafter\n```\nother\n```\n";
    assertThat(withSample(readme, "new 1\nnew 2\n"))
        .isEqualTo("# x\n" + MARKER + "\n```\nnew 1\nnew 2\n```\n\nafter\n```\nother\n```\n");
  }

  /** The fenced block right after the marker. */
  static String sample(String readme) {
    int[] span = span(readme);
    return readme.substring(span[0], span[1]);
  }

  /** The README with the fenced block after the marker replaced by {@code sample}. */
  static String withSample(String readme, String sample) {
    int[] span = span(readme);
    return readme.substring(0, span[0]) + sample + readme.substring(span[1]);
  }

  private static int[] span(String readme) {
    int marker = readme.indexOf(MARKER);
    if (marker < 0) {
      throw new IllegalStateException("README.md has no marker " + MARKER);
    }
    int open = readme.indexOf("```\n", marker) + 4;
    int close = readme.indexOf("```\n", open);
    if (open < 4 || close < 0) {
      throw new IllegalStateException("no fenced block after " + MARKER);
    }
    return new int[] {open, close};
  }
}
