"""Letters to members and partners, as PDF (WeasyPrint) and as HTML for the browser: one A4
letter layout — letterhead, reference and date, body, page-numbered footer — in Bulgarian or
English."""
