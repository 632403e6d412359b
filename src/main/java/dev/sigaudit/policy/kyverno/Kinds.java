package dev.sigaudit.policy.kyverno;

import dev.sigaudit.model.Wildcard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether an entry of Kyverno's {@code match.resources.kinds} selects Pods, as Kyverno's {@code
 * ParseKindSelector} and {@code CheckKind} decide: {@code Pod}, {@code v1/Pod}, {@code &#42;/Pod},
 * {@code *} and {@code &#42;/&#42;} do; {@code Deployment} and {@code Pod/ephemeralcontainers} (a
 * subresource) do not.
 */
final class Kinds {
  private static final Pattern VERSION = Pattern.compile("v\\d+((alpha|beta)\\d+)?|\\*");

  private Kinds() {}

  static boolean selectsPods(String selector) {
    String[] gvks = parse(selector);
    return Wildcard.matches(gvks[0], "")
        && Wildcard.matches(gvks[1], "v1")
        && Wildcard.matches(gvks[2], "Pod")
        && Wildcard.matches(gvks[3], "");
  }

  /** group, version, kind, subresource; wildcards where the selector leaves them open. */
  private static String[] parse(String input) {
    List<String> parts = new ArrayList<>(Arrays.asList(input.split("/", -1)));
    String last = parts.remove(parts.size() - 1);
    parts.addAll(Arrays.asList(last.split("\\.", -1)));
    return switch (parts.size()) {
      case 1 -> new String[] {"*", "*", parts.get(0), ""};
      case 2 -> {
        String a = parts.get(0);
        String b = parts.get(1);
        if (a.equals("*") && b.equals("*")) {
          yield new String[] {"*", "*", "*", "*"};
        }
        if (a.equals("*") && b.toLowerCase(Locale.ROOT).equals(b)) {
          yield new String[] {"*", "*", a, b};
        }
        if (VERSION.matcher(a).matches()) {
          yield new String[] {"*", a, b, ""};
        }
        yield new String[] {"*", "*", a, b};
      }
      case 3 ->
          VERSION.matcher(parts.get(0)).matches()
              ? new String[] {"*", parts.get(0), parts.get(1), parts.get(2)}
              : new String[] {parts.get(0), parts.get(1), parts.get(2), ""};
      case 4 -> new String[] {parts.get(0), parts.get(1), parts.get(2), parts.get(3)};
      default -> new String[] {"", "", "", ""};
    };
  }
}
