# Sourced by scripts/grafana-schema and scripts/dashboard-lint: installs the pinned npm packages
# of scripts/grafana/package-lock.json, idempotently, into a cache outside the repository.
#
# Cache: ${SIGAUDIT_CACHE:-$HOME/.cache/sigaudit}/node/grafana-tools-<hash of the lockfile>.
# Changing a pin changes the hash, so the new set is installed beside the old one; a warm cache
# costs one stat. `npm ci` installs exactly what the lockfile says (integrity-checked) and runs
# no install scripts.

GRAFANA_TOOLS_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Prints the node_modules directory; installs it first if needed. Progress goes to stderr.
grafana_tools() {
  command -v node >/dev/null || { echo "node not found: Node.js >= 18 and npm are needed" >&2; return 1; }
  command -v npm >/dev/null || { echo "npm not found: Node.js >= 18 and npm are needed" >&2; return 1; }
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
    || { echo "Node.js $(node --version) is too old: >= 18 is needed" >&2; return 1; }

  local cache=${SIGAUDIT_CACHE:-$HOME/.cache/sigaudit}/node
  local hash; hash=$(sha256sum "$GRAFANA_TOOLS_SRC/package-lock.json" | cut -c1-12)
  local dir=$cache/grafana-tools-$hash
  if [ ! -f "$dir/.complete" ]; then
    mkdir -p "$cache"
    local tmp; tmp=$(mktemp -d "$cache/.grafana-tools.XXXXXX")
    cp "$GRAFANA_TOOLS_SRC/package.json" "$GRAFANA_TOOLS_SRC/package-lock.json" "$tmp/"
    echo "[grafana-tools] npm ci into $dir" >&2
    if ! (cd "$tmp" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >npm.log 2>&1); then
      cat "$tmp/npm.log" >&2; rm -rf "$tmp"; return 1
    fi
    touch "$tmp/.complete"
    # Another run may have finished first: keep its copy.
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  fi
  echo "$dir/node_modules"
}
