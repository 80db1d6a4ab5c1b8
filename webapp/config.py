"""Settings from environment variables, with safe defaults for one ward on one machine."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

from geo import wardzone
from geo.resources import IN_CHECKOUT, SOURCE_ROOT

# A checkout keeps its database and secret in ./instance (git-ignored); an installed package
# follows Flask's convention for installed apps, the environment's var/ folder, never its
# site-packages.
DEFAULT_INSTANCE = (SOURCE_ROOT / "instance" if IN_CHECKOUT
                    else Path(sys.prefix) / "var" / "urbanorder-instance")

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"


def instance_secret_key(instance: Path) -> str:
    """A per-installation secret kept in the instance folder, created on first use."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def from_environment() -> dict:
    from models.replicas import parse_urls  # SQLAlchemy: not at import (urbanorder --help)

    instance = Path(os.environ.get("URBANORDER_INSTANCE", DEFAULT_INSTANCE))
    return {
        "INSTANCE_DIR": instance,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'urbanorder.db'}"),
        # PostgreSQL streaming replicas for read-only requests (comma-separated URLs; see
        # docs/scaling.md); one lagging more than REPLICA_MAX_LAG_S seconds is skipped.
        "DATABASE_REPLICA_URLS": parse_urls(os.environ.get("DATABASE_REPLICA_URLS")),
        "REPLICA_MAX_LAG_S": float(os.environ.get("URBANORDER_REPLICA_MAX_LAG_S", "5")),
        # The PostgreSQL URLs are PgBouncers in transaction mode (docs/scaling.md).
        "DATABASE_PGBOUNCER": os.environ.get("URBANORDER_PGBOUNCER", "") == "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", ""),
        # Empty string: no basemap at all (the map still draws our own vectors). Unset (None):
        # the offline basemap file if there is one, else OpenStreetMap (webapp.basemap).
        "TILE_URL": os.environ.get("URBANORDER_TILE_URL"),
        "TILE_ATTRIBUTION": os.environ.get("URBANORDER_TILE_ATTRIBUTION"),
        # An .mbtiles or .pmtiles file served at /basemap/{z}/{x}/{y}.<ext> (offline basemap).
        "BASEMAP_FILE": os.environ.get("URBANORDER_BASEMAP_FILE", ""),
        # The wards' time zone (IANA): what people see and enter; the database keeps UTC.
        "TIMEZONE": os.environ.get("URBANORDER_TIMEZONE", wardzone.DEFAULT_ZONE),
        "API_DEFAULT_LIMIT": int(os.environ.get("URBANORDER_API_DEFAULT_LIMIT", "5000")),
        "API_MAX_LIMIT": int(os.environ.get("URBANORDER_API_MAX_LIMIT", "20000")),
        # The most boarding houses one field working set (offline copy) carries.
        "FIELD_WORKSET_MAX_HOUSES": int(
            os.environ.get("URBANORDER_FIELD_WORKSET_MAX_HOUSES", "3000")),
        # Behind HTTPS set URBANORDER_HTTPS=1: cookies become Secure and HSTS is sent.
        "SESSION_COOKIE_SECURE": os.environ.get("URBANORDER_HTTPS", "") == "1",
        "REMEMBER_COOKIE_SECURE": os.environ.get("URBANORDER_HTTPS", "") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A shift: the session survives browser restarts and ends this long after sign-in.
        # The shift's end is fixed at sign-in (webapp.auth): no need to resend the cookie.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=float(os.environ.get("URBANORDER_SESSION_HOURS", "12"))),
        # A token lives as long as the session: records queued offline for hours still send.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 40 * 1024 * 1024,
        "RATELIMIT_ENABLED": os.environ.get("URBANORDER_RATELIMIT", "1") == "1",
        # Counters live in each process; with several worker processes (serve --workers N)
        # name a store they share, e.g. redis://127.0.0.1:6379 (pip install 'limits[redis]').
        "RATELIMIT_STORAGE_URI": os.environ.get("URBANORDER_RATELIMIT_STORAGE_URI",
                                                "memory://"),
        # Behind a reverse proxy (nginx): how many proxies set X-Forwarded-For/-Proto, so the
        # sign-in limiter and the audit log see the phone's address, not the proxy's.
        "PROXY_HOPS": int(os.environ.get("URBANORDER_PROXY_HOPS", "0")),
        # Responses compressed (Flask-Compress: zstd, Brotli or gzip, as the client accepts);
        # a ward's boarding houses are ≈4 MB of GeoJSON and ≈0.3 MB compressed.
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/javascript",
                               "application/javascript", "application/json",
                               "application/geo+json", "image/svg+xml",
                               "application/vnd.mapbox-vector-tile"],
        "COMPRESS_MIN_SIZE": 1024,
        # How long a ward's layer fingerprints (the map's ETags) are trusted without reading
        # them again; this process's own commits end the trust at once.
        "LAYER_VERSION_MAX_AGE": float(os.environ.get("URBANORDER_LAYER_VERSION_MAX_AGE", "1")),
        # Seconds a scope's layer version is trusted before it is read again (webapp.tiles):
        # a province's scans millions of rows; an edit shows in tiles at most this late.
        "TILE_VERSION_MAX_AGE": float(os.environ.get("URBANORDER_TILE_VERSION_MAX_AGE", "5")),
        # The same for the low-zoom tiles of counted points (a density a minute old).
        "TILE_CELLS_MAX_AGE": float(os.environ.get("URBANORDER_TILE_CELLS_MAX_AGE", "60")),
        # `urbanorder tasks warn` (cron) runs this command with the flagged tasks as JSON on
        # its standard input (e.g. a script that sends Zalo/e-mail); empty: print them only.
        "NOTIFY_COMMAND": os.environ.get("URBANORDER_NOTIFY_COMMAND", ""),
        # …and, with an SMTP host, e-mails each unit's people (those with an e-mail on their
        # account) the flagged tasks of their unit (webapp.services.mail). STARTTLS is on
        # unless URBANORDER_SMTP_STARTTLS=0; the user and password are sent only when set.
        "SMTP_HOST": os.environ.get("URBANORDER_SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("URBANORDER_SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("URBANORDER_SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("URBANORDER_SMTP_PASSWORD", ""),
        "SMTP_FROM": os.environ.get("URBANORDER_SMTP_FROM", ""),
        "SMTP_STARTTLS": os.environ.get("URBANORDER_SMTP_STARTTLS", "1") != "0",
        "COMPRESS_LEVEL": 6,
        "COMPRESS_BR_LEVEL": 4,
    }
