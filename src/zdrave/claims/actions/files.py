"""Documents of a claim: files staged on a claim form move onto the claim."""

from __future__ import annotations

from zdrave.base.documents.models import MedicalFile
from zdrave.claims.actions import together
from zdrave.claims.models import Claim, ClaimFile

SUBJECT = "claims.claim"
MAX_FILES = 40


def attach_files(claim: Claim, files: list[tuple[str, MedicalFile]]) -> None:
    """Move staged files onto the claim: they become the insured person's medical files (the
    download rule follows the owner), in two statements whatever their number. The claim's
    ``documents`` (the Приложение №1 keys delivered) follow; the caller saves the claim."""
    files = files[:MAX_FILES]
    if not files:
        return
    MedicalFile.objects.filter(pk__in=[f.pk for _, f in files]).update(**_changes(claim))
    ClaimFile.objects.bulk_create(ClaimFile(claim=claim, key=k, file=f) for k, f in files)
    claim.documents = sorted({*claim.documents, *(key for key, _ in files)})


def attach_pieces(claim: Claim, files: list[tuple[str, int]]) -> list[together.Piece]:
    """``attach_files`` for a claim being written with ``actions.together``: the staged files
    ``(key, MedicalFile id)`` as two writes; the caller has set ``claim.documents``."""
    files = files[:MAX_FILES]
    if not files:
        return []
    return [
        together.update_rows(MedicalFile, [pk for _, pk in files], **_changes(claim)),
        together.insert_rows(
            ClaimFile, [{"claim_id": claim.pk, "key": k, "file_id": pk} for k, pk in files]
        ),
    ]


def _changes(claim: Claim) -> dict:
    """The staged files become the insured person's medical files, under the claim."""
    owner = claim.member.person.user_id
    changes = {"subject_type": SUBJECT, "subject_id": str(claim.pk)}
    if owner is not None:
        changes["owner_id"] = owner
    return changes
