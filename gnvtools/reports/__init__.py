"""Documents: each report as ordered sections (generated or authored) built from the figures."""

# "1": charts also carry a PNG beside their SVG (for the Word export); see ``reports.charts``.
CHART_PNG_SETTING = "GNV_CHART_PNG"
