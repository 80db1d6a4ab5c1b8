"""The early-warning digest by e-mail (both backends): ``urbanorder tasks warn`` with SMTP
settings mails each unit's people with an e-mail the flagged tasks of their unit, in their
language — against a small SMTP server run by the test itself (no outside service)."""

from __future__ import annotations

import base64
import email
import socketserver
import threading
from email import policy

import pytest

from models import records
from models import work_queries as store
from tests.webapp.work.test_work_pages import _task, app, as_role  # noqa: F401  (fixtures)
from webapp.extensions import db
from webapp.users import create_user


class _SmtpStub(socketserver.StreamRequestHandler):
    """Enough SMTP for smtplib: EHLO (AUTH PLAIN, 8BITMIME), AUTH, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        def say(line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        say("220 stub ESMTP")
        envelope: dict = {}
        while line := self.rfile.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.upper()
            if verb.startswith("EHLO"):
                say("250-stub")
                say("250-AUTH PLAIN")
                say("250 8BITMIME")
            elif verb.startswith("AUTH PLAIN"):
                self.server.logins.append(base64.b64decode(command.split()[2]).split(b"\0"))
                say("235 2.7.0 accepted")
            elif verb.startswith("MAIL FROM"):
                envelope = {"from": command[10:].split()[0].strip("<>"), "to": []}
                say("250 ok")
            elif verb.startswith("RCPT TO"):
                envelope["to"].append(command[8:].strip().strip("<>"))
                say("250 ok")
            elif verb == "DATA":
                say("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                envelope["message"] = email.message_from_bytes(data, policy=policy.default)
                self.server.received.append(envelope)
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpStub)
    server.daemon_threads = True
    server.received, server.logins = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp_settings(app, smtp_server):  # noqa: F811  (the imported fixture)
    saved = {k: app.config.get(k) for k in app.config if k.startswith("SMTP_")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.server_address[1],
                      SMTP_FROM="canh-bao@phuong.example", SMTP_USER="urbanorder",
                      SMTP_PASSWORD="mat-khau-smtp", SMTP_STARTTLS=False)
    yield app.config
    app.config.update(saved)


def _warn(app):  # noqa: F811
    from webapp.cli import cli

    return app.test_cli_runner().invoke(cli, ["tasks", "warn", "--ward", app.ward.code])


def test_each_units_people_get_their_units_flagged_tasks(app, as_role, smtp_server,  # noqa: F811
                                                         smtp_settings):
    late = _task(app, f"M{app.tag}", "kp", days=-1)
    other = _task(app, f"N{app.tag}", "police", days=-2)
    # The khu phố head's e-mail, set by the admin on the user's page (audited).
    admin = as_role("admin")
    with app.app_context():
        head = records.user_by_username(db.conn, app.head)
    form = {"csrf_token": admin.csrf, "full_name": "Trưởng khu phố", "role": "khu_pho_head",
            "active": "y", "language": "", "email": "khong-hop-le"}
    refused = admin.post(f"/admin/users/{head.id}", data=form)
    assert refused.status_code == 400 and "E-mail không hợp lệ." in refused.get_data(as_text=True)
    saved = admin.post(f"/admin/users/{head.id}", data={**form, "email": "truongkp@example.vn"})
    assert saved.status_code in (200, 302)
    with app.app_context(), db.transaction() as tx:
        assert records.user_by_username(tx, app.head).email == "truongkp@example.vn"
        # A UBND member with an e-mail, whose unit has nothing flagged: no message.
        ubnd_id, _ = create_user(tx, app.ward.id, f"ubnd{app.tag}", "urban_staff",
                                 "ubnd-pass-2026-long")
        records.update_user(tx, ubnd_id, email="ubnd@example.vn")
        store.add_member(tx, app.ward.id, app.units["ubnd"], ubnd_id, "Cán bộ")
    result = _warn(app)
    assert result.exit_code == 0, result.output
    assert "Đã gửi e-mail tới 1 người." in result.output
    (sent,) = smtp_server.received
    assert sent["from"] == "canh-bao@phuong.example" and sent["to"] == ["truongkp@example.vn"]
    message = sent["message"]
    assert "nhiệm vụ cần chú ý" in message["Subject"] and app.ward.name in message["Subject"]
    body = message.get_content()
    assert f"M{app.tag}" in body and "[Quá hạn]" in body and f"N{app.tag}" not in body
    assert smtp_server.logins[-1][1:] == [b"urbanorder", b"mat-khau-smtp"]
    # A person who chose English gets the digest in English.
    with app.app_context(), db.transaction() as tx:
        records.update_user(tx, head.id, language="en")
    assert _warn(app).exit_code == 0
    english = smtp_server.received[-1]["message"]
    assert "tasks need attention" in english["Subject"]
    assert "[Overdue]" in english.get_content()
    assert late and other


def test_a_server_without_starttls_is_refused_when_starttls_is_on(app, smtp_server,  # noqa: F811
                                                                  smtp_settings):
    _task(app, f"T{app.tag}", "kp", days=-1)
    with app.app_context(), db.transaction() as tx:
        head = records.user_by_username(tx, app.head)
        records.update_user(tx, head.id, email="truongkp@example.vn")
    smtp_settings["SMTP_STARTTLS"] = True
    result = _warn(app)
    assert result.exit_code == 1 and "Không gửi được e-mail qua 127.0.0.1" in result.output
    assert smtp_server.received == []
