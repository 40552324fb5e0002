"""Office files (Word, Excel, PowerPoint, old and new formats) to PDF, with LibreOffice.

``office_to_pdf(content, suffix=".docx")`` returns the PDF's bytes or raises
``OfficeConversionError`` whose ``failure`` says why (no LibreOffice, too slow, the file
could not be converted). It runs ``soffice --headless --convert-to pdf`` (``SOFFICE_PATH``)
in a temporary folder and gives up after ``OFFICE_CONVERT_SECONDS``. It takes seconds and
much memory: call it from a Celery worker, never from a request.

Each conversion has a profile of its own (``-env:UserInstallation``): LibreOffice locks its
profile, so two conversions sharing one would clash. The profile turns macros off, never
updates links to other files, refuses images linked from outside the document and sends any
web request to a closed port, so a paper cannot run code or reach the network. The process
gets a bare environment (no secrets of ours) and its whole process group is killed on a
timeout or when the worker gives up, so no ``soffice.bin`` is left behind.

Fonts: ``osm/data/fonts/fonts.conf`` (passed as ``FONTCONFIG_FILE``) answers "TH SarabunPSK",
"TH Sarabun New" and "TH SarabunIT๙" — what official Thai documents are typed in — with
Sarabun, which the PDF then embeds; without it Thai would be drawn with a font that has no
Thai, as empty boxes, while ``pdftotext`` still "finds" the words.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)
FONTS_DIR = Path(settings.BASE_DIR) / "osm" / "data" / "fonts"
FONTCONFIG_FILE = FONTS_DIR / "fonts.conf"
OFFICE_SUFFIXES = frozenset({".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt"})
# A port on loopback where nothing listens: LibreOffice's web requests fail at once.
_NO_PROXY_PORT = 9

# The profile's settings (registrymodifications.xcu), read by LibreOffice at start.
_PROFILE_SETTINGS = {
    "/org.openoffice.Office.Common/Security/Scripting": {
        "DisableMacrosExecution": ("boolean", "true"),
        "MacroSecurityLevel": ("int", "3"),  # "very high": only trusted locations (none)
        "BlockUntrustedRefererLinks": ("boolean", "true"),  # images linked from outside
    },
    "/org.openoffice.Office.Writer/Content/Update": {"Link": ("int", "0")},  # never
    "/org.openoffice.Office.Calc/Content/Update": {"Link": ("int", "1")},  # never
    "/org.openoffice.Inet/Settings": {
        "ooInetProxyType": ("int", "2"),  # manual: the closed port below
        "ooInetHTTPProxyName": ("string", "127.0.0.1"),
        "ooInetHTTPProxyPort": ("int", str(_NO_PROXY_PORT)),
        "ooInetHTTPSProxyName": ("string", "127.0.0.1"),
        "ooInetHTTPSProxyPort": ("int", str(_NO_PROXY_PORT)),
        "ooInetFTPProxyName": ("string", "127.0.0.1"),
        "ooInetFTPProxyPort": ("int", str(_NO_PROXY_PORT)),
        "ooInetNoProxy": ("string", ""),
    },
}


class Failure(enum.StrEnum):
    MISSING = "missing"  # no LibreOffice where SOFFICE_PATH points
    TIMEOUT = "timeout"  # slower than OFFICE_CONVERT_SECONDS
    FAILED = "failed"  # LibreOffice could not open or convert the file


class OfficeConversionError(Exception):
    """The conversion did not give a PDF; `failure` says why, `detail` is for the log."""

    def __init__(self, failure: Failure, detail: str = "") -> None:
        super().__init__(f"{failure}: {detail}" if detail else str(failure))
        self.failure = failure
        self.detail = detail


def soffice_path() -> str | None:
    """The LibreOffice program (`SOFFICE_PATH`, a name on PATH or a path), or None."""
    return shutil.which(settings.SOFFICE_PATH)


def _profile_settings() -> str:
    items = []
    for path, props in _PROFILE_SETTINGS.items():
        for name, (kind, value) in props.items():
            items.append(
                f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse" '
                f'oor:type="xs:{kind}"><value>{value}</value></prop></item>'
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )


def _environment(home: Path) -> dict[str, str]:
    """A bare environment: none of the app's settings (database, secrets) reach LibreOffice."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "FONTCONFIG_FILE": str(FONTCONFIG_FILE),
        "SAL_USE_VCLPLUGIN": "svp",  # headless drawing, no display
    }


def _run(command: list[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in a process group of its own; kill the whole group on a timeout or
    any interruption (the worker's soft time limit): `soffice` starts `soffice.bin` as a
    child, which killing `soffice` alone would leave running."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=_environment(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def office_to_pdf(content: bytes, *, suffix: str, timeout: float | None = None) -> bytes:
    """The PDF of an office file (`suffix` names its format: ".docx", ".xls" …).

    Raises OfficeConversionError: MISSING when LibreOffice is not installed, TIMEOUT after
    `timeout` seconds (default OFFICE_CONVERT_SECONDS), FAILED when it gives no PDF.
    """
    suffix = suffix.lower()
    if suffix not in OFFICE_SUFFIXES:
        raise ValueError(f"not an office file: {suffix!r}")
    program = soffice_path()
    if program is None:
        raise OfficeConversionError(Failure.MISSING, f"{settings.SOFFICE_PATH!r} not found")
    timeout = timeout if timeout is not None else settings.OFFICE_CONVERT_SECONDS
    with tempfile.TemporaryDirectory(prefix="osm-office-") as folder:
        work = Path(folder)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(
            _profile_settings(), encoding="utf-8"
        )
        source = work / f"paper{suffix}"  # never the uploader's name
        source.write_bytes(content)
        out = work / "out"
        command = [
            program,
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            result = _run(command, cwd=work, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise OfficeConversionError(Failure.TIMEOUT, f"over {timeout} s") from None
        except OSError as error:  # not executable, gone meanwhile
            raise OfficeConversionError(Failure.MISSING, str(error)) from None
        pdf = out / "paper.pdf"
        data = pdf.read_bytes() if pdf.exists() else b""
        if not data.startswith(b"%PDF-"):
            detail = f"exit {result.returncode}: {(result.stderr or result.stdout).strip()[-500:]}"
            log.warning("LibreOffice gave no PDF for a %s file (%s)", suffix, detail)
            raise OfficeConversionError(Failure.FAILED, detail)
        return data
