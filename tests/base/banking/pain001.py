"""Reading a SEPA credit transfer file (pain.001.001.09) in the tests: its namespace, the
official XSD loaded on its own (not through the code under test), and the parsed file."""

import xml.etree.ElementTree as ET

import xmlschema

from zdrave.base.banking.schemas import XSD_DIR

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
OFFICIAL_XSD = xmlschema.XMLSchema(XSD_DIR / "pain.001.001.09.xsd")


def parsed(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 — the file the code under test just wrote
