"""HTML in a canonical form, one line per tag or text run, so two renderings of the same
component compare equal whatever their whitespace and attribute order; and a short diff
of two that differ."""

from __future__ import annotations

import difflib
import json
import re
from html.parser import HTMLParser

# HTML's own whitespace: not \s, which would also swallow a no-break space.
WHITESPACE = re.compile(r"[ \t\n\r\f]+")
# Attributes whose value is a list of space-separated tokens: spacing inside means nothing.
# The order of the tokens is kept (so class order counts).
TOKEN_LIST_ATTRIBUTES = {"class", "rel", "aria-describedby", "aria-labelledby", "aria-controls"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip
# Where text is shown (or submitted) as written, so its whitespace is compared as it is.
PREFORMATTED = {"pre", "textarea"}
DIFF_LINES = 40


class _Tokens(HTMLParser):
    """HTML as one line per tag or text run, indented by depth, in a canonical form:
    attributes sorted, boolean attributes written as name="", whitespace collapsed and
    trimmed at the edges of text, references like &#39; decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0
        self.text: list[str] = []
        self.preformatted = 0

    def _flush(self) -> None:
        text = "".join(self.text)
        self.text = []
        if not self.preformatted:
            text = WHITESPACE.sub(" ", text).strip()
        if text:
            self.lines.append("  " * self.depth + json.dumps(text, ensure_ascii=False))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        written = []
        for name, value in sorted(attrs, key=lambda pair: (pair[0], pair[1] or "")):
            value = value or ""
            if name in TOKEN_LIST_ATTRIBUTES:
                value = WHITESPACE.sub(" ", value).strip()
            written.append(f" {name}={json.dumps(value, ensure_ascii=False)}")
        self.lines.append("  " * self.depth + f"<{tag}{''.join(written)}>")
        if tag not in VOID_ELEMENTS:
            self.depth += 1
            self.preformatted += tag in PREFORMATTED

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> is <br>; <div/> is not HTML's, but say it plainly if it ever appears.
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        self._flush()
        if tag in VOID_ELEMENTS:
            return
        self.preformatted -= tag in PREFORMATTED and self.preformatted > 0
        self.depth = max(self.depth - 1, 0)
        self.lines.append("  " * self.depth + f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self._flush()
        self.lines.append("  " * self.depth + f"<!-- {WHITESPACE.sub(' ', data).strip()} -->")

    def close(self) -> None:
        super().close()
        self._flush()


def normalise(html: str) -> list[str]:
    """HTML in a form where only whitespace and attribute order no longer count."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.lines


def diff_text(expected: list[str], actual: list[str]) -> str:
    lines = list(
        difflib.unified_diff(expected, actual, "GOV.UK Frontend", "service macro", n=2, lineterm="")
    )
    cut = len(lines) - DIFF_LINES
    return "\n".join(lines[:DIFF_LINES] + ([f"... {cut} more lines"] if cut > 0 else []))
