"""Content checks beyond the magic bytes: active PDF content, HTML polyglots, real images.

A file that passes detect_kind() can still be a PDF that runs JavaScript or a JPEG whose bytes
are also an HTML page: a browser that sniffs it, or a PDF viewer that runs it, would execute
the applicant's code with the portal's origin. Such files are refused at upload; documents
are served inline only when verified_image() holds.
"""

import io
import re
import zlib

from PIL import Image

# Markup that makes a file render or run as HTML/SVG when a browser sniffs it.
HTML_MARKERS = re.compile(
    rb"<(?:html|body|script|iframe|svg|object|embed|!doctype\s+html)[\s/>]",
    re.IGNORECASE,
)
# PDF names that run code or act without the reader asking: scripts, additional actions, launch.
PDF_ACTIVE_NAMES = {b"JS", b"JavaScript", b"AA", b"Launch", b"RichMedia", b"XFA"}
PDF_NAME = re.compile(rb"/([A-Za-z0-9#_.\-]+)")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Inflated bytes scanned per file: enough for real forms, bounded against zip bombs.
PDF_INFLATE_BUDGET = 32 * 1024 * 1024


def has_html_markup(content: bytes) -> bool:
    return HTML_MARKERS.search(content) is not None


def _pdf_names(data: bytes) -> set[bytes]:
    """Every /Name in `data`, with #xx escapes decoded (/J#53 is /JS)."""
    names = set()
    for match in PDF_NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        names.add(raw)
    return names


def _inflated_streams(content: bytes) -> list[bytes]:
    """Flate-compressed streams decoded (object streams hide dictionaries in them)."""
    out, budget = [], PDF_INFLATE_BUDGET
    for match in PDF_STREAM.finditer(content):
        if budget <= 0:
            break
        decoder = zlib.decompressobj()
        try:
            data = decoder.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(data)
        out.append(data)
    return out


def pdf_has_active_content(content: bytes) -> bool:
    """True when the PDF names JavaScript, additional actions or a launch, even compressed."""
    for chunk in (content, *_inflated_streams(content)):
        if _pdf_names(chunk) & PDF_ACTIVE_NAMES:
            return True
    return False


def image_decodes(content: bytes) -> bool:
    """Pillow recognises the bytes as a JPEG or PNG and decodes them without error."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in ("JPEG", "PNG"):
                return False
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            # Decode every scan line; a JPEG at 1/8 scale, which reads the same bytes for less.
            if image.format == "JPEG":
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Exception:  # noqa: BLE001 - any decoder error means "not a verified image"
        return False
    return True


def verified_image(content: bytes) -> bool:
    """Safe to show inline: a real JPEG/PNG by its bytes and its decoder, with no markup."""
    return image_decodes(content) and not has_html_markup(content)
