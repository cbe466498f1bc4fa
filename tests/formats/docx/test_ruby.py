"""Ruby (ふりがな) in a hand-made Word table: the base text is read, the reading is not."""

from __future__ import annotations

from kushiro_editor.formats import read_file
from tests.formats.docx.edits import edited, ruby
from tests.formats.handmade import entry_texts, word_table


def test_ruby_reads_as_its_base_text(tmp_path):
    path = edited(
        tmp_path,
        "ruby.docx",
        (
            "<w:r><w:t>観光振興室</w:t></w:r>",
            "<w:r><w:t>観光振興室 </w:t></w:r>"
            + ruby("阿寒", "あかん")
            + "<w:r><w:t>観光振興課</w:t></w:r>",
        ),
        (
            "<w:r><w:t>令和2年度 釧路市総合戦略 進捗状況</w:t></w:r>",
            "<w:r><w:t>令和2年度 </w:t></w:r>"
            + ruby("釧路", "くしろ")
            + "<w:r><w:t>市総合戦略 進捗状況</w:t></w:r>",
        ),
    )
    typed = tmp_path / "typed.docx"
    word_table(typed)

    report = read_file(path).report

    assert report.title == read_file(typed).report.title == "令和2年度 釧路市総合戦略 進捗状況"
    assert entry_texts(report)[0][0] == ["観光振興室", "阿寒観光振興課"]
    assert "あかん" not in str(entry_texts(report)) and "くしろ" not in report.title
