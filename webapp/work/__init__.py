"""The plan as work: a ward's units and people, "6 rõ" tasks, progress with evidence, early
warning, and each unit's monthly report (Bảng 3) consolidated by the office."""

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("work", __name__)

# A khu phố head works on their unit's tasks only: the ward's map, records and analyses
# (every khu phố's incidents and houses) are not theirs to see.
KHU_PHO_HEAD_BLUEPRINTS = frozenset({"work", "auth", "vendor", "public"})


@bp.before_app_request
def _khu_pho_head_reaches_only_the_work_pages():
    if not getattr(current_user, "is_authenticated", False) or \
            current_user.role != "khu_pho_head" or request.endpoint in (None, "static") or \
            request.blueprint in KHU_PHO_HEAD_BLUEPRINTS:
        return None
    if request.endpoint == "map.index":
        return redirect(url_for("work.board"))
    if request.path.startswith("/api/"):
        from geo.i18n import N_
        from webapp.errors import ApiError

        raise ApiError(403, N_("Trưởng khu phố chỉ làm việc với nhiệm vụ của đơn vị mình."))
    abort(403)


from webapp.work import imports, kpmap, reports, units, views  # noqa: E402,F401  (routes)
