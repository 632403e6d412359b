package dev.sigaudit.policy.ivp;

import com.google.gson.JsonObject;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.sigaudit.model.ImageRef;
import dev.sigaudit.policy.FieldProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code spec.matchImageReferences}: which images a policy judges. An image is selected when any
 * entry matches it, or when there are no entries. Kyverno drops unselected images from {@code
 * images} and makes {@code verifyImageSignatures} return 0 for them; sigaudit reports them as
 * skipped.
 *
 * <p>A glob is matched against every {@link Spellings spelling} of the image; an expression sees
 * {@code ref}, the normalized reference ({@code ghcr.io/acme/app:1.0}), the same string {@code
 * images} holds.
 */
final class ImageReferences {
  /** One entry: a glob or an expression, with its field path for messages. */
  sealed interface Entry {
    String field();
  }

  record GlobEntry(String field, Glob glob) implements Entry {}

  record ExpressionEntry(String field, String expression, CelRuntime.Program program)
      implements Entry {}

  /** Whether an image is selected; an expression that fails decides nothing. */
  sealed interface Selection {
    record Selected() implements Selection {}

    record NotSelected() implements Selection {}

    record Failed(String why) implements Selection {}
  }

  private final List<Entry> entries;

  private ImageReferences(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  static ImageReferences compile(JsonObject spec, FieldProblems problems) {
    List<Entry> out = new ArrayList<>();
    List<JsonObject> items =
        Json.objects(spec, "matchImageReferences", "spec.matchImageReferences", problems);
    for (int i = 0; i < items.size(); i++) {
      String path = "spec.matchImageReferences[" + i + "]";
      JsonObject m = items.get(i);
      if (m == null) {
        continue;
      }
      Optional<String> glob = Json.nonEmpty(m, "glob", path + ".glob", problems);
      Optional<String> expr = Json.nonEmpty(m, "expression", path + ".expression", problems);
      if (glob.isPresent() == expr.isPresent()) {
        problems.add(path, "set exactly one of glob, expression");
      } else if (glob.isPresent()) {
        try {
          out.add(new GlobEntry(path + ".glob", Glob.compile(glob.get())));
        } catch (IllegalArgumentException e) {
          problems.add(
              path + ".glob", "'" + glob.get() + "' is not a valid glob: " + e.getMessage());
        }
      } else {
        try {
          out.add(
              new ExpressionEntry(
                  path + ".expression",
                  expr.get(),
                  CelEnv.MATCH.compile(expr.get(), SimpleType.BOOL)));
        } catch (CelEnv.InvalidExpression e) {
          problems.add(
              path + ".expression",
              "'" + Messages.oneLine(expr.get()) + "' does not compile: " + e.getMessage());
        }
      }
    }
    return new ImageReferences(out);
  }

  List<Entry> entries() {
    return entries;
  }

  Selection select(ImageRef image) {
    if (entries.isEmpty()) {
      return new Selection.Selected();
    }
    List<String> spellings = Spellings.of(image);
    List<String> failures = new ArrayList<>();
    for (Entry e : entries) {
      switch (e) {
        case GlobEntry g -> {
          if (spellings.stream().anyMatch(g.glob()::matches)) {
            return new Selection.Selected();
          }
        }
        case ExpressionEntry x -> {
          try {
            Object r = x.program().eval(Map.of(CelEnv.REF, image.toString()));
            if (Boolean.TRUE.equals(r)) {
              return new Selection.Selected();
            }
          } catch (CelEvaluationException ex) {
            failures.add(
                x.field()
                    + " '"
                    + Messages.oneLine(x.expression())
                    + "' failed on "
                    + image
                    + ": "
                    + ex.getMessage());
          }
        }
      }
    }
    // A failing entry might have selected the image: only when none failed is it unselected.
    return failures.isEmpty()
        ? new Selection.NotSelected()
        : new Selection.Failed(String.join("; ", failures));
  }
}
