from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``zdrave demo``: the demo insurer, staff, employer, members and partner team."""

    name = "zdrave.interfaces.demo"
    label = "demo"
