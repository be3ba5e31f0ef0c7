import datetime as dt

import pytest

from zdrave.engine.data_rights import answer_due

CASES = [
    ("gdpr-art12-3-one-month", dt.date(2026, 3, 3), False, dt.date(2026, 4, 3)),
    # 10 April 2026 is Orthodox Good Friday, 13 April Easter Monday.
    ("gdpr-art12-3-easter-to-tuesday", dt.date(2026, 3, 10), False, dt.date(2026, 4, 14)),
    ("gdpr-art12-3-month-end", dt.date(2026, 1, 31), False, dt.date(2026, 3, 2)),
    ("gdpr-art12-3-saturday-to-monday", dt.date(2026, 9, 12), False, dt.date(2026, 10, 12)),
    # 24–26 December and 28 December (for the 26th, a Saturday) are public holidays in 2026.
    ("gdpr-art12-3-holiday-christmas", dt.date(2026, 11, 24), False, dt.date(2026, 12, 29)),
    ("gdpr-art12-3-extended-three-months", dt.date(2026, 3, 3), True, dt.date(2026, 6, 3)),
]


@pytest.mark.parametrize(
    ("received", "extended", "due"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_answer_due(received, extended, due):
    assert answer_due(received, extended=extended) == due
