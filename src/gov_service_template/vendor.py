"""Vendor GOV.UK Frontend's precompiled assets into the template.

Generated services serve these files themselves, so a service never needs Node.
Run through `uvx nox -s vendor` when moving to a new GOV.UK Frontend release, then
`uvx nox -s parity`: the same run vendors the release's examples (fixtures.json) of each
component the service renders, which the parity check renders through the service's
macros. See docs/platform.md, "Keeping up with GOV.UK Frontend".
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import io
import json
import re
import shutil
import tarfile
import urllib.request
from pathlib import Path

from gov_service_template import parity

REGISTRY = "https://registry.npmjs.org/govuk-frontend"
DEFAULT_VERSION = "6.6.0"
STATIC_DIR = Path("template/src/[=package_name=]/static")

# What a service needs from the package's dist/govuk folder, and nothing else.
WANTED = ("govuk-frontend.min.css", "govuk-frontend.min.js", "assets/")
COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".ico"}
# What the CSS asks for, like url(/assets/images/govuk-crest.svg).
CSS_REFERENCE = re.compile(r"url\((/assets/([^)]+))\)")
# Names that already carry a content hash, like bold-b542beb274-v2.woff2 (as in assets.py).
HASHED_NAME = re.compile(r"[.-][0-9a-f]{10,}[.-]")


def fetch_tarball(version: str) -> bytes:
    with urllib.request.urlopen(f"{REGISTRY}/{version}", timeout=60) as response:  # noqa: S310
        dist = json.load(response)["dist"]
    with urllib.request.urlopen(dist["tarball"], timeout=120) as response:  # noqa: S310
        tarball = response.read()
    algorithm, _, expected = dist["integrity"].partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if actual != expected:
        raise SystemExit(f"govuk-frontend {version}: tarball does not match its {algorithm} hash")
    return tarball


def extract(tarball: bytes, static_dir: Path) -> list[Path]:
    prefix = "package/dist/govuk/"
    written: list[Path] = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            relative = member.name.removeprefix(prefix)
            if not relative.startswith(WANTED) or relative.endswith(".map"):
                continue
            # The CSS asks for /assets/fonts/... so assets/ maps onto the static root.
            target = static_dir / relative.removeprefix("assets/")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
            written.append(target)
    return written


def extract_fixtures(tarball: bytes, components: set[str], fixtures_dir: Path) -> list[Path]:
    """Each named component's fixtures.json, as published, into fixtures_dir/<name>.json.
    Returns the files written; a component the release does not have is left out."""
    written: list[Path] = []
    fixtures_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for name in sorted(components):
            try:
                member = archive.getmember(f"package/dist/govuk/components/{name}/fixtures.json")
            except KeyError:
                continue
            source = archive.extractfile(member)
            assert source is not None
            target = fixtures_dir / f"{name}.json"
            target.write_bytes(source.read())
            written.append(target)
    return written


def fingerprint_css_references(css: Path, static_dir: Path) -> list[Path]:
    """Give each file the CSS asks for a name with its content hash, and point the CSS at
    it: browsers may then cache those files for ever too (GOV.UK Frontend's fonts come
    named so; its crest image does not). Returns the renamed files."""
    text = css.read_text()
    renamed: list[Path] = []
    for url, relative in sorted(set(CSS_REFERENCE.findall(text))):
        if HASHED_NAME.search(relative):
            continue
        path = static_dir / relative
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        hashed = path.with_name(f"{path.stem}-{digest}{path.suffix}")
        path.rename(hashed)
        text = text.replace(f"url({url})", f"url({url.removesuffix(path.name)}{hashed.name})")
        renamed.append(hashed)
    css.write_text(text)
    return renamed


def precompress(path: Path) -> None:
    """Write path.gz next to the file; mtime=0 keeps the output byte-for-byte stable."""
    with (
        path.open("rb") as source,
        gzip.GzipFile(path.with_name(path.name + ".gz"), "wb", compresslevel=9, mtime=0) as target,
    ):
        shutil.copyfileobj(source, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--static-dir", type=Path, default=STATIC_DIR)
    parser.add_argument("--fixtures-dir", type=Path, default=parity.FIXTURES_DIR)
    args = parser.parse_args()

    tarball = fetch_tarball(args.version)
    if args.static_dir.exists():
        shutil.rmtree(args.static_dir)
    written = extract(tarball, args.static_dir)
    css = args.static_dir / "govuk-frontend.min.css"
    renamed = fingerprint_css_references(css, args.static_dir)
    written = [path for path in written if path.exists()] + renamed
    for path in written:
        if path.suffix in COMPRESSIBLE:
            precompress(path)
    print(f"govuk-frontend {args.version}: {len(written)} files in {args.static_dir}")

    # Only the components the service renders (and its own macros'), found as the parity
    # check finds them; one release's fixtures at a time, like the assets.
    env = parity.environment(parity.SERVICE_COMPONENTS)
    used = parity.components_used(parity.TEMPLATE_DIR, parity.SERVICE_COMPONENTS, env)
    if args.fixtures_dir.exists():
        shutil.rmtree(args.fixtures_dir)
    fixtures = extract_fixtures(
        tarball, {component.name for component in used}, args.fixtures_dir / args.version
    )
    print(f"govuk-frontend {args.version}: {len(fixtures)} fixtures files in {args.fixtures_dir}")


if __name__ == "__main__":
    main()
