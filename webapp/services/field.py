"""Field records: boarding houses, inspections, incidents and their workflow.

Each handler validates (``geo.validate``), derives links by geometry (``geo.assign``) and
writes through ``models`` on the submission's single transaction.
"""

from __future__ import annotations

from datetime import timedelta

import shapely

from geo import assign
from geo.assign import REPEAT_RADIUS_M, REPEAT_WINDOW_DAYS
from geo.i18n import N_, Message
from geo.validate import (
    validate_boarding_house,
    validate_incident,
    validate_inspection,
    validate_location,
    validate_transition,
)
from models import model_streets, queries, records, writes
from models.tables import BoardingHouse, Incident
from webapp.auth.permissions import RECORDABLE_CATEGORIES
from webapp.clock import local_now, ward_now
from webapp.errors import ApiError
from webapp.services import registers  # the register_entry kind
from webapp.services.locator import ward_places
from webapp.services.submissions import Raced, Submission, invalid

NEAR_DUPLICATE_M = 15.0
ATTACH_WITHIN_M = 30.0  # an attached report may drift a little further than the 15 m offer
STREET_WITHIN_M = {"boarding_house": 100.0, "incident": 60.0}
MODEL_STREET_WITHIN_M = 20.0


class FieldService:
    """The operations of one user in one ward."""

    def __init__(self, ward, user) -> None:
        self.ward, self.user = ward, user
        self._places = None
        self._campaigns = {}  # day → the campaigns running then (model_streets.campaigns_on)
        self._stored = None  # (entity, id, derived names) of the record just written

    # --- shared -------------------------------------------------------------------------

    def _locator(self, conn):
        if self._places is None:  # once per submission: its transaction sees one version
            self._places = ward_places(conn, self.ward)
        return self._places.locator

    def _place(self, conn, payload: dict, errors: list) -> tuple[dict | None, dict]:
        location, location_errors = validate_location(payload.get("location"))
        errors += location_errors
        if location_errors:
            return None, {}
        kp_id, note, error = self._locator(conn).place(location["lon"], location["lat"])
        if error:
            errors.append(("location", error))
            return None, {}
        location["neighbourhood_id"] = kp_id
        return location, ({"location_note": note} if note else {})

    def _near(self, conn, layer: str, location: dict, metres: float, **filters):
        flt = queries.LayerFilter(bbox=queries.around(location["lon"], location["lat"], metres),
                                  **filters)
        return queries.read_layer(conn, queries.LAYERS[layer], self.ward.id, flt)

    def _links(self, conn, location: dict, entity: str) -> dict:
        where, lon, lat = self._locator(conn), location["lon"], location["lat"]
        links = {"neighbourhood_id": location["neighbourhood_id"],
                 "street_id": where.street(lon, lat, STREET_WITHIN_M[entity]),
                 "location_accuracy_m": location["accuracy_m"],
                 "location_manual": location["manual"]}
        if entity == "incident":
            links["model_street_id"] = where.model_street(lon, lat, MODEL_STREET_WITHIN_M)
        return links

    def _house(self, conn, house_uuid) -> int:
        house = records.house_by_uuid(conn, self.ward.id, house_uuid)
        if house is None:
            raise ApiError(404, N_("Không tìm thấy cơ sở cho thuê trọ này trong phường."),
                           errors=[("boarding_house", Message(N_("Không tìm thấy cơ sở.")))])
        return house.id

    # --- boarding houses ----------------------------------------------------------------

    def save_house(self, conn, submission: Submission):
        clean, errors = validate_boarding_house(submission.payload, local_now().date())
        location, notes = self._place(conn, submission.payload, errors)
        if errors:
            raise invalid(errors)
        values = {**clean, **self._links(conn, location, "boarding_house")}
        table = BoardingHouse.__table__
        if submission.kind == "boarding_house.update":
            house_id = self._house(conn, submission.target)
            submission.decoded_photos()
            writes.update_point_record(conn, table, self.ward.id, house_id, values,
                                        location["lon"], location["lat"])
            action = "update_personal_data"
        else:
            values.update(ward_id=self.ward.id, client_uuid=submission.uuid,
                          recorded_by=self.user.id)
            if records.house_by_uuid(conn, self.ward.id, submission.uuid) is not None:
                raise Raced(ApiError(409, N_("Cơ sở với mã này đã có.")))
            submission.decoded_photos()
            house_id = writes.insert_point_record(conn, table, values, location["lon"],
                                                   location["lat"])
            action = "create_personal_data"
        records.audit(conn, self.ward.id, self.user.id, action, "boarding_house", house_id,
                      fields=["owner_name", "owner_phone", "owner_id_number"])
        return "boarding_house", house_id, notes

    def inspect_house(self, conn, submission: Submission):
        house_id = self._house(conn, submission.target)
        clean, errors = validate_inspection(submission.payload, ward_now())
        if errors:
            raise invalid(errors)
        inspected_at = clean["inspected_at"]
        submission.decoded_photos()
        inspection_id = records.add_inspection(conn, {
            "ward_id": self.ward.id, "client_uuid": submission.uuid,
            "boarding_house_id": house_id, "inspected_at": inspected_at,
            "officer": self.user.full_name, "officer_id": self.user.id,
            "findings": clean["findings"], "fire_safety_pass": clean["fire_safety_pass"],
            "residents_counted": clean["residents_counted"],
            "follow_up_on": clean["follow_up_on"]})
        records.close_follow_ups(conn, self.ward.id, house_id, inspected_at)
        latest = records.house_by_uuid(conn, self.ward.id, submission.target).last_inspection_on
        changes = {k: clean[k] for k in ("extinguishers", "has_alarm", "has_escape_route")
                   if clean[k] is not None}
        if latest is None or inspected_at.date() >= latest:
            changes.update(last_inspection_on=inspected_at.date(),
                           fire_safety_pass=clean["fire_safety_pass"])
            if clean["residents_counted"] is not None:
                changes["residents"] = clean["residents_counted"]
        if changes:
            writes.update_point_record(conn, BoardingHouse.__table__, self.ward.id, house_id,
                                        changes)
        return "inspection", inspection_id, {"boarding_house_id": house_id}

    # --- incidents ----------------------------------------------------------------------

    def record_incident(self, conn, submission: Submission):
        clean, errors = validate_incident(submission.payload, ward_now(),
                                          RECORDABLE_CATEGORIES[self.user.role])
        location, notes = self._place(conn, submission.payload, errors)
        if errors:
            raise invalid(errors)
        if clean["attach_to"]:
            return self._attach(conn, submission, clean, location, notes)
        campaign_id = self._campaign(conn, submission.payload.get("campaign_id"),
                                     clean["observed_at"].date(), location)
        values = {
            "ward_id": self.ward.id, "client_uuid": submission.uuid,
            "category": clean["category"], "observed_at": clean["observed_at"],
            "description": clean["description"], "status": "reported",
            "reporter": self.user.full_name, "reported_by": self.user.id,
            "campaign_id": campaign_id,
            "is_repeat": self._is_repeat(conn, clean, location),
            **self._links(conn, location, "incident"),
        }
        if clean["boarding_house_uuid"]:
            values["boarding_house_id"] = self._house(conn, clean["boarding_house_uuid"])
        event = {"ward_id": self.ward.id, "from_status": None, "to_status": "reported",
                 "user_id": self.user.id, "note": clean["description"]}
        submission.decoded_photos()
        incident_id = records.add_incident(conn, values, location["lon"], location["lat"],
                                           event, submission.receipt(self.ward.id, self.user.id,
                                                                     "incident"))
        derived = self._places.names(values["neighbourhood_id"], values["street_id"],
                                     values["model_street_id"])
        derived["is_repeat"] = bool(values["is_repeat"])
        self._stored = ("incident", incident_id, derived)
        return "incident", incident_id, notes

    def _campaign(self, conn, chosen, day, location: dict) -> int | None:
        """The campaign (đợt ra quân) an incident counts for: the one chosen on the form if
        it runs on that day and place; none if "none" was chosen; else the first running
        there."""
        if day not in self._campaigns:  # once per day per request (a batch: many records)
            self._campaigns[day] = model_streets.campaigns_on(conn, self.ward.id, day)
        point = shapely.Point(location["lon"], location["lat"])
        running = {cid for cid, area in self._campaigns[day]
                   if area is None or area.intersects(point)}
        if chosen in (None, ""):
            return min(running) if running else None
        if chosen == "none":
            return None
        try:
            campaign_id = int(chosen)
        except (TypeError, ValueError):
            campaign_id = None
        if campaign_id not in running:
            raise invalid([("campaign_id", Message(N_("Đợt ra quân đã chọn không diễn ra vào "
                                                      "ngày này hoặc không gồm vị trí này.")))])
        return campaign_id

    def _is_repeat(self, conn, clean: dict, location: dict) -> bool:
        since = (clean["observed_at"] - timedelta(days=REPEAT_WINDOW_DAYS)).date()
        flt = queries.LayerFilter(
            bbox=queries.around(location["lon"], location["lat"], REPEAT_RADIUS_M * 2),
            categories=(clean["category"],), date_from=since - timedelta(365))
        earlier = records.repeat_candidates(conn, self.ward.id, flt)
        return self._locator(conn).is_repeat(location["lon"], location["lat"],
                                             clean["observed_at"], earlier)

    def _attach(self, conn, submission, clean, location, notes):
        target = records.incident_state(conn, self.ward.id, clean["attach_to"])
        open_statuses = ("reported", "verified", "minutes_issued")
        if target is None or target.status not in open_statuses or \
                target.category != clean["category"]:
            raise invalid([("attach_to", Message(N_("Vụ việc để gộp không còn mở hoặc khác loại "
                                                    "vi phạm.")))])
        near = self.nearby_open_incidents(conn, location["lon"], location["lat"],
                                          clean["category"], ATTACH_WITHIN_M)
        if target.id not in {row["id"] for row in near}:
            raise invalid([("attach_to", Message(N_("Vụ việc để gộp ở quá xa vị trí hiện tại.")))])
        note = "Báo cáo bổ sung" + (f": {clean['description']}" if clean["description"] else "")
        submission.decoded_photos()
        records.add_incident_event(conn, self.ward.id, target.id, target.status, target.status,
                                   self.user.id, note)
        return "incident", target.id, {**notes, "attached": True}

    def nearby_open_incidents(self, conn, lon: float, lat: float, category: str,
                              radius_m: float = NEAR_DUPLICATE_M) -> list[dict]:
        found = self._near(conn, "incidents", {"lon": lon, "lat": lat}, radius_m * 1.5,
                           categories=(category,),
                           statuses=("reported", "verified", "minutes_issued"))
        found["distance_m"] = assign.distances_m(found, lon, lat, self.ward.metric_epsg)
        found = found[found["distance_m"] <= radius_m].sort_values("distance_m")
        return found.drop(columns="geometry").to_dict("records")

    def transition(self, conn, submission: Submission):
        state = records.incident_state(conn, self.ward.id, int(submission.target))
        if state is None:
            raise ApiError(404, N_("Không tìm thấy vụ việc."))
        clean, errors = validate_transition(submission.payload, state.status)
        if errors:
            raise invalid(errors)
        changes = {"status": clean["to"]}
        if clean["to"] == "minutes_issued":
            changes.update(minutes_no=clean["minutes_no"], fine_vnd=clean["fine_vnd"])
        if clean["to"] in ("resolved", "dismissed"):
            changes["resolved_at"] = local_now()
        submission.decoded_photos()
        writes.update_point_record(conn, Incident.__table__, self.ward.id, state.id, changes)
        records.add_incident_event(conn, self.ward.id, state.id, state.status, clean["to"],
                                   self.user.id, clean["note"])
        return "incident", state.id, {"status": clean["to"]}

    def describe(self, conn, entity: str, entity_id: int) -> dict:
        """The answer body for a stored record; a new incident's names come from the layers
        its links were derived from (same version), any other record's from the database."""
        if self._stored is not None and self._stored[:2] == (entity, entity_id):
            return {"id": entity_id, "entity": entity, "url": f"/incidents/{entity_id}",
                    "derived": dict(self._stored[2])}
        return describe(conn, entity, entity_id, ward_id=self.ward.id)


