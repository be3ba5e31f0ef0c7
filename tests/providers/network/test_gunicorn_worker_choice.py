"""gunicorn's worker class and threads are chosen by environment (issue 12, the eligibility
API's load); the defaults are unchanged: sync workers, one thread."""

from __future__ import annotations

import importlib

from zdrave import gunicorn_conf


def test_defaults_are_sync_workers_with_one_thread(monkeypatch):
    monkeypatch.delenv("ZDRAVE_WORKER_CLASS", raising=False)
    monkeypatch.delenv("ZDRAVE_THREADS", raising=False)
    conf = importlib.reload(gunicorn_conf)
    assert (conf.worker_class, conf.threads, conf.workers) == ("sync", 1, 3)


def test_gthread_with_threads_from_the_environment(monkeypatch):
    monkeypatch.setenv("ZDRAVE_WORKER_CLASS", "gthread")
    monkeypatch.setenv("ZDRAVE_THREADS", "4")
    conf = importlib.reload(gunicorn_conf)
    assert (conf.worker_class, conf.threads) == ("gthread", 4)
    monkeypatch.delenv("ZDRAVE_WORKER_CLASS")
    monkeypatch.delenv("ZDRAVE_THREADS")
    importlib.reload(gunicorn_conf)
