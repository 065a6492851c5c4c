"""Renderers and records: the layer after ``reports`` (documents) and before ``project`` and the
command line; it imports no ``project`` or ``cli`` module (``tests/test_layers.py``).

Four jobs (kept in one flat folder: tests, the papermill entry point
``gnvtools.publish.engine`` and the print service ``-m gnvtools.publish.printserver`` name
these modules):

- executing notebooks: ``render`` (one report: ``render_inputs`` checks before a kernel starts,
  ``render_execute`` runs papermill, ``render_files`` writes the set and its manifest),
  ``notebook_params`` (the notebooks' typed parameters), ``warm``, ``warm_shell``,
  ``warm_record``, ``warm_early`` and ``engine`` (the ``gnvwarm`` engine: each report in a
  fork of a warm process; ``gnv render`` forks it early, to import in parallel),
  ``running`` (the notebooks, engine and browser the command line chose), ``lifetime``;
- renderers per format: ``exporting`` (runs them for one report), HTML through nbconvert
  (``templates/gnvmemo``, ``style``, ``pagesetup``), ``pdf`` with ``cdp`` and ``cdp_launch``
  (Chromium's DevTools protocol over a pipe), ``pdf_browser``, ``pdf_pages``, ``pdf_page``,
  ``printserver``, ``printclient`` and ``processtree`` (one browser for a batch), ``archive``
  (PDF/A), ``word``, ``word_blocks`` and ``word_parts`` with ``docx_template``, ``docx_zip``
  and ``docx_clean`` (the organisation's template, cleaned), ``excel`` with ``excel_table``,
  ``excel_sheets``, ``excel_names``, ``excel_reconcile``, ``excel_inputs``, ``excel_book`` (the
  workbook as plain cells), ``excel_style``, ``excel_styles``, ``excel_save``, ``excel_xml``,
  ``excel_rows`` and ``excel_parts`` (written as XML without openpyxl), ``notebook_json``
  (the executed notebook's file), ``logo``;
- records: ``manifest`` and ``manifest_read``, ``provenance`` (the git commit; hashes and
  versions in ``core.provenance``), ``bundle``, ``verify`` with ``verify_changes``,
  ``verify_compare``, ``verify_names`` and ``verify_report``, ``recompute``, ``changes`` with
  ``changes_tables`` and ``changes_yaml``;
- the batch and the files: ``build``, ``build_plan``, ``build_workers``, ``atomic``,
  ``journal``, ``folderlock``, ``confine``, ``safezip``.
"""
