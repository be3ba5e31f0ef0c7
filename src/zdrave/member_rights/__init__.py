"""Member rights: ``complaints`` (incoming number, deadline, answer letter, register) and
``privacy`` (the data archive, correction and erasure requests, consents, the access log,
retention). The layer sits above every business area, because a complaint can be about a claim,
a contract or a treatment-abroad case, and a data archive holds all of them."""
