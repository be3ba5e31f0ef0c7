"""No one-time token in any log: the production access logs (gunicorn with the project's config,
granian with the API instance's) and Django's request log, run for real."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

TOKEN = "Zq9-SECRET-TOKEN-abc123"
RESET_TOKEN = "cz1-SECRETRESET0f00"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "python:zdrave.gunicorn_conf", "zdrave.wsgi"]
GRANIAN = [sys.executable, "-m", "zdrave.granian_conf"]  # the eligibility API's instance


@contextlib.contextmanager
def _serving(command: list[str], tmp_path):
    """The production server ``command`` on a free port of loopback, as the deployment runs it
    (collected static files, production settings): (its base URL, its log file)."""
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZDRAVE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env |= {
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "ZDRAVE_SECRET_KEY": "test-" + "x9" * 30,
        "ZDRAVE_VAR_DIR": str(tmp_path),
        "ZDRAVE_SSL_REDIRECT": "0",
        "ZDRAVE_BIND": f"127.0.0.1:{port}",
        "ZDRAVE_WORKERS": "1",
    }
    # As the deployment does (docs/deployment.md): the manifest storage serves collected files.
    collect = [sys.executable, "-m", "zdrave.cli", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, env=env, check=True, timeout=120)
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # a loaded CI machine boots a worker slowly
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/no-such-page/", timeout=5)  # noqa: S310
            except urllib.error.HTTPError:
                break  # up: it answers 404
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        yield base, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a worker still busy on a loaded machine
            server.kill()
            server.wait()


@pytest.mark.parametrize("command", [GUNICORN, GRANIAN], ids=["gunicorn", "granian"])
def test_access_log_and_django_log_never_show_a_sign_in_or_reset_token(command, tmp_path):
    with _serving(command, tmp_path) as (base, log):
        for path in (
            f"/extra-care/opinions/sign-in/{TOKEN}/?next=/home/",
            f"/accounts/password/reset/MQ/{RESET_TOKEN}/",
        ):
            # A fresh database: the page may fail; its log line is what counts.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(base + path, timeout=30)  # noqa: S310
    text = log.read_text()
    assert "/extra-care/opinions/sign-in/[hidden]" in text
    assert "/accounts/password/reset/MQ/[hidden]" in text
    assert TOKEN not in text
    assert RESET_TOKEN not in text
    assert "next=" not in text


def test_granian_serves_the_eligibility_api_and_the_pages_as_gunicorn_does(tmp_path):
    """The API instance's server (``zdrave.granian_conf``, issue 12): the lean eligibility
    path answers a request without a key 401 in JSON with the security headers, anything else
    goes to Django (its CSRF refusal of a POST, a collected static file from whitenoise), and
    each request is one access-log line with the forwarded address and no query string."""
    with _serving(GRANIAN, tmp_path) as (base, log):
        request = urllib.request.Request(  # noqa: S310 (loopback, our own server)
            f"{base}/api/v1/eligibility/?egn=7501020018&service=2.1.b",
            headers={"X-Forwarded-For": "192.0.2.7", "Accept-Language": "en"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)  # noqa: S310
        assert refused.value.code == 401
        assert json.loads(refused.value.read()) == {"detail": "Unauthorized"}
        assert refused.value.headers["X-Content-Type-Options"] == "nosniff"
        assert refused.value.headers["Content-Language"] == "en"

        post = urllib.request.Request(  # noqa: S310 (loopback, our own server)
            f"{base}/accounts/login/", data=b"username=x", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as csrf:
            urllib.request.urlopen(post, timeout=30)  # noqa: S310
        assert csrf.value.code == 403

        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        stored = manifest["paths"]["favicon.svg"]
        with urllib.request.urlopen(f"{base}/static/{stored}", timeout=30) as answer:  # noqa: S310
            assert answer.status == 200
            assert answer.read().lstrip().startswith(b"<svg")
    lines = [line for line in log.read_text().splitlines() if '"GET /api/v1/eligibility/"' in line]
    assert len(lines) == 1
    assert lines[0].startswith("192.0.2.7 127.0.0.1 [")
    assert lines[0].endswith("ms")
    assert " 401 " in lines[0]
    assert "egn=" not in log.read_text()


def _access_line(logger_atoms, access_log_format: str, path: str, headers) -> str:
    import datetime as dt

    from gunicorn.glogging import SafeAtoms

    class Response:
        status, sent, headers = "302 Found", 512, [("Location", "/home/")]

    class Request:
        pass

    request = Request()
    request.headers = headers
    environ = {"REMOTE_ADDR": "10.0.0.5", "REQUEST_METHOD": "GET", "PATH_INFO": path,
               "RAW_URI": path + "?next=/x", "SERVER_PROTOCOL": "HTTP/1.1",
               "QUERY_STRING": "next=/x"}  # fmt: skip
    took = dt.timedelta(seconds=0, microseconds=48_700)
    return access_log_format % SafeAtoms(logger_atoms(Response(), request, environ, took))


def test_the_access_log_line_of_only_the_named_atoms_is_gunicorns_redacted_line():
    """``RedactingLogger`` makes only the atoms its format names (issue 12, performance): the
    line is the one gunicorn's full set of atoms gives, redacted, for the project's format,
    a format with a missing header and one naming an atom it does not make (the full set)."""
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    from zdrave import gunicorn_conf
    from zdrave.base.audit.redaction import redact_secrets

    path = f"/extra-care/opinions/sign-in/{TOKEN}/"
    headers = [("HOST", "zdrave.bg"), ("X-FORWARDED-FOR", "192.0.2.4"), ("USER-AGENT", "desk")]
    for access_log_format in (
        gunicorn_conf.access_log_format,
        '%(h)s %({Referer}i)s %({user-agent}i)s "%(m)s %(U)s" %(q)s %(s)s %(B)s %(D)s',
        '%(h)s "%(r)s" %(s)s %(a)s',  # %(r)s and %(a)s: gunicorn's full set
    ):
        config = Config()
        config.set("access_log_format", access_log_format)
        logger = gunicorn_conf.RedactingLogger(config)

        def full(*args, logger=logger):
            return {
                key: redact_secrets(value) if isinstance(value, str) else value
                for key, value in Logger.atoms(logger, *args).items()
            }

        ours = _access_line(logger.atoms, access_log_format, path, headers)
        assert ours == _access_line(full, access_log_format, path, headers)
        assert TOKEN not in ours
        assert "[hidden]" in ours
