"""Model streets, clusters and the demonstration route as desk records: create (drawn or
picked from the street layer), edit, move status on a date, re-check monthly — each in one
transaction with its history row; and peak campaigns (đợt ra quân) by area and period."""

from __future__ import annotations

from datetime import date

import shapely

from geo import assign, programme
from geo import formatting as fmt
from geo.i18n import N_, Message
from geo.lazy import deferred
from geo.numbers import form_id, form_ids
from models import model_streets as store
from models import photos as photo_store
from models import queries, records
from webapp import jsonio
from webapp.clock import local_now
from webapp.services.photos import PhotoError, check_photos
from webapp.services.streets import STREET_WITHIN_M, anchor

gpd = deferred("geopandas")
pd = deferred("pandas")

TRACKED = ("name", "level", "kind", "neighbourhood_id", "registered_on", "target_date",
           "frontage_households", "commitments_signed", "budget_vnd", "socialised_vnd",
           "sponsors", "street_id")


class Refused(ValueError):
    """Nothing was saved; ``errors`` are ``(field, message)`` pairs, the messages
    ``geo.i18n.Message``s said in the reader's language where shown."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(m for _, m in errors))
        self.errors = errors


def _geometry(conn, ward, form) -> tuple[object | None, list]:
    """The drawn GeoJSON (``geometry``), or the union of the picked street ids."""
    picked = form_ids(str(form.get("street_ids") or "").split(","))
    if picked:
        return store.street_union(conn, ward.id, picked[:500]), []
    raw = form.get("geometry") or ""
    if not raw:
        return None, []
    try:
        return shapely.geometry.shape(jsonio.loads(raw)), []
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.GEOSException):
        return None, [("geometry", Message(N_("Hình vẽ trên bản đồ không đọc được: vẽ lại.")))]


def _links(conn, ward, geom, level: str, chosen_kp: int | None) -> dict:
    """The khu phố (chosen, else where the street lies) and the nearest street."""
    point = gpd.GeoDataFrame(geometry=[anchor(geom)], crs=4326)
    kp = queries.read_layer(conn, queries.LAYERS["neighbourhoods"], ward.id, columns=["id"])
    kp_id = chosen_kp if chosen_kp in set(kp["id"]) else None
    if kp_id is None and level == "neighbourhood":
        found = assign.neighbourhood_of(point, kp, ward.metric_epsg).iloc[0]
        kp_id = None if pd.isna(found) else int(found)
    streets = queries.read_layer(conn, queries.LAYERS["streets"], ward.id, columns=["id"])
    nearest = assign.nearest_feature(point, streets, ward.metric_epsg,
                                     STREET_WITHIN_M["model-streets"])["id"].iloc[0]
    return {"neighbourhood_id": kp_id,
            "street_id": None if nearest != nearest or nearest is None else int(nearest)}


def save(tx, ward, user_id: int | None, form, model_street_id: int | None = None) -> int:
    """Create or edit a model street from the desk form; ``Refused`` lists what is wrong."""
    today = local_now().date()
    payload = {k: form.get(k) for k in ("name", "level", "kind", "registered_on",
                                        "target_date", "frontage_households",
                                        "commitments_signed", "budget_vnd", "socialised_vnd",
                                        "sponsors")}
    clean, errors = programme.validate_model_street(payload, today)
    before = store.one(tx, ward.id, model_street_id) if model_street_id else None
    if model_street_id and before is None:
        raise Refused([("id", Message(N_("Không có tuyến/cụm này trong phường.")))])
    geom, problems = _geometry(tx, ward, form)
    errors += problems
    kept = store.parse_geojson(before.geojson) if before is not None else None
    if geom is None and kept is not None and not problems:
        geom = kept  # geometry not redrawn: keep it
    # The edit form sends the stored geometry back unless it was redrawn.
    redrawn = kept is None or geom is None or not shapely.equals_exact(geom, kept, 1e-9)
    geom, problem = programme.check_geometry(geom, clean.get("kind") or "street")
    if problem:
        errors.append(("geometry", problem))
    if errors:
        raise Refused(errors)
    chosen = form.get("neighbourhood_id")
    clean.update(_links(tx, ward, geom, clean["level"],
                        form_id(chosen)))
    if before is None:
        clean["registered_on"] = clean.get("registered_on") or today
        clean.pop("status", None)
        values = {**clean, "status": "registered", "criteria": {}}
        new_id = store.insert_model_street(tx, ward.id, values, geom)
        store.add_event(tx, ward.id, new_id, "created", user_id, to_status="registered",
                        on_date=clean["registered_on"])
        records.audit(tx, ward.id, user_id, "model_street_created", "model_street", new_id,
                      name=clean["name"])
        return new_id
    values = {k: clean.get(k) for k in TRACKED}
    changes = {k: [_plain(getattr(before, k)), _plain(v)] for k, v in values.items()
               if _plain(getattr(before, k)) != _plain(v)}
    if redrawn:
        changes["geometry"] = ["", "vẽ lại"]
    store.update_model_street(tx, ward.id, model_street_id, values, geom if redrawn else None)
    if changes:
        store.add_event(tx, ward.id, model_street_id, "edited", user_id, changes=changes)
    return model_street_id


def move_status(tx, ward, user_id: int | None, model_street_id: int, to_status: str,
                on: date | None, note: str | None) -> None:
    row = store.one(tx, ward.id, model_street_id)
    if row is None:
        raise Refused([("id", Message(N_("Không có tuyến/cụm này trong phường.")))])
    current = {"status": row.status,
               **{f: getattr(row, f) for f in programme.STATUS_DATES.values()}}
    values, problem = programme.status_step(current, to_status, on, note, local_now().date())
    if problem:
        raise Refused([("status", problem)])
    store.update_model_street(tx, ward.id, model_street_id, values)
    store.add_event(tx, ward.id, model_street_id, "status", user_id, from_status=row.status,
                    to_status=to_status, on_date=on or local_now().date(),
                    note=(note or "").strip() or None)
    records.audit(tx, ward.id, user_id, "model_street_status", "model_street", model_street_id,
                  **{"from": row.status, "to": to_status})


def recheck(tx, ward, plan, user_id: int | None, model_street_id: int, form, files) -> int:
    """A dated re-check against the ward's criteria, with photos; the street's current
    checklist becomes this check's results."""
    row = store.one(tx, ward.id, model_street_id)
    if row is None:
        raise Refused([("id", Message(N_("Không có tuyến/cụm này trong phường.")))])
    payload = {k: v for k, v in form.items()}
    check, errors = programme.validate_check(payload, list(plan.criteria), local_now().date())
    uploads = [(f.filename, f.read()) for f in files if f and f.filename]
    checked = check_photos(uploads, errors)  # headers only: nothing decoded yet
    if errors:
        raise Refused(errors)
    try:
        photos = [photo.clean() for photo in checked]  # the check validated: decode now
    except PhotoError as err:
        raise Refused([("photos", err.args[0])]) from None
    month = fmt.month_key(check["checked_on"])
    check_id = store.add_check(tx, ward.id, model_street_id, month, check["checked_on"],
                               check["results"], check["note"], user_id)
    for photo in photos:
        photo_store.add_photo(tx, ward.id, "model_street_check", check_id, data=photo.data,
                          content_type="image/jpeg", width=photo.width, height=photo.height,
                          sha256=photo.sha256, user_id=user_id)
    met = {code: bool(result["met"]) for code, result in check["results"].items()}
    store.update_model_street(tx, ward.id, model_street_id, {"criteria": met})
    store.add_event(tx, ward.id, model_street_id, "check", user_id,
                    on_date=check["checked_on"],
                    changes={"met": sum(met.values()), "of": len(met)}, note=check["note"])
    return check_id


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


