"""PDF reports: plain-values context → Jinja templates in reports/ → WeasyPrint → cached bytes."""
