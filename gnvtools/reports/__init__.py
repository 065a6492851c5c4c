"""Documents: each report as ordered sections (generated or authored) built from the figures."""
