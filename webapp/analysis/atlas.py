"""The ranking atlas (a page per khu phố) printed as a background job: start, progress,
download. The page works without JavaScript (it refreshes itself); with it, it asks the
JSON state every second."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from geo import formatting as fmt
from webapp import printing
from webapp.analysis import bp, common
from webapp.analysis.printing import bad_request, paper_and_month
from webapp.auth.permissions import require
from webapp.extensions import db
from webapp.i18n import current_language
from webapp.services import print_jobs


def _instance():
    return current_app.config["INSTANCE_DIR"]


@bp.post("/ranking/atlas")
@require("view_analysis")
def atlas_start():
    ward = common.ward()
    try:
        paper, month = paper_and_month(request.form, ward)
    except printing.PrintError as bad:
        return bad_request(bad.args[0])
    # The job runs after this request: it keeps the requester's language for its pages,
    # its title and its messages.
    engine, log, locale = db.engine, current_app.logger, current_language()
    name = printing.filename("xep-hang", ward, paper, month, atlas=True,
                             stamp=print_jobs.stamp())

    def work(progress):
        with engine.connect() as conn:
            return printing.ranking_pdf(conn, ward, month, paper, atlas=True,
                                        on_page=progress, locale=locale)

    title = _("Tập bản đồ xếp hạng khu phố tháng %(month)s, khổ %(paper)s",
              month=fmt.month(month, locale=locale), paper=paper)
    job = print_jobs.start(_instance(), ward_id=ward.id, user_id=current_user.id,
                           title=title, filename=name, work=work, log=log, locale=locale)
    return redirect(url_for("analysis.atlas_job", job_id=job.id), code=303)


def _job(job_id: str) -> print_jobs.JobState:
    """The job if it is the user's ward's (else 404: its existence is not told)."""
    job = print_jobs.load(_instance(), job_id)
    if job is None or job.ward_id != common.ward().id:
        abort(404)
    return job


def _state(job: print_jobs.JobState) -> dict:
    return {"status": job.status, "done": job.done, "total": job.total,
            "message": job.message, "title": job.title,
            "download": url_for("analysis.atlas_download", job_id=job.id)
            if job.ready else None, "filename": job.filename}


@bp.get("/ranking/atlas/<job_id>")
@require("view_analysis")
def atlas_job(job_id: str):
    job = _job(job_id)
    return render_template("analysis/atlas_job.html", job=job, state=_state(job),
                           poll_url=url_for("analysis.atlas_state", job_id=job.id))


@bp.get("/ranking/atlas/<job_id>.json")
@require("view_analysis")
def atlas_state(job_id: str):
    response = jsonify(_state(_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/ranking/atlas/<job_id>/download")
@require("view_analysis")
def atlas_download(job_id: str):
    job = _job(job_id)
    if not job.ready:
        abort(404)
    response = send_file(print_jobs.result_path(_instance(), job), mimetype="application/pdf",
                         as_attachment=True, download_name=job.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
