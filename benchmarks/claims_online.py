"""Online claims on PostgreSQL: a member's 2-line claim through the whole application path —
load the contract, the person and their limit usage, decide with the engine, store the claim,
its lines, the decision, the history and the payment — timed per claim, with its SQL queries.

    python benchmarks/claims_online.py                 # 1 000 claims, HTTP too
    python benchmarks/claims_online.py --claims 300 --no-http

Needs PostgreSQL: ``ZDRAVE_DATABASE_URL`` (an empty scratch database: it is migrated and
filled), else it starts the throw-away cluster of ``scripts/postgres.sh`` on port 54360 and uses
a fresh database ``zdrave_bench`` in it.

Baseline from the same run: the straightforward ORM path a Django project writes first (create
the claim and lines, then ``zdrave.claims.actions.decide.adjudicate_claim`` loads and decides
it) for the same claims. openIMIS, the open-source reference, needs about 85 ms and 66 queries
for such a claim (issue 10); the target is median ≤ 4 ms and ≤ 12 queries.

HTTP: the same submission through ``POST /api/v1/claims/`` under gunicorn with 2 workers,
signed-in members posting from 4 client threads for ``--seconds``; claims per second and latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
PASSWORD = "Bench-pass-2026"  # noqa: S105 (throw-away accounts in a scratch database)
WRITE = re.compile(r'(INSERT INTO|(?<!FOR )UPDATE) "')
DOCUMENTS = ["claim-form", "ambulatory-sheet", "test-results", "imaging-report", "invoice",
             "fiscal-receipt"]  # fmt: skip


def database_url() -> str:
    url = os.environ.get("ZDRAVE_DATABASE_URL")
    if url:
        return url
    env = {**os.environ, "ZDRAVE_PG_PORT": "54360", "ZDRAVE_PG_DIR": "/tmp/zdrave-pg-bench"}  # noqa: S108
    base = subprocess.run(
        ["bash", str(REPO / "scripts" / "postgres.sh"), "start"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    admin = base.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS zdrave_bench")
        conn.execute("CREATE DATABASE zdrave_bench")
    return base.rsplit("/", 1)[0] + "/zdrave_bench"


def setup_django(url: str, media: str) -> None:
    os.environ["ZDRAVE_DATABASE_URL"] = url
    os.environ["ZDRAVE_PRIVATE_MEDIA"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)


def make_members(count: int) -> list:
    """``count`` members, each with an individual health contract in force (package 2, full,
    Б2) built through the contracts actions, and an account to sign in with."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from stdnum.bg import egn

    from zdrave.contracts import actions
    from zdrave.contracts.models import ContractType, HolderKind, IdKind, MemberRole

    start = timezone.localdate() - dt.timedelta(days=200)
    members = []
    for n in range(count):
        user = get_user_model().objects.create_user(
            username=f"bench{n}", password=PASSWORD, role="member", email=f"b{n}@example.bg"
        )
        # ЕГН: a birth date and a 3-digit serial — 999 people a day, then the next day.
        born = dt.date(1985, 1, 1) + dt.timedelta(days=n // 999)
        serial = f"{n % 999:03d}"
        base = f"{born:%y%m%d}{serial}"
        number = base + egn.calc_check_digit(base)
        person = actions.register_person(
            actor=None,
            first_name="Иван",
            last_name=f"Пробен{n}",
            id_kind=IdKind.EGN,
            id_number=number,
            user=user,
        )
        holder = actions.create_holder(
            actor=None,
            kind=HolderKind.PERSON,
            name=person.full_name,
            identifier=number,
            person=person,
            users=[user],
        )
        contract = actions.create_contract(
            actor=None,
            number=f"B-{n:05d}",
            type=ContractType.INDIVIDUAL,
            holder=holder,
            product_code="health",
            start=start,
            end=start + dt.timedelta(days=364),
        )
        member = actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
        actions.add_cover(
            contract,
            actor=None,
            member=member,
            product_code="health",
            package=2,
            option="full",
            clause="Б2",
        )
        actions.put_in_force(contract, actor=None)
        members.append((user, member))
    return members


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 560), (200, 180, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def claim_input(member, key: str, n: int):
    from django.utils import timezone

    from zdrave.claims.actions.intake import ClaimInput, LineInput

    day = timezone.localdate() - dt.timedelta(days=1 + n % 90)
    return ClaimInput(
        member=member,
        kind="outpatient",
        lines=[
            # Amounts differ per claim: the same person, day and amount would be a duplicate.
            LineInput("2.8.e", day, Decimal("40.00") + Decimal(n) / 100, invoice_number=f"F{n}a"),
            LineInput("2.1.a", day, Decimal("25.00") + Decimal(n) / 100, invoice_number=f"F{n}b"),
        ],
        iban="BG80BNBG96611020345678",
        payee_name="Ivan Proben",
        provider="МЦ Бенчмарк",
        diagnosis="M54.5",
        idempotency_key=key,
    )


def writes_in(captured) -> int:
    """The table writes among the statements (one ``WITH`` statement may hold several)."""
    return sum(len(WRITE.findall(q["sql"])) for q in captured.captured_queries)


def run_application_path(
    members, claims: int, offset: int = 0
) -> tuple[list[float], list[int], dict, list[float], list[int]]:
    """``submit_claim`` per claim: the files are staged first (the member uploads them while
    filling the form), only the submission is timed."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zdrave.claims.actions.intake import stage_upload, submit_claim

    photo = _photo()
    times, queries, statuses, cpu, writes = [], [], {}, [], []
    for n in range(claims):
        user, member = members[(offset + n) % len(members)]
        key = uuid.uuid4().hex
        for doc in DOCUMENTS:
            stage_upload(
                SimpleUploadedFile(f"{doc}.jpg", photo, "image/jpeg"),
                actor=user,
                form_key=key,
                document=doc,
            )
        data = claim_input(member, key, offset + n)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            claim = submit_claim(data, actor=user)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        queries.append(len(captured.captured_queries))
        writes.append(writes_in(captured))
        statuses[claim.status] = statuses.get(claim.status, 0) + 1
    return times, queries, statuses, cpu, writes


def run_baseline(
    members, claims: int, offset: int = 0
) -> tuple[list[float], list[int], list[float], list[int]]:
    """The straightforward ORM path: create the claim and its lines, then load and decide it
    (``adjudicate_claim``), one claim at a time."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from zdrave.claims.actions.decide import adjudicate_claim
    from zdrave.claims.models import Claim, ClaimLine

    times, queries, cpu, writes = [], [], [], []
    for n in range(claims):
        _user, member = members[(offset + n) % len(members)]
        data = claim_input(member, "", offset + n)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            with transaction.atomic():
                claim = Claim.objects.create(
                    contract=member.contract,
                    member=member,
                    form="reimbursement",
                    submitted=timezone.localdate(),
                    diagnosis=data.diagnosis,
                    documents=DOCUMENTS,
                )
                for index, line in enumerate(data.lines):
                    ClaimLine.objects.create(
                        claim=claim,
                        member=member,
                        index=index,
                        service=line.service,
                        date=line.date,
                        amount=line.amount,
                    )
            adjudicate_claim(claim.pk)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        queries.append(len(captured.captured_queries))
        writes.append(writes_in(captured))
    return times, queries, cpu, writes


def prepared_plans() -> str:
    """How PostgreSQL planned this connection's prepared statements: a generic plan is made
    once, a custom plan at every execution (the planner's CPU each time)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name"
        )
        return ", ".join(f"{name} {generic}/{custom}" for name, generic, custom in cursor)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(name: str, times, queries, cpu, writes) -> None:
    """Wall time per claim; this process's CPU time per claim (Python, Django, psycopg: the
    rest of the wall time is the server and waiting for it); SQL statements sent per claim
    (round trips, BEGIN and COMMIT included) and the table writes among them."""
    print(
        f"{name:<34} median {statistics.median(times) * 1000:6.2f} ms  "
        f"p95 {percentile(times, 95) * 1000:6.2f} ms  "
        f"client CPU median {statistics.median(cpu) * 1000:5.2f} ms  "
        f"statements median {statistics.median(queries):3.0f} max {max(queries):3d}  "
        f"table writes {statistics.median(writes):2.0f}  ({len(times)} claims)"
    )


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


# -- HTTP --------------------------------------------------------------------------------------


class Client:
    """A signed-in member on one keep-alive connection."""

    def __init__(self, port: int, username: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self._request("GET", "/accounts/login/")
        body = urlencode(
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        )
        status, _ = self._request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise SystemExit(f"sign-in of {username} failed: HTTP {status}")

    def _request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Referer"] = "http://127.0.0.1/"
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, data

    def post_claim(self, payload: dict) -> tuple[int, bytes]:
        return self._request(
            "POST",
            "/api/v1/claims/",
            json.dumps(payload),
            {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
        )


def run_http(members, seconds: float, threads: int, url: str, media: str, port: int) -> None:
    env = {
        **os.environ,
        "ZDRAVE_DATABASE_URL": url,
        "ZDRAVE_PRIVATE_MEDIA": media,
        "ZDRAVE_BIND": f"127.0.0.1:{port}",
        "ZDRAVE_WORKERS": "2",
        "ZDRAVE_SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "ZDRAVE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to HTTPS (the proxy terminates TLS in production).
        "ZDRAVE_SSL_REDIRECT": "0",
        "ZDRAVE_VAR_DIR": tempfile.mkdtemp(prefix="zdrave-bench-var-"),
        "PYTHONPATH": str(REPO / "src"),
    }
    # Production mode serves collected, hashed static files (docs/deployment.md).
    subprocess.run(
        [str(Path(sys.executable).parent / "zdrave"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:zdrave.gunicorn_conf", "zdrave.wsgi"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        latencies: list[float] = []
        failures: list[int] = []
        lock = threading.Lock()
        # The server checks passwords with the production hashers (this process set a fast one
        # for the many throw-away accounts).
        from django.contrib.auth.hashers import Argon2PasswordHasher

        for user, _member in members[-threads:]:
            user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
            user.save(update_fields=["password"])
        # Sign everyone in first (the workers load the products on their first requests).
        clients = [
            (Client(port, members[-1 - t][0].username), members[-1 - t][1]) for t in range(threads)
        ]
        deadline = time.perf_counter() + seconds

        def work(t: int) -> None:
            client, member = clients[t]
            n = 0
            while time.perf_counter() < deadline:
                day = (dt.date.today() - dt.timedelta(days=1 + n % 90)).isoformat()
                payload = {
                    "member": member.pk,
                    "kind": "outpatient",
                    "iban": "BG80BNBG96611020345678",
                    "diagnosis": "M54.5",
                    "lines": [
                        {"service": "2.8.e", "date": day, "amount": "40.00"},
                        {"service": "2.1.a", "date": day, "amount": "25.00"},
                    ],
                }
                started = time.perf_counter()
                status, _body = client.post_claim(payload)
                elapsed = time.perf_counter() - started
                with lock:
                    (latencies if status == 201 else failures).append(
                        elapsed if status == 201 else status
                    )
                n += 1

        workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
        started = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        wall = time.perf_counter() - started
        if not latencies:
            print(f"HTTP: no claim accepted; statuses {sorted(set(failures))}")
            return
        print(
            f"HTTP POST /api/v1/claims/ (gunicorn, 2 workers, {threads} clients): "
            f"{len(latencies) / wall:.0f} claims/s, median {statistics.median(latencies) * 1000:.1f} ms, "
            f"p95 {percentile(latencies, 95) * 1000:.1f} ms, {len(failures)} failed {sorted(set(failures))}"
        )
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--no-analyze", action="store_true", help="no ANALYZE after filling the database"
    )
    parser.add_argument("--port", type=int, default=8765, help="gunicorn's port on loopback")
    args = parser.parse_args()
    url = database_url()
    media = tempfile.mkdtemp(prefix="zdrave-bench-media-")
    setup_django(url, media)
    from django.db import connection

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {connection.cursor().connection.info.server_version}"
    )
    # One claim per person in each run, so that limits used by one run do not refuse the next.
    warm = min(50, args.claims)
    members = make_members(warm + 2 * args.claims + args.threads)
    run_application_path(members, warm)  # loads the product index and warms the connection
    if not args.no_analyze:
        # The tables were filled seconds ago: give the planner the statistics autovacuum keeps
        # in a database in service (else it plans the prepared statements for the empty tables
        # it last analysed: sequential scans; docs/performance.md, "Online claims: 4 ms").
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"before: {load()}")
    times, queries, statuses, cpu, writes = run_application_path(members, args.claims, warm)
    plans = prepared_plans()
    base = run_baseline(members, args.claims, offset=warm + args.claims)
    print(f"after: {load()}")
    report("application path (submit_claim)", times, queries, cpu, writes)
    report("baseline (ORM + adjudicate_claim)", *base)
    print(f"statuses after submission: {statuses}")
    print(f"prepared statements (executions planned generic / custom): {plans}")
    if not args.no_http:
        run_http(members, args.seconds, args.threads, url, media, args.port)
        print(f"after HTTP: {load()}")


if __name__ == "__main__":
    main()
