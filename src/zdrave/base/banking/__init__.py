"""Bank files and account numbers: IBAN/BIC checks, the official Bulgarian transliteration,
SEPA credit transfer files (pain.001.001.09) and the bank's returns (pain.002, camt.054).

Pure builders and parsers: plain dataclasses in, bytes or dataclasses out, no models. Claims,
provider settlement and premium refunds keep their own batches and call these."""
