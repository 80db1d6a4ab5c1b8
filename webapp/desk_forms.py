"""The desk's create / edit pages in one shape: GET shows the form; POST saves in one
transaction and goes to the record; a refusal shows the form again (400) with the messages
and what was typed, nothing saved."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request

from webapp.extensions import db
from webapp.services.model_streets import Refused


def form_view(form_page: Callable, save: Callable, done: Callable[[int], str], message: str):
    """``form_page(errors=…, form=…, status=…)`` renders; ``save(tx)`` returns the id;
    ``done(id)`` is where to go after saving."""
    if request.method == "GET":
        return form_page()
    try:
        with db.transaction() as tx:
            saved_id = save(tx)
    except Refused as refused:
        return form_page(errors=refused.errors, form=request.form, status=400)
    flash(message, "info")
    return redirect(done(saved_id))
