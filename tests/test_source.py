def test_article_viewer_shows_every_section_with_an_anchor(client):
    page = client.get("/source/").get_data(as_text=True)
    for anchor in ("s-0", "s-1", "s-2-1", "s-2-3", "s-5", "s-8"):
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page


BAKER = "not one inch of NATO’s present military jurisdiction will spread in an eastern direction."


def test_article_viewer_highlights_the_cited_passage(client):
    page = client.get("/source/", query_string={"quote": BAKER}).get_data(as_text=True)
    assert f'<mark id="passage" tabindex="-1">{BAKER}</mark>' in page
    assert page.count("<mark") == 1


def test_article_viewer_finds_a_passage_whatever_its_whitespace(client):
    page = client.get(
        "/source/", query_string={"quote": "the Berlin Wall   fell\non 9 November"}
    ).get_data(as_text=True)
    assert '<mark id="passage" tabindex="-1">the Berlin Wall fell on 9 November</mark>' in page


def test_article_viewer_says_when_a_passage_is_not_in_the_article(client):
    page = client.get("/source/", query_string={"quote": "NATO promised never to expand"})
    assert page.status_code == 200
    assert "That passage is not in the article" in page.get_data(as_text=True)
    assert b"<mark" not in page.data