# The operation that stores each kind of submission (``Submission.kind``), called with the
# service of the user and ward: ``OPERATIONS[kind](service, conn, submission)``.
OPERATIONS = {
    "boarding_house.create": FieldService.save_house,
    "boarding_house.update": FieldService.save_house,
    "inspection.create": FieldService.inspect_house,
    "incident.create": FieldService.record_incident,
    "incident.transition": FieldService.transition,
    # Registers defined as data (webapp/services/registers.py); target: the register's code.
    "register_entry": registers.record_entry,
}


def describe(conn, entity: str, entity_id: int, *, ward_id: int) -> dict:
    """The answer body for a stored record: its id, page and what was derived for it."""
    if entity == "register_entry":  # registers defined as data
        return registers.describe_entry(conn, entity_id, ward_id=ward_id)
    if entity == "inspection":
        house_id = records.inspected_house(conn, ward_id, entity_id)
        return {"id": entity_id, "entity": entity, "url": f"/boarding-houses/{house_id}",
                "derived": {}}
    table, url = {"boarding_house": (BoardingHouse.__table__, "/boarding-houses/"),
                  "incident": (Incident.__table__, "/incidents/")}[entity]
    return {"id": entity_id, "entity": entity, "url": f"{url}{entity_id}",
            "derived": queries.link_names(conn, ward_id, table, entity_id)}
