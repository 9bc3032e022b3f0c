"""Static files: served by WhiteNoise at /assets/, compressed, under fingerprinted URLs.

Templates ask for `asset_url("govuk-frontend.min.css")` and get a URL with the file's
content hash in it, cached by browsers for a year. A changed file gets a new URL, so
nobody is served a stale stylesheet. Files under their plain names (the fonts and images
GOV.UK Frontend's CSS asks for) stay available with a short cache.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from wsgiref.headers import Headers

from flask import Flask
from whitenoise import WhiteNoise

from .security import STATIC_HEADERS, content_security_policy

# GOV.UK Frontend's CSS asks for /assets/fonts/... and /assets/images/..., so keep this.
URL_PREFIX = "/assets"
PLAIN_NAME_MAX_AGE = 60 * 60
# Names that already carry a content hash, like GOV.UK Frontend's bold-b542beb274-v2.woff2.
HASHED_NAME = re.compile(r"[.-][0-9a-f]{10,}[.-]")
COMPRESSED_SUFFIXES = (".gz", ".br")


def fingerprinted_name(relative_path: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:12]
    stem, dot, suffix = relative_path.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{relative_path}.{digest}"


def fingerprint_directory(directory: Path) -> dict[str, str]:
    """Map each file's path (relative to directory) to its fingerprinted path."""
    return {
        relative: fingerprinted_name(relative, path.read_bytes())
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.name.endswith(COMPRESSED_SUFFIXES)
        for relative in [path.relative_to(directory).as_posix()]
    }


def _add_static_headers(headers: Headers, _path: str, _url: str) -> None:
    for name, value in STATIC_HEADERS.items():
        headers[name] = value
    headers["Content-Security-Policy"] = content_security_policy()


def init_app(app: Flask) -> None:
    directory = Path(app.root_path) / "static"
    fingerprints = fingerprint_directory(directory)

    static_files = WhiteNoise(
        app.wsgi_app,
        root=directory,
        prefix=URL_PREFIX,
        max_age=PLAIN_NAME_MAX_AGE,
        # Our fingerprints and GOV.UK Frontend's hashed font names both match.
        immutable_file_test=HASHED_NAME.pattern,
        add_headers_function=_add_static_headers,
    )
    for relative, fingerprinted in fingerprints.items():
        static_files.add_file_to_dictionary(
            f"{URL_PREFIX}/{fingerprinted}", str(directory / relative)
        )
    app.wsgi_app = static_files  # type: ignore[method-assign]

    def asset_url(relative_path: str) -> str:
        return f"{URL_PREFIX}/{fingerprints[relative_path]}"

    app.add_template_global(asset_url)
