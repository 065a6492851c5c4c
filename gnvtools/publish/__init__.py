"""Renderers and records: notebook execution, HTML, PDF, Excel, manifests, builds, verify."""
