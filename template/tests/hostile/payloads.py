"""Hostile input the gate sends: addresses that try to lead off the service, markup that
tries to run, and text that tries to break a parser, a header or the database.

The redirect cases are known ways past hand-written checks, from OWASP's Unvalidated
Redirects and Forwards cheat sheet and the open-redirect tests of well-kept web
frameworks. Every one names evil.example, so a check can tell a leak by its host.
"""

from __future__ import annotations

from hypothesis import strategies as st

EVIL_HOST = "evil.example"

REDIRECT_BYPASSES: dict[str, str] = {
    # Another site, written plainly or with its scheme in any case.
    "absolute": "https://evil.example/",
    "scheme in capitals": "HTTPS://evil.example/",
    "scheme in mixed case": "hTtP://evil.example/",
    "scheme, one slash": "https:/evil.example/",
    "scheme, no slash": "https:evil.example/",
    "scheme, backslashes": "https:\\\\evil.example/",
    # Scheme-relative: the browser keeps the scheme and changes the host.
    "two slashes": "//evil.example/",
    "three slashes": "///evil.example/",
    "four slashes": "////evil.example/",
    "slash backslash": "/\\evil.example/",
    "backslash slash": "\\/evil.example/",
    "two backslashes": "\\\\evil.example/",
    "slash backslash slash": "/\\/evil.example/",
    # Characters browsers delete from an address, between or before the slashes.
    "tab between slashes": "/\t/evil.example/",
    "line feed between slashes": "/\n/evil.example/",
    "carriage return between slashes": "/\r/evil.example/",
    "CRLF between slashes": "/\r\n/evil.example/",
    "tab in the scheme": "ht\ttps://evil.example/",
    "leading tab": "\t//evil.example/",
    "leading space": " //evil.example/",
    "leading line feed": "\n//evil.example/",
    "leading NUL": "\x00//evil.example/",
    "leading C0 control": "\x1f//evil.example/",
    "NUL between slashes": "/\x00/evil.example/",
    "DEL between slashes": "/\x7f/evil.example/",
    # Dot segments that collapse into a scheme-relative path.
    "dot then two slashes": "/.//evil.example/",
    "dot-dot then two slashes": "/..//evil.example/",
    "down and up then two slashes": "/a/..//evil.example/",
    "encoded dot then two slashes": "/%2e//evil.example/",
    # Percent-encoded forms (a browser does not decode them in a path, but a careless
    # server might before it redirects).
    "encoded slash": "/%2f/evil.example/",
    "encoded slashes": "/%2f%2fevil.example/",
    "encoded backslash": "/%5cevil.example/",
    "encoded tab": "/%09/evil.example/",
    "encoded line feed": "/%0a/evil.example/",
    "encoded carriage return": "/%0d/evil.example/",
    "encoded CRLF header injection": "/%0d%0aLocation:%20https://evil.example/",
    "CRLF header injection": "/\r\nLocation: https://evil.example/",
    # Userinfo: everything before @ is a user name, the host comes after.
    "userinfo": "https://localhost@evil.example/",
    "scheme-relative userinfo": "//localhost@evil.example/",
    "encoded at": "https://localhost%40evil.example/",
    "backslash before at": "https://evil.example\\@localhost/",
    # Scripts and data: not a page on any site.
    "javascript": "javascript:alert(document.domain)//evil.example",
    "javascript in capitals": "JAVASCRIPT:alert(1)//evil.example",
    "javascript with a tab": "java\tscript:alert(1)//evil.example",
    "javascript with leading space": " javascript:alert(1)//evil.example",
    "data": "data:text/html,<script>alert(1)</script>evil.example",
    "vbscript": "vbscript:msgbox(1)//evil.example",
    # Unicode that some software normalises to / or \\ or a dot.
    "fullwidth solidus": "/\uff0f/evil.example/",
    "division slash": "/\u2215/evil.example/",
    "fullwidth reverse solidus": "/\uff3cevil.example/",
    "ideographic full stop host": "https://evil\u3002example/",
    "fullwidth host": "https://\uff45\uff56\uff49\uff4c.example/",
    "right-to-left override": "/\u202e//evil.example/",
}

# Pages that render what they are sent must escape it: these break out of text, an
# attribute (quoted either way) and a script, each with a mark to look for unescaped.
MARKUP = (
    "<hostile-mark>",
    '"><hostile-mark x="',
    "'><hostile-mark x='",
    "</script><hostile-mark>",
    "<svg/onload=hostile-mark()>",
    "javascript:hostile-mark()",
)
# What must never appear unescaped in a page it was sent to.
REFLECTED_MARKS = ("<hostile-mark", "<svg/onload=hostile-mark")

ODD_TEXT = (
    "",
    " ",
    "\x00",
    "\r\n",
    "\r\nSet-Cookie: hostile=1",
    "%00",
    "%0d%0aSet-Cookie:%20hostile=1",
    "'; DROP TABLE applications; --",
    '" OR "1"="1',
    "../../../../etc/passwd",
    "%s%s%s%n",
    "{{7*7}}",
    "${7*7}",
    "\u202e\u200b\ufeff",
    "\ud7ff\ue000\U0010ffff",
    "A" * 10_000,
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
)

KNOWN_HOSTILE = (*REDIRECT_BYPASSES.values(), *MARKUP, *ODD_TEXT)
# For an answer to a question, which is never an address to go to: the markup and odd
# text, with a few of the address cases (every one is sent where an address is read).
ANSWER_HOSTILE = (*MARKUP, *ODD_TEXT, *list(REDIRECT_BYPASSES.values())[::8])


def hostile_text() -> st.SearchStrategy[str]:
    """Known hostile strings, and any text at all (controls and surrogates' neighbours
    included)."""
    return st.one_of(st.sampled_from(KNOWN_HOSTILE), st.text(max_size=60))
