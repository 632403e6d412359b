package dev.sigaudit.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge (<a
 * href="https://www.rfc-editor.org/rfc/rfc9110#name-www-authenticate">RFC 9110 §11.6.1</a>), e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="…"} as
 * described by the <a href="https://distribution.github.io/distribution/spec/auth/token/">Docker
 * token authentication spec</a>.
 *
 * @param scheme lower-cased ({@code bearer}, {@code basic})
 * @param params parameter names lower-cased, values unquoted
 */
record AuthChallenge(String scheme, Map<String, String> params) {
  AuthChallenge {
    params = Map.copyOf(params);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  /** The Bearer challenge if there is one, else Basic, else empty. */
  static Optional<AuthChallenge> preferred(List<String> headerValues) {
    List<AuthChallenge> all = new ArrayList<>();
    for (String v : headerValues) {
      all.addAll(parse(v));
    }
    return all.stream()
        .filter(AuthChallenge::isBearer)
        .findFirst()
        .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst());
  }

  /** Parses one header value, which may hold several comma-separated challenges. */
  static List<AuthChallenge> parse(String header) {
    List<AuthChallenge> out = new ArrayList<>();
    Cursor c = new Cursor(header == null ? "" : header);
    while (true) {
      c.skip(" \t,");
      String scheme = c.token();
      if (scheme.isEmpty()) {
        break;
      }
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        c.skip(" \t");
        int mark = c.pos;
        String name = c.token();
        c.skip(" \t");
        if (name.isEmpty() || !c.consume('=')) {
          c.pos = mark; // not a parameter: the next challenge starts here
          break;
        }
        c.skip(" \t");
        String value = c.peek() == '"' ? c.quoted() : c.token();
        params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
        c.skip(" \t");
        if (!c.consume(',')) {
          break;
        }
      }
      out.add(new AuthChallenge(scheme.toLowerCase(Locale.ROOT), params));
    }
    return out;
  }

  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : 0;
    }

    void skip(String chars) {
      while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    boolean consume(char ch) {
      if (peek() == ch) {
        pos++;
        return true;
      }
      return false;
    }

    /** An RFC 9110 token; also takes {@code /} and {@code :} for unquoted realm URLs. */
    String token() {
      int start = pos;
      while (pos < s.length() && isTchar(s.charAt(pos))) {
        pos++;
      }
      return s.substring(start, pos);
    }

    String quoted() {
      StringBuilder sb = new StringBuilder();
      pos++; // opening quote
      while (pos < s.length()) {
        char ch = s.charAt(pos++);
        if (ch == '"') {
          break;
        }
        if (ch == '\\' && pos < s.length()) {
          ch = s.charAt(pos++);
        }
        sb.append(ch);
      }
      return sb.toString();
    }

    private static boolean isTchar(char ch) {
      return (ch >= 'a' && ch <= 'z')
          || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9')
          || "!#$%&'*+-.^_`|~/:".indexOf(ch) >= 0;
    }
  }
}
