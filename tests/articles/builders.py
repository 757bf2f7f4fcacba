"""Build DOCX, ODT, RTF and PDF files in memory for the tests (no binaries committed).

Each builder writes the smallest file its format allows that real readers accept,
in the shape the news databases produce: styled paragraphs, page headers and
footers, text boxes, document properties, several text columns on a PDF page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

# -- DOCX -------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
<Relationship Id="rId2" Target="docProps/core.xml"
 Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/>
</Relationships>"""


#: Run properties as Word writes them on every run (fonts, size, language).
RPR = ('<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:color w:val="000000"/>'
       '<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB"/></w:rPr>')


def docx_paragraph(text: str, style: str | None = None, *, words_per_run: int = 0) -> str:
    """One ``w:p``; a line break in ``text`` becomes ``w:br``, a tab ``w:tab``.

    With ``words_per_run`` the text is cut into formatted runs of that many words, as
    Word and database exports write it (revision marks, spell-check and styling split
    a paragraph into many runs).
    """
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = []
    for i, line in enumerate(text.split("\n")):
        if i:
            runs.append("<w:r><w:br/></w:r>")
        for j, part in enumerate(line.split("\t")):
            if j:
                runs.append("<w:r><w:tab/></w:r>")
            pieces = [part]
            if words_per_run:
                words = part.split(" ")
                pieces = [" ".join(words[k:k + words_per_run]) + " "
                          for k in range(0, len(words), words_per_run)]
                pieces[-1] = pieces[-1][:-1]
            for piece in pieces:
                props = RPR if words_per_run else ""
                runs.append(f'<w:r>{props}<w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def make_docx(paragraphs: Iterable[str | tuple[str, str]], *, title: str | None = None,
              author: str | None = None, header: str | None = None,
              raw_body: str = "", words_per_run: int = 0) -> bytes:
    """A DOCX whose body holds ``paragraphs`` (text, or ``(style, text)``).

    ``header`` goes into a page header part (which readers must not take as text);
    ``raw_body`` is extra body XML appended as it is (tables, text boxes, revisions).
    """
    body = []
    for p in paragraphs:
        style, text = (None, p) if isinstance(p, str) else p
        body.append(docx_paragraph(text, style, words_per_run=words_per_run))
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}{raw_body}'
           f'<w:sectPr/></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/">'
            + (f"<dc:title>{escape(title)}</dc:title>" if title else "")
            + (f"<dc:creator>{escape(author)}</dc:creator>" if author else "")
            + "</cp:coreProperties>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", doc)
        zf.writestr("docProps/core.xml", core)
        if header:
            zf.writestr("word/header1.xml", f'<w:hdr xmlns:w="{_W}">'
                        f"{docx_paragraph(header)}</w:hdr>")
    return buf.getvalue()


# -- ODT --------------------------------------------------------------------------

_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"')


def make_odt(paragraphs: Iterable[str | tuple[str, str]], *, title: str | None = None,
             author: str | None = None, footer: str | None = None, raw_body: str = "") -> bytes:
    """An ODT with ``paragraphs`` (text, or ``("h", text)`` for a heading)."""
    body = []
    for p in paragraphs:
        kind, text = ("p", p) if isinstance(p, str) else p
        inner = escape(text).replace("\n", "<text:line-break/>")
        if kind == "h":
            body.append(f'<text:h text:outline-level="1">{inner}</text:h>')
        else:
            body.append(f"<text:p>{inner}</text:p>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODF_NS}>'
               f'<office:body><office:text>{"".join(body)}{raw_body}</office:text>'
               f"</office:body></office:document-content>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODF_NS}>'
            "<office:meta>"
            + (f"<dc:title>{escape(title)}</dc:title>" if title else "")
            + (f"<meta:initial-creator>{escape(author)}</meta:initial-creator>" if author else "")
            + "<meta:creation-date>2024-03-02T09:15:00</meta:creation-date>"
            + "</office:meta></office:document-meta>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODF_NS}>'
              "<office:master-styles><style:master-page style:name=\"Standard\">"
              + (f"<style:footer><text:p>{escape(footer)}</text:p></style:footer>" if footer
                 else "")
              + "</style:master-page></office:master-styles></office:document-styles>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
        zf.writestr("meta.xml", meta)
        zf.writestr("styles.xml", styles)
    return buf.getvalue()


# -- RTF --------------------------------------------------------------------------

def rtf_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            code = ord(ch)
            if code > 0xFFFF:  # a surrogate pair, as Word writes it
                code -= 0x10000
                pair = (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))
                out.extend(f"\\u{c - 65536}?" for c in pair)
            else:
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def make_rtf(paragraphs: Sequence[str], *, title: str | None = None,
             header: str | None = None) -> bytes:
    """An RTF with a font table, an info group, a page header and ``paragraphs``."""
    parts = [r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}",
             r"{\colortbl;\red0\green0\blue0;}"]
    if title:
        parts.append(r"{\info{\title " + rtf_escape(title) + r"}{\author Desk}"
                     r"{\creatim\yr2024\mo3\dy2}}")
    if header:
        parts.append(r"{\header\pard " + rtf_escape(header) + r"\par}")
    for p in paragraphs:
        parts.append(r"\pard\plain\f0\fs22 " + rtf_escape(p) + r"\par" + "\n")
    parts.append("}")
    return "".join(parts).encode("ascii")


# -- PDF --------------------------------------------------------------------------

def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: Sequence[Sequence[tuple[float, float, str]]], *, size: float = 10,
             title: str | None = None, author: str | None = None,
             image_only: bool = False, width: float = 595, height: float = 842) -> bytes:
    """A PDF whose pages show text lines at ``(x, y, text)`` in Helvetica.

    ``y`` counts from the bottom of the page (PDF's own way). With ``image_only``
    each page holds only a tiny image (a scan with no text layer).
    """
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace "
                b"/DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    kids = []
    for lines in pages:
        if image_only:
            stream = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        else:
            ops = [b"BT", f"/F1 {size:g} Tf".encode()]
            for x, y, text in lines:
                ops.append(f"1 0 0 1 {x:g} {y:g} Tm ".encode() + _pdf_string(text) + b" Tj")
            ops.append(b"ET")
            stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
            % (pages_id, width, height, content, font, image)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                             + b"] /Count %d >>" % len(kids))
    info = None
    if title or author:
        fields = b""
        if title:
            fields += b"/Title " + _pdf_string(title)
        if author:
            fields += b" /Author " + _pdf_string(author)
        info = add(b"<< " + fields + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def wrap(text: str, width: int) -> list[str]:
    """Break ``text`` into lines of at most ``width`` characters (at spaces)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def pdf_page_lines(paragraphs: Sequence[str], *, columns: int = 1, header: str | None = None,
                   footer: str | None = None, top: float = 780, leading: float = 12,
                   chars: int | None = None) -> list[tuple[float, float, str]]:
    """Lay ``paragraphs`` out on one page in ``columns`` columns, blank line between them."""
    chars = chars or (95 if columns == 1 else 44)
    col_width = 500 / columns
    lines: list[tuple[float, float, str]] = []
    if header:
        lines.append((50, 815, header))
    if footer:
        lines.append((280, 30, footer))
    flat: list[str] = []
    for p in paragraphs:
        flat.extend(wrap(p, chars))
        flat.append("")
    per_col = -(-len(flat) // columns)
    for i, text in enumerate(flat):
        col, row = divmod(i, per_col)
        if text:
            lines.append((50 + col * (col_width + 10), top - row * leading, text))
    return lines
