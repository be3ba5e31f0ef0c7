"""Which cover decides a claim line: the one in force on the line's day of service.

An annex changes a person's package, option or clause, or adds special conditions, from 00:00
of its date (004 Чл.27 т.1–2); what was used before it keeps the cover it was used under. So a
claim whose lines fall on both sides of an annex is decided line by line, each on its own
day's cover (``case_on``), and a row's waiting period runs from the day the row itself came into
the person's cover (``row_cover_start``, 004 Чл.19: "след влизане в сила на застрахователното
покритие"). The limits stay those of the insurance year (``usage``): what the earlier cover
paid counts against the later cover's limits (docs/decisions.md, "Claim lines across an
annex").
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from zdrave.engine.adjudication.facts import CoverSpan, HealthCase
from zdrave.engine.adjudication.index import ServiceInfo

DAY = dt.timedelta(days=1)


def span_on(case: HealthCase, day: dt.date) -> CoverSpan | None:
    """The span of ``case.spans`` in force on ``day``; None on a day no cover was in force."""
    for span in case.spans:
        if (span.start is None or span.start <= day) and (span.until is None or day <= span.until):
            return span
    return None


def changes_by_day(case: HealthCase) -> bool:
    """Whether a line's day can change what decides it (spans, or special conditions that
    apply from a day)."""
    special = case.insured.special
    return bool(case.spans) or (special is not None and special.since is not None)


def case_on(case: HealthCase, day: dt.date) -> HealthCase:
    """``case`` as it stood on ``day``: the covers of the span in force then (none on a day
    without cover) and the special conditions only from the day they apply (004 Чл.27 т.1)."""
    covers = case.covers
    if case.spans:
        span = span_on(case, day)
        covers = span.covers if span is not None else {}
    insured = case.insured
    special = insured.special
    if special is not None and special.since is not None and day < special.since:
        insured = dataclasses.replace(insured, special=None)
    if covers is case.covers and insured is case.insured:
        return case
    return dataclasses.replace(case, covers=covers, insured=insured)


def covered_elsewhere(case: HealthCase, package: int) -> bool:
    """Whether ``package`` is in the person's cover on some day of the timeline (so a day
    without it is a day before it was added or after it was taken off by annex)."""
    return any(package in span.covers for span in case.spans)


def row_cover_start(case: HealthCase, info: ServiceInfo, day: dt.date) -> dt.date:
    """The first day of the unbroken run of covers, up to ``day``, under which the row of
    ``info`` was covered (its package in the cover with an option that has the row); the
    person's own start of cover when the run goes back to it. Without spans: that start."""
    first = case.insured.covered_from
    if not case.spans:
        return first
    spans = sorted(case.spans, key=lambda s: s.start or dt.date.min)
    at = next(
        (
            i
            for i, s in enumerate(spans)
            if (s.start is None or s.start <= day) and (s.until is None or day <= s.until)
        ),
        None,
    )
    if at is None:
        return first
    start = spans[at].start
    while at > 0 and start is not None:
        before = spans[at - 1]
        if before.until is None or before.until + DAY != start or not _has_row(before, info):
            break
        at -= 1
        start = before.start
    if start is None or start < first:
        return first
    return start


def _has_row(span: CoverSpan, info: ServiceInfo) -> bool:
    cover = span.covers.get(info.package_number)
    return cover is not None and cover.option in info.service.options
