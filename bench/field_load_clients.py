"""The phones of ``bench/bench_field_load.py``: one ``Officer`` per phone, signed in as its
own police account, sending records and resending what got no answer, and ``drive``, which
runs them all against the server (killing it mid-run with ``--kill``) and samples its CPU.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sys
import time
import uuid
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from bench.bench_field_load import Server

PASSWORD = "bench-officer-2026"
URL = "/api/v1/field/incidents"
BATCH_URL = "/api/v1/field/batch"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


class Officer:
    """One phone: its own session, address and records; it resends what got no answer."""

    def __init__(self, n: int, base: str, points, stats: dict, give_up: float) -> None:
        self.n, self.base, self.points, self.stats = n, base, points, stats
        self.rng, self.give_up, self.token = random.Random(n), give_up, None
        self.answered: dict[str, int] = {}
        self.multipart = False
        self.sent: set[str] = set()

    async def sign_in(self, http) -> None:
        while True:
            try:
                async with http.get(self.base + "/auth/login") as page:
                    token = TOKEN.search(await page.text()).group(1)
                form = {"username": f"canbo{self.n:02d}", "password": PASSWORD,
                        "csrf_token": token}
                async with http.post(self.base + "/auth/login", data=form,
                                     allow_redirects=False) as signed:
                    assert signed.status == 302, signed.status
                async with http.get(self.base + "/") as home:
                    self.token = TOKEN.search(await home.text()).group(1)
                return
            except (TimeoutError, aiohttp.ClientError, AttributeError):
                if time.monotonic() > self.give_up:
                    raise
                await asyncio.sleep(0.3)  # the server is restarting

    def payload(self) -> dict:
        lon, lat = self.rng.choice(self.points)
        jitter = self.rng.uniform(-4, 4) / 110_000
        return {"uuid": str(uuid.uuid4()), "category": "encroachment_sidewalk",
                "observed_at": "2026-11-01T09:30", "description": f"Tải thử {self.n}",
                "location": {"lon": lon + jitter, "lat": lat + jitter, "accuracy_m": 8.0,
                             "manual": False}}

    async def send(self, http, payload: dict) -> int | None:
        """One POST; its status (``None``: no answer) and, when answered, its latency."""
        raw = json.dumps(payload, ensure_ascii=False)
        if self.multipart:
            sent = {"data": aiohttp.FormData({"payload": raw}, default_to_multipart=True)}
        else:
            sent = {"data": raw.encode(), "headers": {"Content-Type": "application/json"}}
        headers = {"X-CSRFToken": self.token, **sent.pop("headers", {})}
        started = time.perf_counter()
        try:
            async with http.post(self.base + URL, headers=headers, **sent) as answer:
                body = await answer.json(content_type=None)
                status = answer.status
        except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError):
            self.stats["no_answer"] += 1
            return None
        self.stats["statuses"][status] = self.stats["statuses"].get(status, 0) + 1
        if status in (200, 201):
            self.stats["answers"].append((time.monotonic(), time.perf_counter() - started,
                                          status))
            known = self.answered.setdefault(payload["uuid"], body["id"])
            assert known == body["id"], "one UUID answered with two records"
        return status

    async def deliver(self, http, payload: dict) -> None:
        """Send until answered; no answer or a 5xx is retried with the same UUID, a 4xx is
        a refusal (a 409 here would be a false conflict: counted in the statuses)."""
        while time.monotonic() < self.give_up:
            status = await self.send(http, payload)
            if status in (200, 201):
                return
            if status == 401:
                await self.sign_in(http)
                continue
            if status is not None and status < 500:
                return
            await asyncio.sleep(0.2)

    async def send_batch(self, http, payloads: list[dict]) -> list[int | None]:
        """One batch POST; each record's status (``None``: no answer)."""
        raw = json.dumps({"records": [{"url": URL, "payload": p} for p in payloads]},
                         ensure_ascii=False).encode()
        headers = {"X-CSRFToken": self.token, "Content-Type": "application/json"}
        started = time.perf_counter()
        try:
            async with http.post(self.base + BATCH_URL, headers=headers, data=raw) as answer:
                body = await answer.json(content_type=None)
                status = answer.status
        except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError):
            self.stats["no_answer"] += len(payloads)
            return [None] * len(payloads)
        latency = time.perf_counter() - started
        self.stats["requests"].append(latency)
        results = body["results"] if status == 200 else [{"status": status}] * len(payloads)
        statuses = []
        for payload, result in zip(payloads, results, strict=True):
            code = result["status"]
            statuses.append(code)
            self.stats["statuses"][code] = self.stats["statuses"].get(code, 0) + 1
            if code in (200, 201):
                self.stats["answers"].append((time.monotonic(), latency, code))
                known = self.answered.setdefault(payload["uuid"], result["id"])
                assert known == result["id"], "one UUID answered with two records"
        return statuses

    async def deliver_batch(self, http, payloads: list[dict]) -> None:
        """Send until each record is answered; what got no answer or a 5xx is resent."""
        while payloads and time.monotonic() < self.give_up:
            statuses = await self.send_batch(http, payloads)
            if 401 in statuses:
                await self.sign_in(http)
            payloads = [p for p, s in zip(payloads, statuses, strict=True)
                        if s is None or s >= 500 or s == 401]
            if payloads:
                await asyncio.sleep(0.2)

    async def run(self, signed_in: asyncio.Queue, go: asyncio.Event, retry_share: float,
                  batch: int = 1) -> None:
        connector = aiohttp.TCPConnector(local_addr=(f"127.0.1.{self.n + 1}", 0))
        jar = aiohttp.CookieJar(unsafe=True)  # keep cookies of an IP address (127.0.0.1)
        async with aiohttp.ClientSession(connector=connector, cookie_jar=jar,
                                         timeout=aiohttp.ClientTimeout(total=30)) as http:
            await self.sign_in(http)
            signed_in.put_nowait(self.n)
            await go.wait()  # the clock starts when every officer is signed in
            pace = self.stats.get("interval")  # --rate: one batch per interval, open loop
            due = time.monotonic() + (self.rng.uniform(0, pace) if pace else 0)
            while batch > 1 and time.monotonic() < self.stats["until"]:
                if pace:
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                    due += pace
                payloads = [self.payload() for _ in range(batch)]
                self.sent.update(p["uuid"] for p in payloads)
                if self.rng.random() < retry_share / 2:  # the same batch twice at once
                    await asyncio.gather(self.deliver_batch(http, payloads),
                                         self.deliver_batch(http, payloads))
                else:
                    await self.deliver_batch(http, payloads)
                if self.rng.random() < retry_share / 2:  # resent later: 200 replays
                    await self.send_batch(http, payloads)
            while batch == 1 and time.monotonic() < self.stats["until"]:
                payload = self.payload()
                self.sent.add(payload["uuid"])
                if self.rng.random() < retry_share / 2:  # the same record twice at once
                    await asyncio.gather(self.deliver(http, payload),
                                         self.deliver(http, payload))
                else:
                    await self.deliver(http, payload)
                if self.rng.random() < retry_share / 2:  # resent later: a 200 replay
                    await self.send(http, payload)


