"""``ZDRAVE_DATABASE_URL`` as libpq reads a connection URI (docs/deployment.md): an operator's
socket directory and TLS settings reach the connection, and a mistyped URL stops the ``zdrave``
command with one line naming what is wrong — never a traceback, never a parameter dropped."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.exceptions import ImproperlyConfigured

from zdrave.settings import _database_from_url

ZDRAVE = Path(sys.executable).parent / "zdrave"


def test_a_host_url_gives_the_connection_as_before():
    config = _database_from_url("postgres://claims:p%40ss%2Fword@db.internal:5433/zdrave")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], int(config["PORT"]), config["NAME"]) == ("db.internal", 5433, "zdrave")
    assert (config["USER"], config["PASSWORD"]) == ("claims", "p@ss/word")
    assert config["CONN_MAX_AGE"] == 60
    assert not config.get("OPTIONS")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://zdrave@%2Fvar%2Frun%2Fpostgresql/zdrave",
        "postgresql:///zdrave?host=/var/run/postgresql",
    ],
)
def test_a_unix_socket_directory_is_the_host(url):
    config = _database_from_url(url)
    host = config["HOST"] or config["OPTIONS"]["host"]
    assert host == "/var/run/postgresql"
    assert config["NAME"] == "zdrave"


def test_tls_and_other_libpq_parameters_reach_the_connection():
    config = _database_from_url(
        "postgres://zdrave@db.internal/zdrave"
        "?sslmode=verify-full&sslrootcert=/etc/zdrave/db-ca.pem&connect_timeout=5"
        "&application_name=zdrave-web"
    )
    assert config["OPTIONS"] == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/zdrave/db-ca.pem",
        "connect_timeout": 5,
        "application_name": "zdrave-web",
    }


def test_a_mistyped_parameter_is_refused_by_name_not_dropped():
    # Before, the query was ignored: "sslmode=verify-full" silently connected unverified.
    with pytest.raises(ImproperlyConfigured, match="unknown connection parameter 'sslmod'"):
        _database_from_url("postgres://zdrave@db.internal/zdrave?sslmod=verify-full")


def test_another_database_kind_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match="unsupported scheme 'mysql'"):
        _database_from_url("mysql://zdrave@db.internal/zdrave")


def _zdrave(url: str, *args: str, program: tuple[str, ...] = (str(ZDRAVE),)):
    env = {**os.environ, "ZDRAVE_DATABASE_URL": url, "ZDRAVE_DEBUG": "1"}
    env["ZDRAVE_BIND"] = "127.0.0.1:18996"  # the API instance's, should it get as far
    return subprocess.run(
        [*program, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (
            "postgres://zdrave@127.0.0.1/zdrave?sslmod=require",
            "error: ZDRAVE_DATABASE_URL: unknown connection parameter 'sslmod'",
        ),
        ("mysql://zdrave@127.0.0.1/zdrave", "error: ZDRAVE_DATABASE_URL: unsupported scheme"),
    ],
)
def test_the_command_names_a_bad_url_in_one_line(url, said):
    done = _zdrave(url, "showmigrations", "identity")
    assert done.returncode == 2
    assert done.stderr.startswith(said)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "program",
    [(sys.executable, "-c", "import zdrave.wsgi"), (sys.executable, "-m", "zdrave.granian_conf")],
    ids=["wsgi", "granian"],
)
def test_the_servers_refuse_a_bad_url_before_serving(program):
    # granian would otherwise start its workers and respawn each as it failed, for ever.
    done = _zdrave("postgres://zdrave@127.0.0.1/zdrave?sslmod=require", program=program)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ZDRAVE_DATABASE_URL: unknown connection parameter")
    assert "Traceback" not in done.stderr
    assert "Spawning" not in done.stdout + done.stderr


# The test cluster of scripts/postgres.sh: TCP on loopback, its socket in /tmp, no TLS.
SERVER = urlparse(os.environ.get("ZDRAVE_DATABASE_URL", ""))
on_postgresql = pytest.mark.skipif(
    SERVER.scheme not in ("postgres", "postgresql"),
    reason="needs the PostgreSQL of scripts/postgres.sh (ZDRAVE_DATABASE_URL)",
)


@on_postgresql
def test_the_platform_connects_through_the_socket_directory():
    url = f"postgres://{SERVER.username}@%2Ftmp:{SERVER.port}/{SERVER.path.lstrip('/')}"
    done = _zdrave(url, "showmigrations", "identity")
    assert done.returncode == 0, done.stderr
    assert "0001_initial" in done.stdout


@on_postgresql
def test_sslmode_require_is_honoured_against_a_server_without_tls():
    url = f"{os.environ['ZDRAVE_DATABASE_URL']}?sslmode=require"
    done = _zdrave(url, "showmigrations", "identity")
    assert done.returncode == 1
    assert done.stderr.startswith("error: database: ")
    assert "SSL" in done.stderr
    assert "Traceback" not in done.stderr
