"""The article viewer: every section with an anchor, and a cited passage highlighted."""

from flask import render_template, request

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
