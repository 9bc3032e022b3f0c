"""Check the translation catalogues: `python catalogues.py MESSAGES.pot DIRECTORY cy`.

Fails, listing each problem, when a string in the template (extracted from the code and
templates) has no translation, a translation is fuzzy (a guess `pybabel update` made
that nobody has checked), or a compiled catalogue (.mo) is not its .po compiled. Run by
`nox -s lint`, with nothing but Babel installed; `nox -s translations` fixes the last.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def problems(template: Catalog, catalog: Catalog, compiled: bytes | None) -> list[str]:
    found = []
    for message in template:
        if not message.id:
            continue  # the header
        translated = catalog.get(message.id, message.context)
        strings = translated.string if translated else None
        texts = strings if isinstance(strings, tuple | list) else (strings,)
        if translated is None or not all(texts):
            found.append(f"no translation: {message.id!r}")
        elif translated.fuzzy:
            found.append(f"fuzzy (check it, then remove the fuzzy flag): {message.id!r}")
    expected = io.BytesIO()
    write_mo(expected, catalog)
    if compiled != expected.getvalue():
        found.append("the compiled catalogue is out of date: run `uv run nox -s translations`")
    return found


def main(template_path: str, directory: str, *locales: str) -> int:
    with Path(template_path).open("rb") as file:
        template = read_po(file)
    failed = False
    for locale in locales:
        folder = Path(directory) / locale / "LC_MESSAGES"
        with (folder / "messages.po").open("rb") as file:
            catalog = read_po(file, locale=locale)
        mo = folder / "messages.mo"
        for problem in problems(template, catalog, mo.read_bytes() if mo.exists() else None):
            print(f"{folder / 'messages.po'}: {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
