"""The FHIR R4 interface (issue 12): ``/fhir/R4/`` for hospital systems and partners."""
