"""Where to send a user when the address comes from them: a `next` in a link, a form's
hidden field, a sign-in under way. Every such redirect goes through `local_url`; build
every other one with `url_for`.

A browser reads an address its own way: it deletes tabs and line breaks, reads `\\` as
`/`, and takes `//host` for another site. Rules about what the text starts with miss some
of these, so the address is read here as a browser reads it, with the WHATWG URL parser
(ada-url: the parser Node.js uses). It is used only when it stays on this service, and
then as the parser writes it: its path and query, nothing else.
"""

from __future__ import annotations

import re

from ada_url import URL
from flask import Flask, request, url_for


def local_url(candidate: object, fallback: str) -> str:
    """The path and query on this service that `candidate` leads to, as a browser would
    follow it; `fallback` when it leads anywhere else or cannot be read."""
    if not isinstance(candidate, str) or not candidate:
        return fallback
    origin = request.host_url
    try:
        resolved = URL(candidate, origin)
        own = URL(origin)
    except ValueError:
        return fallback
    if resolved.origin != own.origin:
        return fallback
    target = resolved.pathname + resolved.search
    # "/.//host" resolves to the path "//host", which, written on its own, is another
    # site: such a path is refused rather than rewritten.
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    # Belt and braces: what is answered must itself read as this service's address.
    try:
        if URL(target, origin).href != resolved.href.split("#", 1)[0]:
            return fallback
    except ValueError:
        return fallback
    return target


# Addresses every parser reads alike: letters, digits, "-" and "_" between single slashes,
# a query of the same and "=" and "&". local_url would give them back unchanged, so
# this_page takes them as they are: parsing costs a tenth of a page like the start page.
PLAIN_PATH = re.compile(r"/|(?:/[A-Za-z0-9_-]+)+/?")
PLAIN_QUERY = re.compile(r"[A-Za-z0-9_=&-]*")


def this_page(*, with_query: bool = True) -> str:
    """This page's own address, as a browser will read it when it is written in a link or
    a form: the path the request named (a request for "/\\\\host" is a 404 here, but the
    same text in a link leads to another site)."""
    path = request.script_root + request.path
    query = request.query_string.decode("latin-1") if with_query else ""
    if PLAIN_PATH.fullmatch(path) and PLAIN_QUERY.fullmatch(query):
        return f"{path}?{query}" if query else path
    return local_url(request.url if with_query else request.base_url, url_for("pages.start"))


def init_app(app: Flask) -> None:
    app.add_template_global(this_page)
