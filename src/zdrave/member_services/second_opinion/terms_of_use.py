"""The Terms of Use the member accepts in the last ordering step (000 а) стъпка 15). The text is
a template; the version is stored on the case with the time of acceptance, so a later change of
the terms never rewrites what a member agreed to."""

from __future__ import annotations

# Bump with every change of templates/opinions/cases/terms_of_use.html (and keep the old text in
# the history of the repository: the version names it).
CURRENT_VERSION = "2022-11-01"
TEMPLATE = "second_opinion/_terms_of_use.html"