# --- campaigns ------------------------------------------------------------------------------

def save_campaign(tx, ward, user_id: int | None, form, campaign_id: int | None = None) -> int:
    """A campaign from the desk form: its area is the whole ward, the chosen khu phố, or a
    drawn polygon."""
    clean, errors = programme.validate_campaign(
        {k: form.get(k) for k in ("name", "starts_on", "ends_on", "units", "note")},
        local_now().date())
    area_kind = form.get("area_kind", "ward")
    kp_ids = form_ids(form.getlist("neighbourhood_ids")) if hasattr(form, "getlist") else []
    area = None
    if area_kind == "neighbourhoods":
        if not kp_ids:
            errors.append(("neighbourhood_ids", Message(N_("Chọn ít nhất một khu phố."))))
        else:
            area = store.neighbourhood_union(tx, ward.id, kp_ids)
            if area is None:
                errors.append(("neighbourhood_ids",
                               Message(N_("Khu phố đã chọn không thuộc phường."))))
    elif area_kind == "drawn":
        area, problems = _geometry(tx, ward, form)
        errors += problems
        if area is None or area.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(("geometry", Message(N_("Vẽ vùng ra quân (polygon) trên bản đồ."))))
        kp_ids = []
    else:
        kp_ids = []
    if errors:
        raise Refused(errors)
    if area is not None:
        area = shapely.make_valid(area)
        area = area if area.geom_type == "MultiPolygon" else shapely.MultiPolygon(
            [p for p in getattr(area, "geoms", [area]) if p.geom_type == "Polygon"])
    values = {**clean, "neighbourhood_ids": kp_ids}
    if campaign_id is None:
        values["created_by"] = user_id
    saved = store.save_campaign(tx, ward.id, values, area, campaign_id)
    records.audit(tx, ward.id, user_id, "campaign_saved", "campaign", saved, name=clean["name"],
                  created=campaign_id is None)
    return saved
