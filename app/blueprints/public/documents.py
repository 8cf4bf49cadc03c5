"""The stylesheet and fonts of the documents' print views (the PDFs carry their own copies)."""
from __future__ import annotations

from flask import Response, abort, send_file

from ...documents import render
from ...security.access import public
from ...services.organisation import get_profile
from . import bp


@bp.route("/documents/document.css")
@public
def document_css():
    """The documents' CSS with links to the fonts; the footer names the organisation."""
    css = render.stylesheet(embedded=False, footer=get_profile().short_name)
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/documents/fonts/<name>")
@public
def document_font(name: str):
    """One of the Sarabun faces the documents use."""
    path = render.font_file(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="font/ttf", max_age=7 * 24 * 3600)
    return response
