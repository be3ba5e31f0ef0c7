from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "zdrave.policies"
    label = "policies"
