"""Production by default (issue 8): what a visitor, an attacker and an operator notice with no
environment variable set — headers, error pages, request and session limits, and a server that
will not start with the public development key."""

import io
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import include, path

from contracts.factories import PASSWORD, make_user
from zdrave.base.documents.validation import MAX_UPLOAD_BYTES
from zdrave.base.identity.middleware import LAST_SEEN_AT, SIGNED_IN_AT


def _boom(request):
    raise RuntimeError("secret-local-variable-value")


urlpatterns = [path("boom/", _boom), path("", include("zdrave.urls"))]


def test_debug_is_off_without_asking_for_it():
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_SECURE


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/", secure=True)
    header = response["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in header.split(";"))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert policy["frame-ancestors"] == "'none'"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_plain_http_is_sent_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/products/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/products/"


@pytest.mark.django_db
def test_an_unknown_address_shows_the_translated_404_page_without_the_url_list(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Страницата не е намерена" in page
    assert "URLconf" not in page
    assert "admin/" not in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_shows_the_translated_500_page_without_the_traceback(client):
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="bg")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Възникна грешка" in page
    assert "secret-local-variable-value" not in page
    assert "Traceback" not in page
    assert "csrfmiddlewaretoken" not in page

    english = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Something went wrong" in english.content.decode()


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def test_the_request_limit_leaves_room_for_the_largest_upload_and_its_form():
    assert MAX_UPLOAD_BYTES < settings.ZDRAVE_MAX_REQUEST_BYTES <= MAX_UPLOAD_BYTES + 2 * 2**20


@pytest.mark.django_db
def test_a_50_mb_body_is_refused_with_413_before_a_byte_of_it_is_read(client):
    member = make_user("maria")
    client.force_login(member)
    body = b"x" * (50 * 1024 * 1024)
    stream = CountingStream(body)
    response = client.generic(
        "POST",
        "/extra-care/opinions/cases/1/upload/",
        data=b"",
        content_type="multipart/form-data; boundary=zz",
        **{"CONTENT_LENGTH": str(len(body)), "wsgi.input": stream},
    )
    assert response.status_code == 413
    assert "твърде голяма" in response.content.decode() or "too large" in response.content.decode()
    assert stream.bytes_read == 0


@pytest.mark.django_db
def test_a_body_within_the_limit_reaches_the_view(client):
    response = client.post("/accounts/login/", {"username": "x" * 1000, "password": "y"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_each_request_moves_the_30_minute_idle_limit_on(client):
    make_user("maria")
    client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    response = client.get("/home/")
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


@pytest.mark.django_db
def test_the_idle_limit_moves_on_at_most_once_a_minute(client):
    """Not one session write per request (a page and its polling would contend for the row),
    but one a minute: the idle limit is exact to a minute."""
    make_user("maria")
    client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    client.get("/home/")
    assert "sessionid" not in client.get("/home/").cookies  # touched a moment ago: no write

    session = client.session
    session[LAST_SEEN_AT] = int(time.time()) - 61
    session.save()
    response = client.get("/home/")
    assert response.cookies["sessionid"]["max-age"] == 30 * 60


@pytest.mark.django_db
def test_a_session_ends_10_hours_after_signing_in_however_active(client):
    make_user("maria")
    client.post("/accounts/login/", {"username": "maria", "password": PASSWORD})
    assert client.get("/home/").status_code == 200

    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 10 * 60 * 60 + 60
    session.save()
    assert client.get("/home/").status_code == 200  # 9 h 59 min: still in

    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 10 * 60 * 60 - 1
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/home/").status_code == 302


def _run(args, **env):
    # Nothing of the test run's own environment (the browser tests allow async-unsafe ORM calls).
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZDRAVE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    base["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run(
        [sys.executable, *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["-m", "zdrave.cli", "runserver", "--noreload"],
        ["-c", "import zdrave.wsgi"],
        # The API instance refuses before its workers start (else granian respawns them).
        ["-m", "zdrave.granian_conf"],
    ],
    ids=["runserver", "wsgi", "granian"],
)
def test_production_mode_refuses_to_start_with_the_public_key(args, tmp_path):
    result = _run(args, ZDRAVE_VAR_DIR=str(tmp_path), ZDRAVE_BIND="127.0.0.1:18997")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ZDRAVE_SECRET_KEY is not set.")
    assert "ZDRAVE_DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_mode_starts_with_the_built_in_key(tmp_path):
    result = _run(["-c", "import zdrave.wsgi"], ZDRAVE_DEBUG="1", ZDRAVE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_for_the_documented_production_settings(tmp_path):
    production = {
        "ZDRAVE_SECRET_KEY": "k" + "".join(f"{n:02d}-x7Q" for n in range(20)),
        "ZDRAVE_ALLOWED_HOSTS": "zdrave.example.bg",
        "ZDRAVE_VAR_DIR": str(tmp_path),
    }
    result = _run(
        ["-m", "zdrave.cli", "check", "--deploy", "--fail-level", "WARNING"], **production
    )
    assert result.returncode == 0, result.stdout + result.stderr

    without_key = {k: v for k, v in production.items() if k != "ZDRAVE_SECRET_KEY"}
    refused = _run(
        ["-m", "zdrave.cli", "check", "--deploy", "--fail-level", "WARNING"], **without_key
    )
    assert refused.returncode == 1
    assert "security.W009" in refused.stderr
