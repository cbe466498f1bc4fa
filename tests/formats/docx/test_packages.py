"""Word packages as Word and other tools save them: renamed parts, Strict, embedded documents."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from lxml import etree

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats.docx import parts
from tests.formats.corpus import EXPECTED_ENTRIES, Variant, write_docx
from tests.formats.handmade import content, entry_texts, word_table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The transitional namespaces a python-docx file uses, and their Strict names (ISO/IEC 29500-1).
STRICT = {
    W: "http://purl.oclc.org/ooxml/wordprocessingml/main",
    R: "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "http://schemas.openxmlformats.org/drawingml/2006/main": (
        "http://purl.oclc.org/ooxml/drawingml/main"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": (
        "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/math": (
        "http://purl.oclc.org/ooxml/officeDocument/math"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "http://purl.oclc.org/ooxml/officeDocument/extendedProperties"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes": (
        "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"
    ),
}
CHUNK_TYPE = f"{R}/aFChunk"


def _files(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _save(path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _corpus(tmp_path, name="corpus.docx", **options):
    path = tmp_path / name
    write_docx(path, Variant(**options))
    return path


def _renamed(files: dict[str, bytes], name: str) -> dict[str, bytes]:
    """The main part moved to ``word/{name}``, the package's relationships and types following."""
    out = dict(files)
    out[f"word/{name}"] = out.pop("word/document.xml")
    out[f"word/_rels/{name}.rels"] = out.pop("word/_rels/document.xml.rels")
    out["_rels/.rels"] = out["_rels/.rels"].replace(b"word/document.xml", f"word/{name}".encode())
    out["[Content_Types].xml"] = out["[Content_Types].xml"].replace(
        b"/word/document.xml", f"/word/{name}".encode()
    )
    return out


# -- the main part, its styles and numbering ---------------------------------------------
def test_a_main_part_under_another_name_is_read_with_its_styles_and_numbering(tmp_path):
    source = _corpus(tmp_path, numbered=True)
    files = _renamed(_files(source), "main.xml")
    # Styles and numbering under other names too: found through the main part's relationships.
    files["word/styles2.xml"] = files.pop("word/styles.xml")
    files["word/lists.xml"] = files.pop("word/numbering.xml")
    rels = files["word/_rels/main.xml.rels"]
    files["word/_rels/main.xml.rels"] = rels.replace(b'"styles.xml"', b'"styles2.xml"').replace(
        b'"numbering.xml"', b'"lists.xml"'
    )
    path = tmp_path / "renamed.docx"
    _save(path, files)

    result = read_file(path)

    assert content(result.report) == content(read_file(source).report)
    assert entry_texts(result.report) == EXPECTED_ENTRIES


def test_a_stale_document_xml_beside_the_named_main_part_is_not_read(tmp_path):
    """A tool renamed the main part and left the old one, with another report, behind."""
    files = _renamed(_files(_corpus(tmp_path)), "document2.xml")
    stale = tmp_path / "stale.docx"
    word_table(stale, dept_in_text=True)  # another report: its rows are not the corpus's
    files["word/document.xml"] = _files(stale)["word/document.xml"]
    path = tmp_path / "two-documents.docx"
    _save(path, files)

    assert entry_texts(read_file(path).report) == EXPECTED_ENTRIES


def test_a_package_that_names_no_word_document_is_refused(tmp_path):
    files = _files(_corpus(tmp_path))
    files["_rels/.rels"] = files["_rels/.rels"].replace(b"word/document.xml", b"word/none.xml")
    path = tmp_path / "nameless.docx"
    _save(path, files)
    with pytest.raises(ReportError, match="Word の文書ではありません"):
        read_file(path)


# -- Strict -------------------------------------------------------------------------------
def _strict(files: dict[str, bytes]) -> dict[str, bytes]:
    """The package as Word's 「Strict Open XML 文書」 stores it."""
    out = {}
    for name, data in files.items():
        if name.endswith((".xml", ".rels")):
            for usual, strict in STRICT.items():
                data = data.replace(usual.encode(), strict.encode())
        out[name] = data
    document = out["word/document.xml"]
    out["word/document.xml"] = document.replace(
        b"<w:document ", b'<w:document w:conformance="strict" ', 1
    )
    return out


def test_a_strict_document_reads_as_its_transitional_twin(tmp_path):
    twin = _corpus(tmp_path, numbered=True, two_rows=True)
    path = tmp_path / "strict.docx"
    _save(path, _strict(_files(twin)))
    strict = _files(path)
    assert b"purl.oclc.org" in strict["word/document.xml"]
    assert W.encode() not in strict["word/document.xml"]
    assert (
        b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in strict["_rels/.rels"]
    )

    result = read_file(path)

    expected = read_file(twin)
    assert content(result.report) == content(expected.report)
    assert entry_texts(result.report) == EXPECTED_ENTRIES
    assert [w.message for w in result.warnings] == [w.message for w in expected.warnings]


