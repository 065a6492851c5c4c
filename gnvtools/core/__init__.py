"""The pure core: parameter files and data → allocation, follow-up, checks, figures."""
