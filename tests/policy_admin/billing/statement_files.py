"""Bank statement files for the tests: the CSV export and a camt.053.001.08 statement."""

from __future__ import annotations

import datetime as dt

HEADER = "Дата;Референция;Наредител;IBAN на наредителя;Дебит;Кредит;Валута;Основание"


def csv_file(*rows: tuple[dt.date, str, str, str, str, str], encoding: str = "utf-8-sig") -> bytes:
    """rows: (date, reference, payer, debit, credit, details)."""
    lines = [HEADER]
    for day, ref, payer, debit, credit, details in rows:
        lines.append(
            f"{day:%d.%m.%Y};{ref};{payer};BG80BNBG96611020345678;{debit};{credit};EUR;{details}"
        )
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def camt053(*entries: tuple[dt.date, str, str, str, str]) -> bytes:
    """entries: (date, reference, payer, amount, details), all credits in EUR."""
    body = "".join(
        f"""<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>{day.isoformat()}</Dt></BookgDt><ValDt><Dt>{day.isoformat()}</Dt></ValDt>
<AcctSvcrRef>{ref}</AcctSvcrRef><BkTxCd><Prtry><Cd>NTRF</Cd></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
<Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<RltdPties><Dbtr><Pty><Nm>{payer}</Nm></Pty></Dbtr>
<DbtrAcct><Id><IBAN>BG80BNBG96611020345678</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>{details}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for day, ref, payer, amount, details in entries
    )
    today = dt.date.today().isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
<BkToCstmrStmt><GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>{today}T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-1-1</Id><CreDtTm>{today}T08:00:00</CreDtTm>
<Acct><Id><IBAN>BG18RZBB91550123456789</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{today}</Dt></Dt></Bal>
{body}</Stmt></BkToCstmrStmt></Document>""".encode()
