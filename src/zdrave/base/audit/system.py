"""Who changed something when no person did: a management command or a task of the worker.

A change made in a request is the signed-in user's (django-auditlog's middleware, the actions'
``actor``). Outside a request there is no user, so the change history would say "nobody":
``system_actor("command:apply_retention")`` (or ``"task:<name>"``) names the process for the
time of a block, and the audit trail records that name (``zdrave.member_rights.privacy``'s
change history; GDPR Art. 30(1) and 32(1)(b): every processing is attributable). The innermost
name wins: a task run by the worker command is the task's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_current: ContextVar[str] = ContextVar("zdrave_system_actor", default="")
# The key under which an audit row (``AuditEvent.details``, auditlog's ``additional_data``)
# names the process.
SYSTEM_ACTOR = "system_actor"
COMMAND = "command:"
TASK = "task:"


def current_system_actor() -> str:
    """The process's name while one runs (``""`` in a request or nowhere)."""
    return _current.get()


@contextlib.contextmanager
def system_actor(name: str) -> Iterator[str]:
    token = _current.set(name[:100])
    try:
        yield name
    finally:
        _current.reset(token)


def command_actor(command: str) -> str:
    return f"{COMMAND}{command}"


def task_actor(task) -> str:
    """``task:<module>.<function>`` of a django-tasks ``Task``."""
    return f"{TASK}{getattr(task, 'module_path', None) or getattr(task, 'name', task)}"


# The worker runs one task at a time per thread: the name is set when it starts and reset when
# it finishes (django-tasks' ``task_started`` / ``task_finished``).
_tokens: ContextVar[list] = ContextVar("zdrave_system_actor_tokens")


def on_task_started(sender, task_result, **kwargs) -> None:
    stack = _tokens.get(None)
    if stack is None:
        stack = []
        _tokens.set(stack)
    stack.append(_current.set(task_actor(task_result.task)[:100]))


def on_task_finished(sender, task_result, **kwargs) -> None:
    stack = _tokens.get(None)
    if stack:
        try:
            _current.reset(stack.pop())
        except ValueError:  # started in another context: nothing of ours to undo here
            _current.set("")
