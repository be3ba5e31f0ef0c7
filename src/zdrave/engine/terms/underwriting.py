"""Underwriting terms: who may be insured under which contract type.

Owned by the underwriting work (issue 3); this first shape is what the catalog needs to load and
show. Each rule carries its clause.
"""

from __future__ import annotations

from pydantic import Field

from zdrave.engine.terms.common import Citation, Strict, Text


class UnderwritingRule(Strict):
    code: str
    clause: Citation
    title: Text
    params: dict[str, int | str | bool | list[str]] = Field(default_factory=dict)


class Underwriting(Strict):
    rules: list[UnderwritingRule] = Field(default_factory=list)
