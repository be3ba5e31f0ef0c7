"""Treatment-abroad terms (DZI Best Doctors, 001 and 003). Owned by the best-doctors work."""

from __future__ import annotations

from pydantic import Field

from zdrave.engine.terms.common import Citation, Strict, Text


class AbroadRule(Strict):
    code: str
    clause: Citation
    title: Text
    params: dict[str, int | str | bool | list[str]] = Field(default_factory=dict)


class AbroadTerms(Strict):
    rules: list[AbroadRule] = Field(default_factory=list)
