"""Renderers and records: the layer after ``reports`` (documents) and before ``project`` and the
command line; it imports no ``project`` or ``cli`` module (``tests/test_layers.py``).

Four jobs, one module each (kept in one flat folder: tests, the papermill entry point
``gnvtools.publish.engine`` and the print service ``-m gnvtools.publish.printserver`` name
these modules):

- executing notebooks: ``render`` (validate, execute with papermill, export, write as one set),
  ``warm`` and ``engine`` (the ``gnvwarm`` engine: each report in a fork of a warm process),
  ``running`` (the notebooks, engine and browser the command line chose), ``lifetime``;
- renderers per format: HTML in ``render`` (``templates/gnvmemo``, ``style``), ``pdf`` and
  ``printserver`` (one browser for a batch), ``archive`` (PDF/A), ``word`` and
  ``docx_template``, ``excel``, ``logo``;
- records: ``manifest``, ``provenance`` (the git commit; hashes and versions in
  ``core.provenance``), ``bundle``, ``verify``, ``recompute``, ``changes``;
- the batch and the files: ``build``, ``atomic``, ``confine``, ``safezip``.
"""
