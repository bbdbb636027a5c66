"""User Markdown comes out as safe HTML."""

from html.parser import HTMLParser

import pytest

from pioneer.markdown import render


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html):
    collector = ElementCollector()
    collector.feed(str(html))
    return collector.elements


def assert_inert(html):
    """No script or embedded document, no event handler, no URL but http(s) and mailto."""
    for tag, attrs in elements(html):
        assert tag not in {"script", "svg", "iframe", "object", "embed", "style", "form", "math"}
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                assert value.lower().startswith(("http://", "https://", "mailto:")), (tag, name, value)


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        '<svg onload="alert(1)"></svg>',
        "<a href='https://x.org' onclick='alert(1)'>x</a>",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "<iframe src=https://evil.example></iframe>",
        "[x]: javascript:alert(1)\n\n[link][x]",
        "![img](https://example.org/a.png\" onerror=\"alert(1))",
    ],
)
def test_dangerous_markup_renders_inert(source):
    html = render(source)
    assert_inert(html)
    assert "<script" not in str(html)


def test_markdown_keeps_formatting_and_marks_links():
    html = str(render("# Title\n\nSome *emphasis* and [a link](https://example.org).\n\n- one\n- two"))
    assert "<h3>Title</h3>" in html and "<em>emphasis</em>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener">a link</a>' in html


@pytest.mark.parametrize("empty", ["", None])
def test_no_text_renders_as_nothing(empty):
    # Pages rely on this: the project form shows "(no description yet)" when the preview is empty.
    html = render(empty)
    assert html == "" and not html


def test_headings_start_at_level_three_because_the_page_owns_h1_and_h2():
    html = str(render("# Big\n\n## Smaller\n\n### Third\n\n###### Sixth\n\nSetext top\n===\n\nSetext second\n---"))
    # Level three and below are left as typed, so "###" looks like "#".
    assert [tag for tag, _attrs in elements(html)] == ["h3", "h4", "h3", "h6", "h3", "h4"]
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html and "<h3>Third</h3>" in html
    assert "<h3>Setext top</h3>" in html and "<h4>Setext second</h4>" in html


@pytest.mark.parametrize("source", ["[files](ftp://files.example.org/a)", "[call me](tel:+33123456)",
                                    "[chat](irc://irc.example.org/pioneer)", "[talk](xmpp:ada@example.org)"])
def test_links_to_other_than_web_or_mail_keep_their_text_but_lose_the_address(source):
    html = render(source)
    ((_tag, attrs),) = [element for element in elements(html) if element[0] == "a"]
    assert "href" not in attrs
    assert source[1:source.index("]")] in str(html)


@pytest.mark.parametrize("source, href", [
    ("[site](http://example.org/a)", "http://example.org/a"),
    ("<https://example.org/b>", "https://example.org/b"),
    ("<ada@example.org>", "mailto:ada@example.org"),
])
def test_web_and_mail_links_keep_their_address(source, href):
    (attrs,) = [attrs for tag, attrs in elements(render(source)) if tag == "a"]
    assert attrs == {"href": href, "rel": "nofollow noopener"}


def test_lists_tables_code_and_images_survive_sanitising():
    source = ("3. third\n4. fourth\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx < 1\n```\n\n"
              '![logo](https://example.org/logo.png "Logo")\n\n> quoted `code`')
    html = str(render(source))
    assert '<ol start="3">' in html and "<li>third</li>" in html
    assert "<th>a</th>" in html and "<td>2</td>" in html
    assert "<pre><code>x &lt; 1\n</code></pre>" in html
    assert '<img src="https://example.org/logo.png" alt="logo" title="Logo">' in html
    assert "<blockquote>" in html and "<code>code</code>" in html


def test_pages_render_descriptions_through_the_markdown_filter(client, ctx):
    from pioneer.database import db
    from tests.factories import make_project

    make_project("Markdown shown", description="Uses **bold** words.\n\n# Part")
    db.session.commit()
    html = client.get("/projects/markdown-shown").get_data(as_text=True)
    assert "Uses <strong>bold</strong> words." in html and "<h3>Part</h3>" in html


def test_the_sanitiser_alone_holds_if_raw_html_ever_reaches_it(monkeypatch):
    """Two layers: even with the parser's raw-HTML switch turned on, only the allowlist comes out."""
    from markdown_it import MarkdownIt

    import pioneer.markdown

    monkeypatch.setattr(pioneer.markdown, "_parser", MarkdownIt("commonmark", {"html": True}))
    html = render('<div class="box"><span>boxed</span> <b>bold</b> <img src="https://example.org/a.png" alt="a" '
                  'width="900" height="1" align="left"> <a href="https://example.org" hreflang="fr">x</a>'
                  '</div>')
    assert elements(html) == [("img", {"src": "https://example.org/a.png", "alt": "a"}),
                              ("a", {"href": "https://example.org", "rel": "nofollow noopener"})]
    assert "boxed" in str(html) and "bold" in str(html)
