"""Every refusal as an OperationOutcome: a 4xx status, an IssueType code and a message that
names the element and the rule (FHIR R4 http.html: errors are OperationOutcome)."""

from __future__ import annotations


class FhirError(Exception):
    """A request the server refuses. ``code`` is an R4 IssueType (``invalid``, ``structure``,
    ``not-found``, ``login``, ``not-supported``, ``business-rule``, ...); ``expression`` the
    FHIRPath of the element at fault, when there is one."""

    def __init__(self, status: int, code: str, message: str, expression: str = ""):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = str(message)
        self.expression = expression


def operation_outcome(
    code: str, message: str, *, expression: str = "", severity: str = "error"
) -> dict:
    issue: dict = {"severity": severity, "code": code, "diagnostics": str(message)}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}
