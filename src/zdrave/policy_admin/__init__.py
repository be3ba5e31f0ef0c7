"""Policy administration: the contract's life and its money side.

Apps: ``sales`` (tariff, quote, application and health declaration, underwriting, issuance,
policy and cards), ``billing`` (premium payments, bank statements, arrears, termination and
refunds, loss ratio), ``groups`` (annexes, the employer's census, renewal, preventive
examinations). The layer sits above claims, so billing can release a claim held for unpaid
instalments and the loss ratio can read claims paid; claims never import it.
"""
