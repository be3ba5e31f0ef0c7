"""The identifier and code systems this server names. Our own systems are URNs under
``urn:zdrave:`` (a partner needs no web address to resolve them); the FHIR ones are HL7's."""

FHIR_VERSION = "4.0.1"
CONTENT_TYPE = "application/fhir+json"

EGN = "urn:zdrave:sid:egn"  # ЕГН, the Bulgarian personal number
LNCH = "urn:zdrave:sid:lnch"  # ЛНЧ, a foreigner's personal number
PASSPORT = "urn:zdrave:sid:passport"
CARD = "urn:zdrave:sid:card"  # the number on the insurer's legitimation card (004 Чл.24 т.4)
EIK = "urn:zdrave:sid:eik"  # ЕИК, the company number of a medical institution
CONTRACT = "urn:zdrave:sid:contract"  # the insurance contract's number
CLAIM = "urn:zdrave:sid:provider-claim"  # the hospital's own number for its Claim
SERVICE = "urn:zdrave:cs:service"  # the service rows of the product terms (002: "2.8.e")
PACKAGE = "urn:zdrave:cs:package"  # the packages of the product terms (002 I–VI)
OPTION = "urn:zdrave:cs:option"  # the options of a package (Минимална … Лукс)
SPECIALTY = "urn:zdrave:cs:specialty"
VERDICT = "urn:zdrave:cs:front-desk-verdict"
REASON = "urn:zdrave:cs:reason"  # the engine's reason codes; the clause is in the text

ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
BENEFIT_TYPE = "http://terminology.hl7.org/CodeSystem/benefit-type"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
PROCESS_PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"
PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/ex-paymenttype"

INSURER_ID = "insurer"  # the Organization of the insurer that issues the product terms
