"""公開用にまとめて書き出し in the window: the four files, the result, the settings."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from kushiro_editor.formats import read_file


def test_the_menu_writes_the_four_files_and_says_so(window, qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "web"
    folder.mkdir()
    monkeypatch.setattr(
        "kushiro_editor.gui.files.work.QFileDialog.getExistingDirectory",
        lambda *args, **kwargs: str(folder),
    )
    assert window.files.act_publish in window.file_menu.actions()
    with qtbot.waitSignal(window.tasks.finished, timeout=120000):
        window.files.act_publish.trigger()
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"R2進捗報告{s}" for s in (".pdf", ".html", ".csv", ".xlsx"))
    box = window.files.published_box
    qtbot.waitUntil(box.isVisible)
    assert "4 件" in box.text() and str(folder) in box.informativeText()
    assert [
        b.text() for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole
    ] == ["フォルダを開く"]
    box.close()
    # The texts typed in the window are the ones published.
    report = read_file(folder / "R2進捗報告.csv").report
    assert len(list(report.entries())) == 70


def test_the_name_and_municipality_come_from_the_settings(window, qtbot, tmp_path, settings):
    settings.setValue("publish/name", "令和2年度の進捗")
    settings.setValue("publish/city_code", "131016")
    settings.setValue("publish/city_name", "千代田区")
    with qtbot.waitSignal(window.tasks.finished, timeout=120000):
        window.files.publish_to(tmp_path)
    text = (tmp_path / "令和2年度の進捗.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith("131016,千代田区,")
    assert "千代田区" in (tmp_path / "令和2年度の進捗.html").read_text(encoding="utf-8")
    import pdfplumber

    with pdfplumber.open(tmp_path / "令和2年度の進捗.pdf") as pdf:
        assert pdf.metadata["Author"] == "千代田区"  # the publisher is the documents' author
    window.files.published_box.close()


def test_a_wrong_code_is_one_message_and_nothing_is_written(
    window, tmp_path, settings, monkeypatch
):
    settings.setValue("publish/city_code", "012069")
    errors = []
    monkeypatch.setattr(window.files, "show_error", lambda title, message: errors.append(message))
    window.files.publish_to(tmp_path)
    assert len(errors) == 1 and "検査数字" in errors[0]
    assert list(tmp_path.glob("R2進捗報告.*")) == []
