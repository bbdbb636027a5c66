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