# -- embedded documents (altChunk) ---------------------------------------------------------------
def _split_in_two(tmp_path):
    """The corpus with a table per goal: (its files, its body, the second goal's table)."""
    files = _files(_corpus(tmp_path, split=True))
    root = etree.fromstring(files["word/document.xml"])
    body = root.find(f"{{{W}}}body")
    tables = body.findall(f"{{{W}}}tbl")
    assert len(tables) == 2
    return files, root, body, tables[1]


def _with_chunk(files, root, body, table, part: str, data: bytes, content_type: str):
    """The second table moved out to ``part``, an altChunk in its place."""
    chunk = etree.SubElement(body, f"{{{W}}}altChunk")
    chunk.set(f"{{{R}}}id", "rIdChunk1")
    table.addprevious(chunk)
    body.remove(table)
    out = dict(files)
    out["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    rels = out["word/_rels/document.xml.rels"]
    link = f'<Relationship Id="rIdChunk1" Type="{CHUNK_TYPE}" Target="{part.rsplit("/", 1)[-1]}"/>'
    out["word/_rels/document.xml.rels"] = rels.replace(
        b"</Relationships>", link.encode() + b"</Relationships>"
    )
    types = out["[Content_Types].xml"]
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    out["[Content_Types].xml"] = types.replace(b"</Types>", override.encode() + b"</Types>")
    out[part] = data
    return out


def _only_second_table(files, table) -> bytes:
    """The same document with only the second goal's table in its body."""
    root = etree.fromstring(files["word/document.xml"])
    body = root.find(f"{{{W}}}body")
    for child in list(body):
        if child.tag != f"{{{W}}}sectPr":
            body.remove(child)
    body.insert(0, copy.deepcopy(table))  # lxml would move the element out of the other tree
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_rows_in_an_embedded_word_document_are_read_in_place(tmp_path):
    files, root, body, table = _split_in_two(tmp_path)
    inner = dict(files)
    inner["word/document.xml"] = _only_second_table(files, table)
    buffer = io.BytesIO()
    _save(buffer, inner)
    path = tmp_path / "chunked.docx"
    _save(
        path,
        _with_chunk(
            files,
            root,
            body,
            table,
            "word/afchunk1.docx",
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
    )
    assert "商業労政課" not in _files(path)["word/document.xml"].decode()

    result = read_file(path)

    assert entry_texts(result.report) == EXPECTED_ENTRIES
    assert [g.title for g in result.report.goals] == ["まちの魅力", "ひとの育成"]
    assert any(w.topic == "chunk" for w in result.warnings)


def test_an_embedded_document_part_is_read_too(tmp_path):
    files, root, body, table = _split_in_two(tmp_path)
    data = _only_second_table(files, table)
    path = tmp_path / "chunked-xml.docx"
    _save(path, _with_chunk(files, root, body, table, "word/afchunk1.xml", data, "text/xml"))
    assert entry_texts(read_file(path).report) == EXPECTED_ENTRIES


@pytest.mark.parametrize(
    ("part", "data", "content_type", "kind"),
    [
        (
            "word/afchunk1.htm",
            "<html><body><table><tr><td>商業労政課<td>講座を開いた。</table></body></html>",
            "text/html",
            "HTML",
        ),
        ("word/afchunk1.rtf", r"{\rtf1 商業労政課 講座を開いた。}", "application/rtf", "RTF"),
    ],
)
def test_rows_in_an_embedded_part_of_another_kind_are_not_lost_silently(
    tmp_path, part, data, content_type, kind
):
    files, root, body, table = _split_in_two(tmp_path)
    path = tmp_path / "chunked-other.docx"
    _save(path, _with_chunk(files, root, body, table, part, data.encode(), content_type))
    with pytest.raises(ReportError) as raised:
        read_file(path)
    message = str(raised.value)
    assert kind in message and "埋め込まれた部分" in message and "読み込めません" in message


def _chunked_docx(tmp_path):
    files, root, body, table = _split_in_two(tmp_path)
    inner = dict(files)
    inner["word/document.xml"] = _only_second_table(files, table)
    buffer = io.BytesIO()
    _save(buffer, inner)
    path = tmp_path / "chunked.docx"
    chunk_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    _save(
        path,
        _with_chunk(files, root, body, table, "word/a.docx", buffer.getvalue(), chunk_type),
    )
    return path, sum(len(v) for v in inner.values())


def test_an_embedded_document_is_held_to_the_unpacked_size_bound(tmp_path, monkeypatch):
    """The embedded .docx is a zip of its own: its unpacked size counts like the file's."""
    path, inner_size = _chunked_docx(tmp_path)
    assert entry_texts(read_file(path).report) == EXPECTED_ENTRIES
    monkeypatch.setattr(parts, "MAX_UNPACKED_BYTES", inner_size - 1)
    with pytest.raises(ReportError, match="展開後の大きさが異常"):
        read_file(path)


def test_an_embedded_plain_text_part_is_refused_too(tmp_path):
    files, root, body, table = _split_in_two(tmp_path)
    path = tmp_path / "chunked-text.docx"
    data = "商業労政課\t講座を開いた。\t講座を開く。".encode()
    _save(path, _with_chunk(files, root, body, table, "word/a.txt", data, "text/plain"))
    with pytest.raises(ReportError, match="Word 以外の形式"):
        read_file(path)
