package dev.sigaudit.cluster;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code --namespace}/{@code --exclude-namespace} lists, with {@code *} and {@code ?}
 * wildcards. An empty include list means every namespace.
 */
public record NamespaceFilter(List<String> include, List<String> exclude) {
  public static final NamespaceFilter ALL = new NamespaceFilter(List.of(), List.of());

  public NamespaceFilter {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }

  public boolean selects(String namespace) {
    boolean in = include.isEmpty() || include.stream().anyMatch(g -> glob(g, namespace));
    return in && exclude.stream().noneMatch(g -> glob(g, namespace));
  }

  private static boolean glob(String glob, String s) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return s.matches(re.toString());
  }
}
