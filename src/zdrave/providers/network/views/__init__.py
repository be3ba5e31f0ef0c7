"""The network's pages: members search it (``members``), provider relations keep it
(``staff``), a provider user's front desk (``front_desk``)."""
