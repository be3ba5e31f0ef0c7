"""Member services run with a partner team (Extra Care, 000). Owned by the extra-care work."""

from __future__ import annotations

from pydantic import Field

from zdrave.engine.terms.common import Citation, Strict, Text


class MemberServiceRule(Strict):
    code: str
    clause: Citation
    title: Text
    params: dict[str, int | str | bool | list[str]] = Field(default_factory=dict)


class MemberServicesTerms(Strict):
    rules: list[MemberServiceRule] = Field(default_factory=list)
