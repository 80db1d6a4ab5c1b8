"""A code's label (a kind of violation, a state, a house type…) on an English page is the
English of its vocabulary's msgid: lists, records, forms and the browser's own copies."""

from __future__ import annotations

import html
import re

from geo import vocabulary as vocab
from tests.helpers import shown

# Every label of the vocabularies the pages show, in Vietnamese.
VIETNAMESE_LABELS = {
    (entry if isinstance(entry, str) else entry["vi"])
    for vocabulary in (vocab.INCIDENT_CATEGORIES, vocab.INCIDENT_STATUSES, vocab.HOUSE_TYPES,
                       vocab.CLASSIFICATIONS, vocab.MODEL_HOUSE_STATUSES,
                       vocab.MODEL_STREET_LEVELS, vocab.MODEL_STREET_KINDS,
                       vocab.MODEL_STREET_STATUSES)
    for entry in vocabulary.values()}


def _texts(page: str) -> set[str]:
    """The page's text nodes, each as a whole (a ward's "Nhà trọ An Khang" is not the label
    "Nhà trọ")."""
    body = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", shown(page), flags=re.S)
    return {html.unescape(t).strip() for t in re.split(r"<[^>]*>", body)} - {""}


def _first_link(page: str, prefix: str) -> str:
    return re.search(rf'href="({re.escape(prefix)}\d+)"', page).group(1)


def test_lists_records_and_forms_say_the_labels_in_english(client_as):
    staff = client_as("urban_staff")
    staff.set_cookie("lang", "en")
    incidents = staff.get("/incidents/?status=all").get_data(as_text=True)
    houses = staff.get("/boarding-houses/").get_data(as_text=True)
    streets = staff.get("/model-streets").get_data(as_text=True)
    pages = {
        "/incidents/": incidents, "/boarding-houses/": houses, "/model-streets": streets,
        "/model-streets/new": staff.get("/model-streets/new").get_data(as_text=True),
        "incident": staff.get(_first_link(incidents, "/incidents/")).get_data(as_text=True),
        "house": staff.get(_first_link(houses, "/boarding-houses/")).get_data(as_text=True),
        "model street": staff.get(_first_link(streets, "/model-streets/")).get_data(
            as_text=True),
    }
    police = client_as("police")
    police.set_cookie("lang", "en")
    pages["/field/boarding-houses/new"] = police.get("/field/boarding-houses/new").get_data(
        as_text=True)
    inspect = police.get("/field/inspect").get_data(as_text=True)
    for name, page in pages.items():
        left = sorted(_texts(page) & VIETNAMESE_LABELS)
        assert not left, f"{name}: labels in Vietnamese on an English page: {left}"
    assert {"Handled", "Road encroachment"} <= _texts(incidents)
    assert "Serviced apartment" in _texts(houses)
    # The inspection page's script gets the house types in English.
    assert '"rooming_house": "' in inspect and "Nhà trọ" not in inspect.split(
        'id="house-types">')[1].split("</script>")[0]


def test_a_house_type_is_one_house_the_menu_all_of_them(client_as):
    from geo.i18n import translate

    assert translate(vocab.HOUSE_TYPES["rooming_house"], "en") == "Boarding house"
    staff = client_as("urban_staff")
    staff.set_cookie("lang", "en")
    assert ">Boarding houses</a>" in staff.get("/").get_data(as_text=True)
