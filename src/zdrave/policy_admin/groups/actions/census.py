"""The employer's census: read, checked and compared with the group (nothing changes), then
applied as one annex, exactly as previewed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.contracts.models import Contract
from zdrave.policy_admin.groups import census as census_rules
from zdrave.policy_admin.groups.actions.annexes import Changes, check_dates, make_annex
from zdrave.policy_admin.groups.models import Annex, CensusStatus, CensusUpload


def preview_census(
    contract: Contract,
    *,
    actor,
    file_name: str,
    data: bytes,
    effective: dt.date,
    notified_on: dt.date | None = None,
) -> CensusUpload:
    """Read, check and compare a census file with the group, and store the result for the
    employer to look at; nothing in the group changes. A file that cannot be read is refused on
    ``file``; row errors are stored with the preview (and stop it being applied)."""
    notified_on = notified_on or timezone.localdate()
    try:
        read = census_rules.read_census(file_name, data)
    except census_rules.CensusFileError as exc:
        raise ValidationError({"file": exc.messages}) from None
    current = census_rules.current_census(contract, effective)
    checked = census_rules.check_rows(
        contract, read.rows, effective=effective, existing=set(current)
    )
    diff = census_rules.compare(current, checked.rows)
    changes = Changes(diff["added"], diff["removed"], diff["changed"])
    if not checked.errors and not changes:
        raise ValidationError({"file": _("Census file: the file is the same as the group now.")})
    check_dates(contract, changes, notified_on=notified_on, effective=effective)
    with transaction.atomic():
        upload = CensusUpload.objects.create(
            contract=contract,
            file_name=file_name[:200],
            encoding=read.encoding,
            notified_on=notified_on,
            effective=effective,
            rows=checked.rows,
            errors=checked.errors,
            diff={**diff, "annexes_seen": _annexes_seen(contract)},
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(
            actor=actor,
            verb="census.previewed",
            obj=upload,
            contract=contract.number,
            rows=len(read.rows),
            errors=len(checked.errors),
            added=len(diff["added"]),
            removed=len(diff["removed"]),
            changed=len(diff["changed"]),
        )
    return upload


def _annexes_seen(contract: Contract) -> int:
    return Annex.objects.filter(contract=contract).aggregate(last=Max("id"))["last"] or 0


def apply_census(upload: CensusUpload, *, actor) -> Annex:
    """The previewed census as one annex, exactly as previewed (no second upload); applying it
    twice gives the same annex. Refused while it has row errors, or when the group changed
    since the preview."""
    with transaction.atomic():
        locked = CensusUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status == CensusStatus.APPLIED and locked.annex_id:
            return locked.annex
        if locked.errors:
            raise ValidationError(
                {
                    "__all__": _(
                        "Census: %(count)s rows have errors; correct the file and upload it again."
                    )
                    % {"count": len({e["row"] for e in locked.errors})}
                }
            )
        if _annexes_seen(locked.contract) != locked.diff.get("annexes_seen", 0):
            raise ValidationError(
                {
                    "__all__": _(
                        "Census: the group changed after this preview; upload the file again."
                    )
                }
            )
        diff = locked.diff
        annex = make_annex(
            locked.contract,
            Changes(diff["added"], diff["removed"], diff["changed"]),
            actor=actor,
            notified_on=locked.notified_on,
            effective=locked.effective,
            key=f"census-{locked.pk}",
        )
        locked.status = CensusStatus.APPLIED
        locked.annex = annex
        locked.save(update_fields=["status", "annex"])
        record(actor=actor, verb="census.applied", obj=locked, annex=annex.number)
    return annex
