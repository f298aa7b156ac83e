"""A tiny PDF writer for tests: real PDF files with real text operators (no reportlab here).

Text is set in the standard Helvetica font with WinAnsiEncoding, so Swedish letters are written as
their CP1252 bytes, the way office software writes simple PDFs. A page may instead carry only an
image, which is what a scanned page without OCR looks like.
"""

from __future__ import annotations

from pathlib import Path


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    out = bytearray(b"(")
    for b in raw:
        if b in b"()\\":
            out += b"\\" + bytes([b])
        elif b < 32 or b > 126:
            out += f"\\{b:03o}".encode()
        else:
            out.append(b)
    return bytes(out + b")")


def make_pdf(path: Path, pages: list[list[str]] | None = None, image_pages: int = 0) -> Path:
    """Write a PDF with one page per list of lines, then ``image_pages`` pages holding only an image."""
    pages = pages or []
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x00\xff\xff\x00\nendstream"
    )
    kids: list[int] = []
    for lines in pages:
        ops = [b"BT /F1 11 Tf 14 TL 56 780 Td"]
        for line in lines:
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_obj, content, font)
            )
        )
    for _ in range(image_pages):
        stream = b"q 500 0 0 700 48 70 cm /Im1 Do Q"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /XObject << /Im1 %d 0 R >> >> >>" % (pages_obj, content, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    path.write_bytes(bytes(out))
    return path


def encrypt_pdf(src: Path, dest: Path, password: str = "hemligt", algorithm: str = "RC4-128") -> Path:
    """A copy of ``src`` encrypted with pypdf's writer.encrypt. With ``password=""`` it opens without
    one and only an owner password restricts it (how "copy protected" public PDFs are made)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=password, owner_password=password + "-ägare", algorithm=algorithm)
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest
