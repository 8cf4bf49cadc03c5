"""Documents: data from the services in, files out (HTML print view, PDF, XLSX, CSV).

Each printed document has one Jinja template under ``templates/documents/`` that serves both its print
view and its PDF (``render.html`` / ``render.pdf``), so the two never differ. Spreadsheets go through the
one cell-sanitising helper in ``sheets``.
"""
