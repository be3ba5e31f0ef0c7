"""Who else may download a file attached to a complaint: the complaints staff (registered in
``base.identity.permissions.can_access_medical_file`` by ``ComplaintsConfig``). The uploader
(the file's owner) may always."""

from __future__ import annotations

from zdrave.base.identity.permissions import can_handle_complaints
from zdrave.member_rights.complaints.models import SUBJECT_TYPE


def may_download_complaint_file(user, medical_file) -> bool:
    return medical_file.subject_type == SUBJECT_TYPE and can_handle_complaints(user)
