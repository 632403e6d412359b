# Sourced by scripts/test, scripts/demo and bin/sigaudit: finds a JDK >= 21.
# sigaudit is built with --release 21; many machines' default java is older (Debian 12: 17).
# Order: $JAVA_HOME, the java on PATH, then the usual JVM directories (newest first).

# Prints the JDK home (with javac if $1 = build, a java runtime otherwise), or fails saying why.
sigaudit_find_jdk() {
  local need=${1:-run} c v bin
  local candidates=("${JAVA_HOME:-}")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  local best= bestv=0
  for c in "${candidates[@]}"; do
    [ -n "$c" ] || continue
    bin=$c/bin/java; [ "$need" = build ] && bin=$c/bin/javac
    [ -x "$bin" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
    [ "${v:-0}" -ge 21 ] || continue
    # $JAVA_HOME and the java on PATH win when suitable; otherwise the newest found.
    if [ "$c" = "${JAVA_HOME:-}" ] || [ "$c" = "${candidates[1]:-}" ]; then echo "$c"; return 0; fi
    [ "$v" -gt "$bestv" ] && { best=$c; bestv=$v; }
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  echo "sigaudit needs Java 21 or newer (found none: set JAVA_HOME to a JDK >= 21, e.g. apt-get install openjdk-21-jdk-headless or Temurin 21)" >&2
  return 1
}
