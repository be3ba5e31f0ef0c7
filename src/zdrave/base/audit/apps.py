from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zdrave.base.audit"
    label = "audit"
    verbose_name = _("Platform")

    def ready(self) -> None:
        # After LOGGING is configured: no log line of a request shows a sign-in token.
        from django_tasks.signals import task_finished, task_started

        from zdrave.base.audit import redaction, system

        redaction.install()
        # A change made by a task of the worker is the task's (base.audit.system).
        task_started.connect(system.on_task_started, dispatch_uid="zdrave_system_actor_started")
        task_finished.connect(system.on_task_finished, dispatch_uid="zdrave_system_actor_finished")
