"""Who may download a medical file: the rule lives in ``zdrave.base.identity.permissions``
(``can_access_medical_file``), the one place that decides who sees health data. These names stay
for the higher layers that register their own rules from ``AppConfig.ready()`` (the holder of a
child's family contract, the partner team and the specialist assigned to a second-opinion case,
the therapist of a consultation).
"""

from __future__ import annotations

from zdrave.base.identity.permissions import can_access_medical_file as can_access
from zdrave.base.identity.permissions import register_medical_file_rule as register_access_rule
from zdrave.base.identity.permissions import unregister_medical_file_rule as unregister_access_rule

__all__ = ["can_access", "register_access_rule", "unregister_access_rule"]