async def drive(server: Server, points, args) -> tuple[list[Officer], dict, float]:
    stats = {"answers": [], "requests": [], "statuses": {}, "no_answer": 0,
             "until": float("inf")}
    if args.rate:  # each phone sends a batch every interval: args.rate records/s offered
        stats["interval"] = args.clients * args.batch / args.rate
    signed_in, go = asyncio.Queue(), asyncio.Event()
    officers = [Officer(n, server.base, points, stats, time.monotonic() + 600)
                for n in range(args.clients)]
    for officer in officers:
        officer.multipart = args.multipart
    tasks = [asyncio.create_task(o.run(signed_in, go, args.retry_share, args.batch))
             for o in officers]
    while signed_in.qsize() < len(officers):
        for task in tasks:
            if task.done():
                task.result()  # an officer who could not sign in stops the run
        await asyncio.sleep(0.2)
    started = time.monotonic()
    stats["until"] = started + args.seconds
    for officer in officers:
        officer.give_up = started + args.seconds + 120
    server.cpu.clear()  # sign-ins (Argon2) are not the submissions' cost
    server.db_cpu.clear()
    server.sample_cpu()
    stats["cpu_at_start"] = (sum(server.cpu.values()), sum(server.db_cpu.values()))
    go.set()
    if args.kill:
        await asyncio.sleep(args.seconds / 2)
        server.kill()
        stats["kill_at_s"] = round(time.monotonic() - started, 1)
        stats["restart_s"] = round(await asyncio.to_thread(server.start), 1)
    while not all(t.done() for t in tasks):
        server.sample_cpu()
        await asyncio.sleep(1)
        if args.verbose:
            print(f"{time.monotonic() - started:5.0f} s: {len(stats['answers'])} answers, "
                  f"{stats['no_answer']} unanswered, {stats['statuses']}, "
                  f"{sum(not t.done() for t in tasks)} phones busy", file=sys.stderr)
    for task in tasks:
        task.result()
    return officers, stats, time.monotonic() - started
