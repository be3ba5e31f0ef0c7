"""Best Doctors claim adjudication (001 / 003), rule by rule, against the real product data in
``products/best-doctors``. Each row starts from one cancer claim under the 2019 terms (001) that
passes every rule and changes what the rule needs; ids name the clause. Amounts are exact EUR.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zdrave.engine.adjudication.abroad import run_scenario
from zdrave.engine.adjudication.abroad_reasons import EXCLUSION_PREFIX, REASONS
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.loader import Catalog, load_catalog

PRODUCTS = Path(__file__).resolve().parents[2] / "products"

BASE: dict[str, Any] = {
    "product": "best-doctors",
    "version": "2019-02-01",
    "contract": {
        "type": "individual",
        "start": "2025-01-01",
        "end": "2034-12-31",
        "premium": {"frequency": "annual", "paid_until": "2027-12-31"},
        "terminated_on": None,
        "renewal_of_previous": False,
    },
    "insured": {
        "id": "p1",
        "birth_date": "1980-06-15",
        "sex": "M",
        "covered_from": "2025-01-01",
        "nhif_rights": True,
    },
    "history": [],
    "claim": {
        "ref": "c1",
        "condition": "cancer",
        "diagnosis": "C50.9",
        "notified": "2026-05-10",
        "first_symptoms": "2026-05-01",
        "precertificate": {"issued": "2026-06-01", "hospital": "H1"},
        "returned_home": "2026-08-25",
        "hospital_nights": 70,
        "lines": [],
    },
}

# Lines that pass every rule under BASE, one per benefit.
TREATMENT = {
    "benefit": "treatment-abroad",
    "date": "2026-06-10",
    "hospital": "H1",
    "amount": "85000.00",
}
SECOND_OPINION = {"benefit": "second-opinion", "date": "2026-05-15", "amount": "1500.00"}
DAILY_CASH = {"benefit": "daily-hospital-cash", "date": "2026-06-10", "quantity": 12}
MEDICINES = {
    "benefit": "medicines-after-return",
    "date": "2026-09-10",
    "purchased": "2026-09-10",
    "amount": "900.00",
    "nhif_paid": "0.00",
    "dose_days": 60,
}
FOLLOW_UP = {"benefit": "follow-up-care", "date": "2026-12-01", "amount": "4000.00"}
TRAVEL = {"benefit": "travel", "date": "2026-06-08", "amount": "1200.00"}


def scenario(
    *lines: dict[str, Any],
    version: str | None = "2019-02-01",
    contract: dict[str, Any] | None = None,
    insured: dict[str, Any] | None = None,
    claim: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    premium: dict[str, Any] | None = None,
) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    data["contract"].update(contract or {})
    data["contract"]["premium"].update(premium or {})
    data["insured"].update(insured or {})
    data["claim"].update(claim or {})
    data["claim"]["lines"] = [dict(line) for line in lines]
    data["history"] = list(history or [])
    return data


def with_(line: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**line, **changes}


# The 2015 terms apply to contracts that started before 2019-02-01.
V2015 = {
    "version": "2015-10-01",
    "contract": {"start": "2017-01-01", "end": "2036-12-31"},
    "insured": {"covered_from": "2017-01-01"},
}

_catalog: Catalog | None = None


def catalog() -> Catalog:
    global _catalog
    if _catalog is None:
        _catalog = load_catalog(PRODUCTS)
    return _catalog


def decide(data: dict[str, Any]) -> dict[str, Any]:
    return run_scenario(data, catalog())


def codes(line: dict[str, Any]) -> set[str]:
    return {r["code"] for r in line["reasons"]}


def clauses(line: dict[str, Any]) -> set[str]:
    return {r["clause"] for r in line["reasons"]}


# (id, scenario, expected line 0 outcome, line 0 payable, a reason code, its clause)
CASES = [
    # ---- daily hospital cash (001 т.30 / 003 т.27) ----
    pytest.param(
        scenario(with_(DAILY_CASH, quantity=70)),
        "partial",
        "6000.00",
        "daily-cash-max-days",
        "001 т.30",
        id="001-t30-daily-cash-60-days",
    ),
    pytest.param(
        scenario(
            with_(DAILY_CASH, quantity=70, date="2018-06-10"),
            **{
                **V2015,
                "claim": {
                    "notified": "2018-05-10",
                    "first_symptoms": "2018-05-01",
                    "precertificate": {"issued": "2018-06-01", "hospital": "H1"},
                    "returned_home": "2018-08-25",
                },
            },
        ),
        "partial",
        "6000.00",
        "daily-cash-max-days",
        "003 т.27",
        id="003-t27-daily-cash-60-days-per-event",
    ),
    pytest.param(
        scenario(
            with_(DAILY_CASH, quantity=20),
            history=[
                {
                    "benefit": "daily-hospital-cash",
                    "claim_ref": "c1",
                    "date": "2026-06-10",
                    "paid": "5000.00",
                }
            ],
        ),
        "partial",
        "1000.00",
        "daily-cash-max-days",
        "001 т.30",
        id="001-t30-daily-cash-counts-same-claim-history",
    ),
    pytest.param(
        scenario(
            with_(DAILY_CASH, quantity=20),
            history=[
                {
                    "benefit": "daily-hospital-cash",
                    "claim_ref": "c0",
                    "date": "2025-09-10",
                    "paid": "5000.00",
                }
            ],
        ),
        "approved",
        "2000.00",
        None,
        None,
        id="001-t30-daily-cash-other-claim-not-counted",
    ),
    pytest.param(
        scenario(with_(DAILY_CASH, quantity=12), claim={"hospital_nights": 10}),
        "partial",
        "1000.00",
        "daily-cash-full-days",
        "001 т.30",
        id="001-t30-daily-cash-full-24h-periods-only",
    ),
    pytest.param(
        scenario(with_(DAILY_CASH, hospital="H2")),
        "rejected",
        "0.00",
        "other-hospital",
        "001 т.10.4",
        id="001-t10-4-daily-cash-other-hospital",
    ),
    # ---- limits (001 т.28, т.29, т.31) ----
    pytest.param(
        scenario(
            with_(TREATMENT, amount="20000.00"),
            history=[
                {
                    "benefit": "treatment-abroad",
                    "claim_ref": "c0",
                    "date": "2026-02-01",
                    "paid": "990000.00",
                }
            ],
        ),
        "partial",
        "10000.00",
        "year-limit",
        "001 т.28",
        id="001-t28-year-limit",
    ),
    pytest.param(
        scenario(
            with_(TREATMENT, amount="20000.00"),
            history=[
                {
                    "benefit": "treatment-abroad",
                    "claim_ref": "c0",
                    "date": "2025-12-31",
                    "paid": "1000000.00",
                }
            ],
        ),
        "approved",
        "20000.00",
        None,
        None,
        id="001-t28-year-limit-per-insurance-year",
    ),
    pytest.param(
        scenario(
            with_(TREATMENT, amount="20000.00"),
            history=[
                {
                    "benefit": "treatment-abroad",
                    "claim_ref": "c0",
                    "date": "2025-03-01",
                    "paid": "1000000.00",
                },
                {
                    "benefit": "daily-hospital-cash",
                    "claim_ref": "c0",
                    "date": "2026-01-05",
                    "paid": "6000.00",
                },
                {
                    "benefit": "treatment-abroad",
                    "claim_ref": "c0",
                    "date": "2026-01-05",
                    "paid": "984000.00",
                },
            ],
            claim={
                "precertificate": {"issued": "2027-02-01", "hospital": "H1"},
                "returned_home": "2027-04-01",
            },
            premium={"paid_until": "2027-12-31"},
        )
        | {},
        "rejected",
        "0.00",
        None,
        None,
        id="001-t72-1-stay-after-certificate-validity",
    ),
    pytest.param(
        scenario(
            with_(TREATMENT, amount="20000.00", date="2027-02-10"),
            history=[
                {
                    "benefit": "treatment-abroad",
                    "claim_ref": "c0",
                    "date": "2025-03-01",
                    "paid": "1000000.00",
                },
                {
                    "benefit": "daily-hospital-cash",
                    "claim_ref": "c0",
                    "date": "2026-01-05",
                    "paid": "6000.00",
                },
                {
                    "benefit": "treatment-abroad",
                    "claim_ref": "c0",
                    "date": "2026-01-05",
                    "paid": "984000.00",
                },
            ],
            claim={
                "notified": "2027-01-10",
                "first_symptoms": "2027-01-02",
                "precertificate": {"issued": "2027-02-01", "hospital": "H1"},
                "returned_home": "2027-04-01",
            },
        ),
        "partial",
        "10000.00",
        "lifetime-limit",
        "001 т.28",
        id="001-t28-t31-lifetime-limit-every-benefit-counts",
    ),
    # ---- medicines after return (001 VIII-2-Д1; 003 VIII-2-D) ----
    pytest.param(
        scenario(MEDICINES),
        "approved",
        "900.00",
        None,
        None,
        id="001-t63-medicines-after-return-paid",
    ),
    pytest.param(
        scenario(
            MEDICINES,
            history=[
                {
                    "benefit": "medicines-after-return",
                    "claim_ref": "c0",
                    "date": "2025-11-01",
                    "paid": "49500.00",
                }
            ],
        ),
        "partial",
        "500.00",
        "medicines-lifetime-limit",
        "001 т.29",
        id="001-t29-medicines-50000-lifetime",
    ),
    pytest.param(
        scenario(MEDICINES, claim={"hospital_nights": 3}),
        "rejected",
        "0.00",
        "stay-too-short",
        "001 т.63",
        id="001-t63-medicines-need-more-than-3-nights",
    ),
    pytest.param(
        scenario(with_(MEDICINES, date="2027-02-21", purchased="2027-02-21")),
        "approved",
        "900.00",
        None,
        None,
        id="001-t73-2-medicines-bought-on-day-180",
    ),
    pytest.param(
        scenario(with_(MEDICINES, date="2027-02-22", purchased="2027-02-22")),
        "approved",
        "900.00",
        None,
        None,
        id="001-t73-2-no-medicines-window-from-return-day-181-paid",
    ),
    pytest.param(
        scenario(
            with_(MEDICINES, date="2018-12-10", purchased="2018-12-10"),
            **{
                **V2015,
                "claim": {
                    "notified": "2018-03-10",
                    "first_symptoms": "2018-03-01",
                    "precertificate": {"issued": "2018-04-01", "hospital": "H1"},
                    "returned_home": "2018-05-25",
                },
            },
        ),
        "approved",
        "900.00",
        None,
        None,
        id="003-t61-4-no-180-day-window-from-return",
    ),
    pytest.param(
        scenario(with_(MEDICINES, submitted="2027-03-10")),
        "rejected",
        "0.00",
        "invoice-submitted-late",
        "001 т.9.10",
        id="001-t9-10-invoice-after-180-days",
    ),
    pytest.param(
        scenario(with_(MEDICINES, dose_days=90)),
        "rejected",
        "0.00",
        "dose-over-two-months",
        "001 т.64.5",
        id="001-t64-5-dose-over-two-months-refused",
    ),
    pytest.param(
        scenario(with_(MEDICINES, dose_days=61)),
        "rejected",
        "0.00",
        "dose-over-two-months",
        "001 т.64.5",
        id="001-t64-5-dose-of-61-days-refused",
    ),
    pytest.param(
        scenario(with_(MEDICINES, nhif_paid="300.00")),
        "partial",
        "600.00",
        "other-payer-share",
        "001 т.65.2",
        id="001-t65-2-nhif-share-not-paid",
    ),
    pytest.param(
        scenario(with_(MEDICINES, nhif_paid="900.00")),
        "rejected",
        "0.00",
        "paid-by-other-payer",
        "001 т.65.2",
        id="001-t9-10-fully-paid-by-nhif",
    ),
    pytest.param(
        scenario(with_(MEDICINES, country="DE")),
        "rejected",
        "0.00",
        "medicine-bought-abroad",
        "001 т.9.10",
        id="001-t9-10-medicine-bought-abroad",
    ),
    pytest.param(
        scenario(with_(MEDICINES, purchased="2026-08-20", date="2026-08-20")),
        "rejected",
        "0.00",
        "not-returned-home",
        "001 VIII-2-Д1 т.63",
        id="001-t63-medicine-bought-before-return",
    ),
    # ---- precertificate (001 т.72, т.10.3, т.10.4) ----
    pytest.param(
        scenario(TREATMENT),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t72-treatment-in-certified-hospital",
    ),
    pytest.param(
        scenario(with_(TREATMENT, date="2026-09-01")),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t72-1-treatment-begins-on-last-valid-day",
    ),
    pytest.param(
        scenario(with_(TREATMENT, date="2026-09-02")),
        "rejected",
        "0.00",
        "precertificate-expired",
        "001 т.72.1",
        id="001-t72-1-certificate-valid-3-months",
    ),
    pytest.param(
        scenario(
            with_(TREATMENT, date="2018-10-02"),
            **{
                **V2015,
                "claim": {
                    "notified": "2018-05-10",
                    "first_symptoms": "2018-05-01",
                    "precertificate": {"issued": "2018-06-01", "hospital": "H1"},
                    "returned_home": "2018-11-25",
                },
            },
        ),
        "approved",
        "85000.00",
        None,
        None,
        id="003-certificate-has-no-validity-term",
    ),
    pytest.param(
        scenario(with_(TREATMENT, hospital="H2")),
        "rejected",
        "0.00",
        "other-hospital",
        "001 т.10.4",
        id="001-t10-4-treatment-in-other-hospital",
    ),
    pytest.param(
        scenario(with_(TREATMENT, date="2026-05-20")),
        "rejected",
        "0.00",
        "before-precertificate",
        "001 т.10.3",
        id="001-t10-3-cost-before-certificate",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"precertificate": None}),
        "rejected",
        "0.00",
        "no-precertificate",
        "001 т.72",
        id="001-t72-no-certificate",
    ),
    pytest.param(scenario(TRAVEL), "approved", "1200.00", None, None, id="001-t57-travel-paid"),
    pytest.param(
        scenario(with_(TRAVEL, circumstances=["self-organised"])),
        "rejected",
        "0.00",
        "excluded-self-organised",
        "001 т.10.15",
        id="001-t10-15-self-organised-travel",
    ),
    # ---- second opinion (001 VIII-2-А; 003 т.65) ----
    pytest.param(
        scenario(SECOND_OPINION),
        "approved",
        "1500.00",
        None,
        None,
        id="001-VIII-2-A-second-opinion-paid",
    ),
    pytest.param(
        scenario(
            SECOND_OPINION,
            history=[
                {
                    "benefit": "second-opinion",
                    "claim_ref": "c1",
                    "date": "2026-05-12",
                    "paid": "1500.00",
                }
            ],
        ),
        "rejected",
        "0.00",
        "second-opinion-already-given",
        "001 VIII-2-А",
        id="001-VIII-2-A-second-opinion-once-per-claim",
    ),
    pytest.param(
        scenario(
            SECOND_OPINION,
            history=[
                {
                    "benefit": "second-opinion",
                    "claim_ref": "c0",
                    "date": "2025-09-12",
                    "paid": "1500.00",
                }
            ],
        ),
        "approved",
        "1500.00",
        None,
        None,
        id="001-VIII-2-A-second-opinion-new-claim",
    ),
    # ---- follow-up care (001 VIII-2-Д2; not in 003) ----
    pytest.param(
        scenario(with_(FOLLOW_UP, date="2027-02-21")),
        "approved",
        "4000.00",
        None,
        None,
        id="001-t67-follow-up-on-day-180",
    ),
    pytest.param(
        scenario(with_(FOLLOW_UP, date="2027-02-22")),
        "rejected",
        "0.00",
        "follow-up-after-window",
        "001 т.67",
        id="001-t67-follow-up-after-180-days",
    ),
    pytest.param(
        scenario(
            with_(FOLLOW_UP, date="2018-12-01"),
            **{
                **V2015,
                "claim": {
                    "notified": "2018-05-10",
                    "first_symptoms": "2018-05-01",
                    "precertificate": {"issued": "2018-06-01", "hospital": "H1"},
                    "returned_home": "2018-08-25",
                },
            },
        ),
        "rejected",
        "0.00",
        "benefit-not-covered",
        "003 т.7",
        id="003-t7-no-follow-up-care",
    ),
    # ---- the contract on the date of service (001 т.20, т.26.1, т.27, т.27.4, т.41, т.23) ----
    pytest.param(
        scenario(with_(SECOND_OPINION, date="2024-12-31")),
        "rejected",
        "0.00",
        "before-cover-start",
        "001 т.20",
        id="001-t20-before-start",
    ),
    pytest.param(
        scenario(SECOND_OPINION, contract={"end": "2026-05-14"}),
        "rejected",
        "0.00",
        "after-cover-end",
        "001 т.26.1",
        id="001-t26-1-after-end",
    ),
    pytest.param(
        scenario(SECOND_OPINION, contract={"end": "2026-05-15"}),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t26-1-last-day-covered",
    ),
    pytest.param(
        scenario(SECOND_OPINION, contract={"terminated_on": "2026-05-14"}),
        "rejected",
        "0.00",
        "contract-terminated",
        "001 т.27",
        id="001-t27-after-termination",
    ),
    pytest.param(
        scenario(SECOND_OPINION, premium={"paid_until": "2026-04-14"}),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t27-4-zzd-chl72-30th-day-after-due-date-covered",
    ),
    pytest.param(
        scenario(SECOND_OPINION, premium={"paid_until": "2026-04-13"}),
        "rejected",
        "0.00",
        "premium-unpaid",
        "001 т.27.4",
        id="001-t27-4-zzd-chl72-31st-day-after-due-date-not-covered",
    ),
    pytest.param(
        scenario(SECOND_OPINION, premium={"paid_until": "2026-03-14"}),
        "rejected",
        "0.00",
        "contract-lapsed",
        "001 т.41",
        id="001-t41-not-reinstated-in-2-months",
    ),
    pytest.param(
        scenario(SECOND_OPINION, insured={"birth_date": "1941-05-15"}),
        "rejected",
        "0.00",
        "over-maximum-age",
        "001 т.23",
        id="001-t23-cover-ends-at-85",
    ),
    pytest.param(
        scenario(TREATMENT, contract={"type": "group", "terminated_on": "2026-06-05"}),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t21-1-5-group-leaver-keeps-certificate",
    ),
    # ---- waiting period and earlier symptoms (001 т.21.1, т.25, т.9.1, т.9.2) ----
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-07-01"),
            contract={"start": "2026-01-01"},
            insured={"covered_from": "2026-01-01"},
            claim={"first_symptoms": None},
        ),
        "rejected",
        "0.00",
        "waiting-period",
        "001 т.21.1.1",
        id="001-t21-1-1-six-months",
    ),
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-07-02"),
            contract={"start": "2026-01-01"},
            insured={"covered_from": "2026-01-01"},
            claim={"first_symptoms": None},
        ),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t21-1-cover-from-day-after-expiry",
    ),
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-04-01"),
            contract={"start": "2026-01-01", "type": "group"},
            insured={"covered_from": "2026-01-01"},
            claim={"first_symptoms": None},
        ),
        "rejected",
        "0.00",
        "waiting-period",
        "001 т.21.1.2",
        id="001-t21-1-2-group-three-months",
    ),
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-04-02"),
            contract={"start": "2026-01-01", "type": "group"},
            insured={"covered_from": "2026-01-01"},
            claim={"first_symptoms": None},
        ),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t21-1-2-group-covered-after-three-months",
    ),
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-05-20"),
            contract={"start": "2026-01-01", "type": "group"},
            insured={"covered_from": "2026-02-10"},
            claim={"first_symptoms": None},
        ),
        "rejected",
        "0.00",
        "waiting-period",
        "001 т.21.1.3",
        id="001-t21-1-3-group-joiner-waits-from-next-month",
    ),
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-02-01"),
            contract={
                "start": "2026-01-01",
                "renewal_of_previous": True,
                "previous_end": "2025-12-31",
            },
            insured={"covered_from": "2026-01-01"},
            claim={"first_symptoms": None},
        ),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t25-renewal-without-waiting",
    ),
    pytest.param(
        scenario(
            with_(SECOND_OPINION, date="2026-02-01"),
            contract={
                "start": "2026-01-20",
                "renewal_of_previous": True,
                "previous_end": "2025-12-31",
            },
            insured={"covered_from": "2026-01-20"},
            claim={"first_symptoms": None},
        ),
        "rejected",
        "0.00",
        "waiting-period",
        "001 т.21.1.1",
        id="001-t25-renewal-after-15-days-waits",
    ),
    pytest.param(
        scenario(SECOND_OPINION, claim={"first_symptoms": "2025-03-01"}),
        "rejected",
        "0.00",
        "symptoms-in-waiting-period",
        "001 т.9.2",
        id="001-t9-2-symptoms-in-waiting-period",
    ),
    pytest.param(
        scenario(SECOND_OPINION, claim={"first_symptoms": "2024-12-31"}),
        "rejected",
        "0.00",
        "pre-existing-condition",
        "001 т.9.1",
        id="001-t9-1-pre-existing",
    ),
    pytest.param(
        scenario(SECOND_OPINION, claim={"first_symptoms": "2014-12-31"}),
        "approved",
        "1500.00",
        None,
        None,
        id="001-t9-1-symptoms-over-10-years-before",
    ),
    # ---- conditions and exclusions (001 т.42, §IV; 003 т.38, §IV) ----
    pytest.param(
        scenario(TREATMENT, claim={"diagnosis": "I25.1"}),
        "rejected",
        "0.00",
        "condition-not-covered",
        "001 т.42",
        id="001-t42-cancer-needs-a-cancer-diagnosis",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"diagnosis": "N87.2"}),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t42-3-severe-dysplasia-covered",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"diagnosis": "D04.5"}),
        "rejected",
        "0.00",
        "excluded-non-invasive-skin-cancer",
        "001 т.11.1 б)",
        id="001-t11-1-b-skin-in-situ",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"diagnosis": "C44.5"}),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t11-1-b-invasive-skin-cancer-covered",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"diagnosis": "C46.0"}),
        "rejected",
        "0.00",
        "excluded-hiv-aids",
        "001 т.9.4",
        id="001-t9-4-kaposi-sarcoma",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"condition": "living-donor-transplant", "diagnosis": "K70.3"}),
        "rejected",
        "0.00",
        "excluded-transplant-alcoholic-liver",
        "001 т.11.3 а)",
        id="001-t11-3-a-alcoholic-liver-disease",
    ),
    pytest.param(
        scenario(
            TREATMENT,
            claim={
                "condition": "bone-marrow-transplant",
                "diagnosis": "C92.0",
                "circumstances": ["cord-blood"],
            },
        ),
        "rejected",
        "0.00",
        "excluded-cord-blood",
        "001 т.11.4 а)",
        id="001-t11-4-a-cord-blood",
    ),
    pytest.param(
        scenario(
            TREATMENT,
            claim={
                "condition": "coronary-bypass",
                "diagnosis": "I25.1",
                "circumstances": ["other-coronary-technique"],
            },
        ),
        "rejected",
        "0.00",
        "excluded-coronary-other-technique",
        "001 т.11.2 а)",
        id="001-t11-2-a-stent-instead-of-bypass",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"condition": "neurosurgery", "diagnosis": "D33.4"}),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t45-2-benign-spinal-cord-tumour",
    ),
    pytest.param(
        scenario(with_(TREATMENT, country="BG")),
        "rejected",
        "0.00",
        "excluded-treated-in-bulgaria",
        "001 т.10.1",
        id="001-t10-1-treatment-in-bulgaria",
    ),
    pytest.param(
        scenario(TREATMENT, insured={"resident": False}),
        "rejected",
        "0.00",
        "excluded-non-resident",
        "001 т.10.2",
        id="001-t10-2-non-resident",
    ),
    pytest.param(
        scenario(TREATMENT, claim={"circumstances": ["war"]}),
        "rejected",
        "0.00",
        "excluded-war-catastrophe",
        "001 т.8.2",
        id="001-t8-2-war",
    ),
    pytest.param(
        scenario(with_(TREATMENT, country="US")),
        "approved",
        "85000.00",
        None,
        None,
        id="001-t10-1-usa-is-abroad",
    ),
]

V2015_TREATMENT = {
    **V2015,
    "claim": {
        "notified": "2018-05-10",
        "first_symptoms": "2018-05-01",
        "precertificate": {"issued": "2018-06-01", "hospital": "H1"},
        "returned_home": "2018-08-25",
    },
}
T2015 = with_(TREATMENT, date="2018-06-10")


def v2015(
    *lines: dict[str, Any],
    claim: dict[str, Any] | None = None,
    contract: dict[str, Any] | None = None,
) -> dict[str, Any]:
    contract = {**V2015["contract"], **(contract or {})}
    return scenario(
        *lines,
        version=V2015["version"],
        contract=contract,
        insured={"covered_from": contract["start"]},
        claim={**V2015_TREATMENT["claim"], **(claim or {})},
    )


CASES_2015 = [
    pytest.param(
        v2015(T2015, claim={"diagnosis": "C44.5"}),
        "rejected",
        "0.00",
        "excluded-skin-cancer",
        "003 т.11.1 б)",
        id="003-t11-1-b-skin-cancer-excluded",
    ),
    pytest.param(
        v2015(T2015, claim={"diagnosis": "C43.5"}),
        "approved",
        "85000.00",
        None,
        None,
        id="003-t11-1-b-melanoma-covered",
    ),
    pytest.param(
        v2015(T2015, claim={"diagnosis": "C84.0"}),
        "rejected",
        "0.00",
        "excluded-cutaneous-lymphoma",
        "003 т.38.1",
        id="003-t38-1-cutaneous-lymphoma",
    ),
    pytest.param(
        v2015(with_(T2015, country="US")),
        "rejected",
        "0.00",
        "usa-not-covered",
        "003 III т.7",
        id="003-III-t7-without-usa-by-default",
    ),
    pytest.param(
        v2015(with_(T2015, country="US"), contract={"usa_included": True}),
        "approved",
        "85000.00",
        None,
        None,
        id="003-III-t7-usa-included",
    ),
    pytest.param(
        v2015(
            T2015,
            claim={
                "condition": "bone-marrow-transplant",
                "diagnosis": "C92.0",
                "circumstances": ["cord-blood"],
            },
        ),
        "approved",
        "85000.00",
        None,
        None,
        id="003-no-cord-blood-exclusion",
    ),
    pytest.param(
        v2015(T2015, claim={"circumstances": ["non-compliance"]}),
        "approved",
        "85000.00",
        None,
        None,
        id="003-no-non-compliance-exclusion",
    ),
    pytest.param(
        v2015(T2015, claim={"submitted": "2021-06-11"}),
        "rejected",
        "0.00",
        "time-barred",
        "003 т.82",
        id="003-t82-prescription-3-years",
    ),
    pytest.param(
        v2015(
            with_(T2015, date="2018-04-01"),
            contract={"start": "2018-01-01"},
            claim={
                "first_symptoms": None,
                "precertificate": {"issued": "2018-03-01", "hospital": "H1"},
            },
        ),
        "rejected",
        "0.00",
        "waiting-period",
        "003 т.19",
        id="003-t19-six-months",
    ),
    pytest.param(
        v2015(T2015, contract={"terminated_on": "2018-06-05", "type": "group"}),
        "rejected",
        "0.00",
        "contract-terminated",
        "003 т.24",
        id="003-no-group-leaver-guarantee",
    ),
    pytest.param(
        v2015(
            with_(MEDICINES, date="2018-09-10", purchased="2018-09-10"),
            claim={"hospital_nights": 3},
        ),
        "rejected",
        "0.00",
        "stay-too-short",
        "003 т.59",
        id="003-t59-more-than-three-days",
    ),
]


@pytest.mark.parametrize(("data", "outcome", "payable", "code", "clause"), CASES + CASES_2015)
def test_line_decision(
    data: dict[str, Any], outcome: str, payable: str, code: str | None, clause: str | None
) -> None:
    line = decide(data)["lines"][0]

    assert line["outcome"] == outcome
    assert Decimal(line["payable"]) == Decimal(payable)
    if code is not None:
        assert code in codes(line), line["reasons"]
        assert clause in clauses(line), line["reasons"]
    if outcome == "approved":
        assert line["reasons"] == []
    else:
        assert line["reasons"], "a cut or refused line must say why"
        assert all(r["clause"][:3] in ("001", "003") for r in line["reasons"])


def test_shared_example_daily_cash_cap_matches_expected(scenarios_dir: Path) -> None:
    folder = scenarios_dir
    data = json.loads((folder / "best-doctors-daily-cash-cap.json").read_text(encoding="utf-8"))
    expected = json.loads(
        (folder / "best-doctors-daily-cash-cap.expected.json").read_text(encoding="utf-8")
    )

    decision = decide(data)

    assert decision["outcome"] == expected["outcome"] == "partial"
    assert Decimal(decision["payable"]) == Decimal("6000.00")
    line = decision["lines"][0]
    assert line["outcome"] == "partial"
    assert line["billed"] == "7000.00"
    assert any(r["clause"].startswith("001") for r in line["reasons"])


def test_version_defaults_to_terms_in_force_on_contract_start() -> None:
    """A contract sold under the 2015 terms keeps them: follow-up care stays uncovered (003 т.7)."""
    data = v2015(with_(FOLLOW_UP, date="2018-12-01"))
    del data["version"]

    line = decide(data)["lines"][0]

    assert line["outcome"] == "rejected"
    assert clauses(line) == {"003 т.7"}


def test_001_second_opinion_twice_in_one_claim_pays_once() -> None:
    decision = decide(scenario(SECOND_OPINION, with_(SECOND_OPINION, date="2026-05-20")))

    assert [line["outcome"] for line in decision["lines"]] == ["approved", "rejected"]
    assert decision["outcome"] == "partial"
    assert decision["payable"] == "1500.00"


def test_001_t30_daily_cash_across_lines_of_one_claim() -> None:
    decision = decide(scenario(with_(DAILY_CASH, quantity=40), with_(DAILY_CASH, quantity=30)))

    assert [line["payable"] for line in decision["lines"]] == ["4000.00", "2000.00"]
    assert decision["payable"] == "6000.00"


def test_001_t65_1_medicines_without_prescription_are_pending() -> None:
    decision = decide(
        scenario(MEDICINES, TREATMENT, claim={"documents": ["invoice", "fiscal-receipt"]})
    )

    assert decision["outcome"] == "pending"
    assert decision["missing_documents"] == ["prescription"]
    assert decision["lines"][0]["outcome"] == "pending"
    assert decision["lines"][0]["payable"] == "0.00"
    assert decision["lines"][1]["payable"] == "85000.00"


def test_001_t65_1_payment_order_stands_in_for_receipt() -> None:
    decision = decide(
        scenario(MEDICINES, claim={"documents": ["prescription", "invoice", "payment-order"]})
    )

    assert decision["outcome"] == "approved"
    assert decision["missing_documents"] == []


def test_claim_wide_refusal_is_on_every_line_and_the_claim() -> None:
    decision = decide(scenario(TREATMENT, TRAVEL, claim={"first_symptoms": "2024-06-01"}))

    assert decision["outcome"] == "rejected"
    assert decision["payable"] == "0.00"
    assert all("pre-existing-condition" in codes(line) for line in decision["lines"])
    assert [r["clause"] for r in decision["reasons"]] == ["001 т.9.1"]


def test_leva_invoice_before_2026_is_converted_to_euro() -> None:
    line = with_(TREATMENT, date="2025-11-10", amount="1955.83", currency="BGN")
    data = scenario(
        line,
        claim={
            "notified": "2025-10-10",
            "first_symptoms": "2025-10-01",
            "precertificate": {"issued": "2025-11-01", "hospital": "H1"},
        },
    )

    assert decide(data)["lines"][0]["payable"] == "1000.00"


def test_every_emitted_code_is_registered() -> None:
    emitted = set()
    for param in CASES + CASES_2015:
        for line in decide(param.values[0])["lines"]:
            emitted |= codes(line)
    unknown = {c for c in emitted if c not in REASONS and not c.startswith(EXCLUSION_PREFIX)}
    assert not unknown
    assert len(emitted) >= 30


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(
            lambda d: d["claim"]["lines"][0].update(benefit="spa"),
            "claim.lines[0].benefit",
            id="unknown-benefit",
        ),
        pytest.param(
            lambda d: d["claim"].update(diagnosis="X99.99"), "claim.diagnosis", id="bad-icd10"
        ),
        pytest.param(
            lambda d: d["claim"]["lines"][0].pop("amount"),
            "claim.lines[0].amount",
            id="amount-missing",
        ),
        pytest.param(
            lambda d: d["claim"]["lines"][0].update(amount="-5"),
            "claim.lines[0].amount",
            id="negative-amount",
        ),
        pytest.param(lambda d: d["contract"].pop("start"), "contract.start", id="start-missing"),
        pytest.param(lambda d: d.update(version="2017-01-01"), "version", id="unknown-version"),
        pytest.param(
            lambda d: d["claim"].update(condition="stroke"),
            "claim.condition",
            id="unknown-condition",
        ),
        pytest.param(
            lambda d: d["claim"]["lines"][0].update(currency="USD"),
            "claim.lines[0].currency",
            id="unknown-currency",
        ),
        pytest.param(
            lambda d: d["claim"].update(circumstances=["bad-luck"]),
            "claim.circumstances[0]",
            id="unknown-circumstance",
        ),
        pytest.param(
            lambda d: d["history"].append(
                {"benefit": "travel", "date": "2026-01-01", "paid": "10.00"}
            ),
            "history[0].claim_ref",
            id="history-without-claim-ref",
        ),
        pytest.param(
            lambda d: d["contract"]["premium"].update(frequency="weekly"),
            "contract.premium.frequency",
            id="unknown-premium-frequency",
        ),
    ],
)
def test_malformed_scenario_names_the_field(change: Any, field: str) -> None:
    data = scenario(TREATMENT)
    change(data)

    with pytest.raises(ScenarioError) as error:
        decide(data)

    assert error.value.field == field


def test_daily_cash_needs_a_quantity() -> None:
    data = scenario({"benefit": "daily-hospital-cash", "date": "2026-06-10"})

    with pytest.raises(ScenarioError, match="full days") as error:
        decide(data)
    assert error.value.field == "claim.lines[0].quantity"


def test_same_claim_twice_gives_the_same_decision() -> None:
    data = scenario(TREATMENT, MEDICINES, with_(DAILY_CASH, quantity=70), SECOND_OPINION)

    assert decide(copy.deepcopy(data)) == decide(copy.deepcopy(data))
