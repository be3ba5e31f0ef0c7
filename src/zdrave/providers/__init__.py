"""The provider network and direct billing: medical institutions, their doctors and agreed
prices, the eligibility check at the front desk, pre-authorisations and guarantee letters,
provider claims and monthly settlement. Sits above claims (a provider claim is decided and
paid like a member's) and beside policy administration and treatment abroad."""
