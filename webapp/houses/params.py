"""The boarding-house list's filters, read from the query string (list and both exports)."""

from __future__ import annotations

import unicodedata

from flask_babel import gettext as _

from geo import vocabulary as vocab
from models import listings


def house_filter(args, neighbourhoods) -> tuple[listings.HouseFilter, dict, list[str]]:
    """The filter asked for, the form values to show again, and what was not understood."""
    problems: list[str] = []
    codes = {kp.code: kp.id for kp in neighbourhoods}
    text = unicodedata.normalize("NFC", args.get("q", "")).strip()[:100]
    kp = args.get("kp", "")
    if kp and kp not in codes:
        problems.append(_("khu phố '%(value)s'", value=kp))
        kp = ""
    classification = args.get("classification", "")
    if classification and classification not in (*vocab.CLASSIFICATIONS, "unclassified"):
        problems.append(_("xếp loại '%(value)s'", value=classification))
        classification = ""
    model = args.get("model", "")
    if model and model not in vocab.MODEL_HOUSE_STATUSES:
        problems.append(_("mô hình '%(value)s'", value=model))
        model = ""
    no_commitment = args.get("no_commitment") == "1"
    fire_fail = args.get("fire_fail") == "1"
    flt = listings.HouseFilter(text=text, neighbourhood_id=codes.get(kp),
                               classification=classification or None,
                               model_status=model or None, no_commitment=no_commitment,
                               fire_fail=fire_fail)
    form = {"q": text, "kp": kp, "classification": classification, "model": model,
            "no_commitment": no_commitment, "fire_fail": fire_fail}
    return flt, form, problems


def form_query(form: dict) -> dict:
    """The filters as query arguments (for export links), without the unset ones."""
    return {k: ("1" if v is True else v) for k, v in form.items() if v not in ("", False, None)}
