"""Who may do what. Every role is scoped to its own ward, except the super-admin, who manages
wards and acts as an admin in the ward they chose to work in."""

from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user

from geo.i18n import N_

# msgids (Vietnamese): said in the reader's language where shown (webapp.i18n.Labels for
# templates, the forms' choices); the command line prints them as they are.
ROLE_LABELS = {
    "superadmin": N_("Quản trị hệ thống (mọi phường)"),
    "admin": N_("Quản trị viên"),
    "police": N_("Công an phường"),
    "urban_staff": N_("Cán bộ quản lý đô thị"),
    "leader": N_("Lãnh đạo (chỉ xem)"),
    "khu_pho_head": N_("Trưởng khu phố (nhiệm vụ của khu phố mình)"),
    "province": N_("Cán bộ cấp tỉnh (xem mọi phường)"),
}
# Roles that belong to no ward (``users.ward_id`` NULL): they see across the installation.
INSTALLATION_ROLES = frozenset({"superadmin", "province"})
# The roles a ward's own admin hands out: a super-admin is made only by another one (or the
# command line), never from inside a ward.
WARD_ROLE_LABELS = {k: v for k, v in ROLE_LABELS.items() if k not in INSTALLATION_ROLES}

PERMISSIONS: dict[str, frozenset[str]] = {
    # Owner name / phone / ID number (Decree 13/2023/NĐ-CP): police and admin only.
    "view_personal_data": frozenset({"police", "admin"}),
    "record_boarding_house": frozenset({"police", "admin"}),
    "inspect_boarding_house": frozenset({"police", "admin"}),
    "record_incident": frozenset({"police", "urban_staff", "admin"}),
    "work_incidents": frozenset({"police", "urban_staff", "admin"}),
    "publish_ranking": frozenset({"urban_staff", "admin"}),
    # Publish a month before it ends, or supersede a published one (with a reason).
    "override_ranking": frozenset({"admin"}),
    "enter_manual_scores": frozenset({"urban_staff", "admin"}),
    "edit_rubric": frozenset({"admin"}),
    "edit_plan": frozenset({"admin"}),
    "enter_target_values": frozenset({"urban_staff", "admin"}),
    "edit_model_streets": frozenset({"urban_staff", "admin"}),
    "manage_campaigns": frozenset({"urban_staff", "admin"}),
    # Remove a register entry for good (a tree felled, a camera taken down, a mistake): the
    # desk staff who keep the registers; police record on the phone but do not remove.
    "delete_register_entries": frozenset({"urban_staff", "admin"}),
    "manage_wards": frozenset({"superadmin"}),
    # The province view: every ward's map tiles, published rankings and summaries (no
    # personal data, no record pages).
    "view_province": frozenset({"superadmin", "province"}),
    "view_analysis": frozenset({"admin", "police", "urban_staff", "leader"}),
    "manage_users": frozenset({"admin"}),
    "read_audit": frozenset({"admin"}),
    # The plan as work (webapp.work): units and their people, tasks, progress, unit reports.
    # A khu phố head sees and reports only the tasks of their own unit(s).
    "view_work": frozenset({"admin", "police", "urban_staff", "leader", "khu_pho_head"}),
    "view_all_work": frozenset({"admin", "police", "urban_staff", "leader"}),
    "report_progress": frozenset({"admin", "police", "urban_staff", "khu_pho_head"}),
    "manage_units": frozenset({"admin"}),
    "manage_tasks": frozenset({"urban_staff", "admin"}),
    "consolidate_reports": frozenset({"urban_staff", "admin"}),
}

# Which violations each role records in the field; police handle residence, drugs and fire
# safety, urban-order staff the street-level categories.
RECORDABLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "police": ("residence", "drugs", "fire_safety", "encroachment_sidewalk", "encroachment_road",
               "illegal_advertising", "construction_order", "sanitation"),
    "urban_staff": ("encroachment_sidewalk", "encroachment_road", "illegal_advertising",
                    "construction_order", "sanitation"),
    "admin": ("encroachment_sidewalk", "encroachment_road", "illegal_advertising",
              "construction_order", "residence", "drugs", "fire_safety", "sanitation"),
    "leader": (),
    "province": (),
    "khu_pho_head": (),
}
RECORDABLE_CATEGORIES["superadmin"] = RECORDABLE_CATEGORIES["admin"]


def effective_roles(role: str) -> frozenset[str]:
    """A super-admin holds every permission of a ward admin, in the ward being worked in."""
    return frozenset({role, "admin"}) if role == "superadmin" else frozenset({role})


def can(permission: str, user=None) -> bool:
    user = user or current_user
    return bool(getattr(user, "is_authenticated", False)) and \
        bool(effective_roles(user.role) & PERMISSIONS[permission])


def require(permission: str):
    """Refuse the view with 403 unless the signed-in user has ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not can(permission):
                if request.path.startswith("/api/"):
                    from webapp.errors import ApiError

                    raise ApiError(403, N_("Bạn không có quyền thực hiện thao tác này."))
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
