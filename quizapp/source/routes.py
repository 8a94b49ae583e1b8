"""The article viewer: every section with an anchor, and a cited passage highlighted."""

from flask import render_template, request, url_for

from quizapp import current_bank
from quizapp.source import bp


@bp.route("/")
def article():
    article = current_bank().article
    quote = request.args.get("quote", "")[:2000]
    passage = article.find(quote) if quote.strip() else None
    return render_template(
        "source/article.html",
        article=article,
        passage=passage,
        quote_missing=bool(quote) and not passage,
    )


@bp.app_template_global()
def section_title(number: str) -> str:
    article = current_bank().article
    return article.section(number).title if article.has_section(number) else ""


@bp.app_template_global()
def section_anchor(number: str) -> str:
    return "s-" + number.replace(".", "-")


@bp.app_template_global()
def passage_url(quote: str) -> str:
    """A link into the viewer that highlights `quote` and scrolls to it."""
    return url_for("source.article", quote=quote, _anchor="passage")
