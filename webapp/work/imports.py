"""Thin views of the task-table import: upload → dry run (every row checked, nothing
stored) → confirm (all or nothing), the upload kept under a token as on the import page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import uploads
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.i18n import say
from webapp.services import work as service
from webapp.work import bp, common

SUFFIXES = {".xlsx"}


@bp.route("/tasks/import", methods=["GET", "POST"])
@require("manage_tasks")
def import_tasks():
    ward = common.ward()
    if request.method == "GET":
        return render_template("work/import.html", ward=ward, table=None, token=None)
    upload = request.files.get("file")
    if upload and upload.filename:
        try:
            token = uploads.save(upload, SUFFIXES)
        except uploads.UploadError as err:
            flash(say(err.args[0]), "error")
            return redirect(url_for("work.import_tasks"))
    else:
        token = request.form.get("token", "")
    path = uploads.stored(token)
    if path is None:
        flash(_("Chưa chọn tệp, hoặc tệp đã hết hạn: hãy tải tệp lên lại."), "error")
        return redirect(url_for("work.import_tasks"))
    if request.form.get("action") == "commit":
        try:
            count = service.import_task_table(db.engine, ward.id, path, current_user.id,
                                              path.name)
        except service.ImportRefused as refused:
            flash(_("Không nhập: bảng có lỗi. Chưa lưu nhiệm vụ nào."), "error")
            return _report(ward, refused.table, token, path.name, 422)
        uploads.discard(token)
        flash(_("Đã nhập %(count)d nhiệm vụ.", count=count), "info")
        return redirect(url_for("work.board"))
    return _report(ward, service.check_task_table(db.conn, ward.id, path), token, path.name)


def _report(ward, table, token, filename, status=200):
    return render_template("work/import.html", ward=ward, table=table, token=token,
                           filename=filename), status
