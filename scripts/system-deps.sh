#!/usr/bin/env bash
# Install the Debian/Ubuntu packages urbanorder needs, only those that are missing.
#   system-deps.sh run   SpatiaLite and Python venv support (for `make run`)
#   system-deps.sh test  also PostgreSQL + PostGIS, Chromium, poppler, GDAL, Node.js + npm
#                        (eslint, for `make test`),
#                        and start a local PostgreSQL with a superuser for the test database.
set -euo pipefail
mode=${1:-run}
missing=()

have_spatialite() {
  [ -n "${SPATIALITE_LIBRARY_PATH:-}" ] && return 0
  # One glob at a time: `ls a* b*` fails when either matches nothing, which made every
  # `make run` reinstall the package (and need the network).
  compgen -G "/usr/lib/*/mod_spatialite.so*" >/dev/null || compgen -G "/usr/lib/mod_spatialite.so*" >/dev/null
}
have_spatialite || missing+=(libsqlite3-mod-spatialite)
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)

if [ "$mode" = test ]; then
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 \
    || missing+=("postgresql-$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || echo 15)-postgis-3")
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
  # The replica test runs a PgBouncer of its own (tests/webapp/test_replicas.py).
  [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
  fc-list 2>/dev/null | grep -qi "dejavu" || missing+=(fonts-dejavu-core)
  # eslint (package.json, tests/test_eslint.py) needs Node.js ≥ 18.18 and npm to install it.
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Cài gói hệ thống còn thiếu / installing missing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "apt-get không có: hãy tự cài ${missing[*]} / install these yourself." >&2
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # postgis pulls the server version it was built for; re-check the extension after install.
  if [ "$mode" = test ] && ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "postgresql-${version}-postgis-3" >/dev/null
  fi
fi

if [ "$mode" = test ] && [ -z "${URBANORDER_TEST_POSTGRES_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if [ "$(id -u)" -eq 0 ] && command -v pg_ctlcluster >/dev/null 2>&1; then
      version=$(ls /etc/postgresql | sort -n | tail -1)
      echo "Khởi động PostgreSQL $version / starting PostgreSQL $version"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    else
      echo "PostgreSQL không chạy trên 127.0.0.1:5432: các kiểm thử PostGIS sẽ bị bỏ qua." >&2
    fi
  fi
  # The tests connect as the current user; create it as a superuser with a known password
  # when the server does not know it yet (a fresh Debian install only knows 'postgres').
  me=$(id -un)
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ "$(id -u)" -eq 0 ] \
     && ! psql -h 127.0.0.1 -U "$me" -d postgres -tAc "select 1" >/dev/null 2>&1; then
    runuser -u postgres -- psql -q -c \
      "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$me') THEN
         CREATE ROLE \"$me\" LOGIN SUPERUSER PASSWORD 'urbanorder'; END IF; END\$\$;" || true
  fi
fi
exit 0
