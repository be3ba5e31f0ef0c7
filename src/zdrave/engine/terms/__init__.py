"""Product terms as validated data.

A product version is a folder under ``products/<code>/<effective-from>/`` of YAML files. The
loader (``zdrave.engine.terms.loader``) merges them into one document and validates it against
``ProductVersion``; a bad file is refused with the file, the path inside it and the rule broken.
"""

from zdrave.engine.terms.common import Citation, Limit, LimitUnit, Text
from zdrave.engine.terms.loader import Catalog, TermsError, load_catalog, load_product_version
from zdrave.engine.terms.product import ProductVersion

__all__ = [
    "Catalog",
    "Citation",
    "Limit",
    "LimitUnit",
    "ProductVersion",
    "TermsError",
    "Text",
    "load_catalog",
    "load_product_version",
]
