#!/usr/bin/env bash
# Refresh the browser libraries that no Python package ships, from the npm registry, and
# check them against the versions and SHA-256 sums recorded in static/vendor/VERSIONS.
# Not run by `make run`: the files are committed, so a fresh clone serves them offline.
#   scripts/vendor-js.sh          verify the committed files
#   scripts/vendor-js.sh update   download the pinned versions again (needs npm)
set -euo pipefail
cd "$(dirname "$0")/../static/vendor"
if [ "${1:-}" = update ]; then
  tmp=$(mktemp -d)
  while read -r dir package version files; do
    [ -z "$dir" ] || [ "${dir:0:1}" = "#" ] && continue
    (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null && tar xzf ./*.tgz && rm ./*.tgz)
    mkdir -p "$dir"
    # The licence: its own file, or the README that states it (leaflet.vectorgrid).
    if [ -f "$tmp/package/LICENSE" ]; then cp "$tmp/package/LICENSE" "$dir/"
    else cp "$tmp/package/README.md" "$dir/"; fi
    for entry in ${files//,/ }; do
      name=${entry%%=*}
      if [ -f "$tmp/package/dist/$name" ]; then cp "$tmp/package/dist/$name" "$dir/"
      else cp "$tmp/package/$name" "$dir/"; fi
    done
    rm -rf "$tmp/package"
  done < VERSIONS
  rm -rf "$tmp"
fi
grep -v '^#' VERSIONS | while read -r dir package version files; do
  [ -z "$dir" ] && continue
  for entry in ${files//,/ }; do
    name=${entry%%=*}; sum=${entry#*=}
    echo "$sum  $dir/$name" | sha256sum --check --quiet
  done
  echo "$package@$version: ok"
done
