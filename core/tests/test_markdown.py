from html.parser import HTMLParser

from core.markdown import render_markdown

HOSTILE = (
    "# Title\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) "
    '<img src=x onerror="alert(1)"> [ok](https://example.com)\n\n'
    "![pic](javascript:alert(2))\n\n[data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
    '<a href="javascript:alert(3)" onclick="x()">raw</a>'
)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def test_script_tags_javascript_links_and_event_handlers_are_inert():
    html = render_markdown(HOSTILE)
    found = elements(html)
    tags = {tag for tag, _ in found}
    assert "script" not in tags and "img" not in tags  # the only image had a javascript: source
    for _tag, attrs in found:
        assert not [name for name in attrs if name.startswith("on")], attrs
        for name in ("href", "src"):
            assert not (attrs.get(name) or "").lower().startswith(("javascript:", "data:")), attrs
    links = [attrs for tag, attrs in found if tag == "a"]
    assert links == [{"href": "https://example.com", "rel": "noopener noreferrer nofollow ugc"}]
    assert "&lt;script&gt;" in html  # raw HTML is shown as text
    assert "<h1>Title</h1>" in html


def test_plain_markdown_renders():
    html = render_markdown("**bold** and `code`\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html and "<li>one</li>" in html
