"""The two-ward synthetic province of the tests (``webapp.synth``): its sizes, its users and
the template it is copied from (``province_url``, ``province_databases`` in conftest)."""

from __future__ import annotations

# Two small synthetic wards side by side (webapp.synth): ward isolation and the province.
PROVINCE_SIZES = {"wards": 2, "houses_per_ward": 150, "incidents_per_ward": 600}
# username: (role, ward code or None, password)
PROVINCE_USERS = {"tinh": ("province", None, "province-pass-2026"),
                  "congan1": ("police", "synth-001", "police-one-pass-2026"),
                  "congan2": ("police", "synth-002", "police-two-pass-2026")}


def add_province_users(engine) -> None:
    from models import queries
    from webapp.users import create_user

    with engine.begin() as conn:
        for username, (role, code, password) in PROVINCE_USERS.items():
            ward = queries.ward_by_code(conn, code) if code else None
            create_user(conn, ward.id if ward else None, username, role, password)


def fill_province(engine) -> None:
    from webapp.synth import generate_province

    sizes = dict(PROVINCE_SIZES)
    list(generate_province(engine, sizes.pop("wards"), **sizes))
    add_province_users(engine)


def province_template(templates, backend: str):
    return templates.get("province", backend, fill_province, users={
        username: password for username, (_role, _ward, password) in PROVINCE_USERS.items()})
