"""The sample's text form, read as a careful reader of the file sees it."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest

from kushiro_editor.core import richtext
from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import read_file, tsv
from kushiro_editor.formats.table import reader as tablereader


def plain(markup: str) -> str:
    return richtext.to_plain(markup)


def entries_of(report, goal, direction):
    return report.goals[goal - 1].directions[direction - 1].entries


def departments(report, goal, direction):
    return [e.department_label for e in entries_of(report, goal, direction)]


def test_structure(sample_result):
    report = sample_result.report
    assert report.actual_year == 2020
    assert [len(g.directions) for g in report.goals] == [6, 5, 4, 2]
    assert [g.number for g in report.goals] == [1, 2, 3, 4]
    assert (
        report.goals[0].title
        == "地域の魅力を生かして、経済・産業・交流人口・関係人口の拡大を目指す"
    )
    assert report.goals[3].title == "持続可能なまちをつくる"
    titles = [d.title for _g, d in report.directions()]
    assert titles[0] == "釧路らしさを生み出す農林水産業の成長産業化"
    assert titles[1] == "釧路の「食」の高付加価値化と地場産品の販路拡大"
    assert titles[6] == "地域を支える人材の確保"
    assert titles[-1] == "ひがし北海道の中核都市としての拠点性の向上"
    assert not any(t[0] in "①②③④⑤⑥" or t.startswith(" ") for t in titles)
    # 71 rows of departments in the source, two of them one row split by a page break.
    assert sum(1 for _ in report.entries()) == 70


def test_measures_and_their_bodies(sample_result):
    report = sample_result.report
    first = report.goals[0].directions[0]
    assert [(m.label, m.title) for m in first.measures] == [
        ("ア", "持続的成長を目指した水産業の振興"),
        ("イ", "生産基盤の強化による農業の振興"),
        ("ウ", "森林資源の循環利用を通じた林業の振興"),
    ]
    # A space run inside the original cell is a line break of the original.
    assert first.measures[0].body == (
        "<p>基幹産業である水産業の経営安定に向けた増養殖事業等の推進による水産資源の維持・増大への"
        "協力と後継者等の人材育成への支援等を行う。<br>また、魚食普及の啓発を積極的に行い、"
        "地元の水産資源の消費拡大を図る。</p>"
    )
    compact = report.goals[3].directions[0]
    assert [m.label for m in compact.measures] == list("アイウエオカキ")
    assert report.goals[3].directions[1].measures[1].title == "医療体制の整備(再掲)"
    # Bare cells with two-space breaks (no <p>) split the same way.
    migration = report.goals[1].directions[2]
    assert [m.title for m in migration.measures] == [
        "釧路の強みを生かした官民の連携による移住・定住の促進及び関係人口の創出",
        "地元関係機関と連携した人材の確保",
    ]
    assert plain(migration.measures[1].body).startswith("首都圏からの就労を伴う移住者")


def test_main_projects(sample_result):
    report = sample_result.report
    first = report.goals[0].directions[0]
    assert len(first.main_projects) == 18
    assert first.main_projects[0].name == "増養殖漁業推進事業"
    assert first.main_projects[-1].name == "未来につなぐ森づくり推進事業"
    food = report.goals[0].directions[1]
    assert [(p.name, p.relisted) for p in food.main_projects] == [
        ("地場産品普及促進事業", False),
        ("水産加工業活性化支援事業", True),
        ("くしろプライド釧魚事業", True),
        ("食の魅力づくり推進事業", False),
    ]
    invite = report.goals[1].directions[1]
    assert invite.main_projects[-1].name == "産炭地 振興対策事業"  # as printed
    assert invite.main_projects[-1].relisted


def test_projects_list_continued_on_the_next_page(sample_result):
    """Row 84: the left cell holds only the rest of the 【主な事業】 list."""
    children = sample_result.report.goals[2].directions[1]
    names = [p.display for p in children.main_projects]
    assert len(names) == 32
    assert names[24] == "就学奨励事業"
    assert names[25:] == [
        "子育て短期支援事業",
        "育児支援家庭訪問事業",
        "思春期ライフデザイン事業【再掲】",
        "男女平等参画推進事業【再掲】",
        "子育て世帯支援事業",
        "女性保護事業",
        "住宅管理事業【再掲】",
    ]
    assert len(children.measures) == 5


def test_row7_two_departments_with_lists_in_a_shifted_row(sample_result):
    report = sample_result.report
    agri, fish = entries_of(report, 1, 1)
    assert agri.departments == ["農林課"] and fish.departments == ["水産課"]
    assert len(richtext.parse(agri.actual)) == 8 and len(richtext.parse(fish.actual)) == 9
    assert all(b.tag == "li" for b in richtext.parse(agri.actual))
    assert plain(agri.actual).startswith(
        "・農業経営基盤整備のため、3地区における土地改良事業を実施。"
    )
    assert plain(agri.plan).split("\n")[0] == "・農業経営基盤整備のために土地改良事業を実施する。"
    assert len(richtext.parse(agri.plan)) == 8 and len(richtext.parse(fish.plan)) == 9
    assert plain(fish.plan).startswith("・増養殖推進事業 引き続き各漁協が実施する")


def test_row19_joint_departments_and_row23_continued_block(sample_result):
    report = sample_result.report
    assert departments(report, 1, 3) == [
        "観光振興室",
        "阿寒観光振興課",
        "観光振興室 阿寒観光振興課",
        "阿寒観光振興課",
        "港湾空港課",
        "阿寒地域振興課",
        "博物館",
    ]
    joint = entries_of(report, 1, 3)[2]
    assert joint.departments == ["観光振興室", "阿寒観光振興課"]
    ainu = entries_of(report, 1, 3)[3]
    assert plain(ainu.actual).startswith(
        "■アイヌブランド化等の推進\n・アイヌ政策推進交付金を活用し"
    )
    assert "<主な事業>" in plain(ainu.actual)


def test_row47_five_departments_paired_paragraph_by_paragraph(sample_result):
    report = sample_result.report
    people = entries_of(report, 2, 1)
    assert departments(report, 2, 1) == [
        "市民協働推進課",
        "商業労政課",
        "産業推進室",
        "音別地域振興課",
        "教育支援課",
    ]
    assert plain(people[0].actual).startswith("男女平等参画センターの講演会やセミナーには全7回")
    assert plain(people[0].plan).startswith("男女平等参画センター主催の講演会")
    assert plain(people[2].actual) == (
        "・釧路工業技術センターにおいては、地元企業からの技術相談、支援、事業に対するコーディネートを行った。"
    )
    assert plain(people[2].plan) == (
        "・釧路工業技術センターにおいては、地元企業からの技術相談、支援、事業に対するコーディネートを行う。"
    )
    assert plain(people[4].actual).startswith(
        "【キャリア教育推進事業】\n子どもたちが職業や社会の仕組み"
    )
    assert plain(people[4].plan).startswith("【キャリア教育推進事業】\n企業や団体等との連携により")
    assert not any("市民協働推進課" in plain(e.actual) for e in people)


def test_rows54_57_department_and_text_in_one_cell(sample_result):
    report = sample_result.report
    civic, commerce = entries_of(report, 2, 3)
    assert civic.departments == ["市民協働推進課"]
    assert plain(civic.actual).startswith("新型コロナウイルス感染症の影響により、「くしろお試し")
    assert plain(civic.plan).startswith("新型コロナウイルス感染症の状況を注視しながら")
    assert commerce.departments == ["商業労政課"]
    care = entries_of(report, 2, 4)[0]
    assert care.departments == ["介護高齢課"]
    assert plain(care.actual).startswith("介護職員の確保及び育成を図るべく")
    assert plain(care.plan).endswith("(事業名:介護潜在人材復職支援事業)")


def test_row84_continues_the_health_row_before_the_page_break(sample_result):
    direction = sample_result.report.goals[2].directions[1]
    health = [e for e in direction.entries if e.departments == ["健康推進課"]]
    assert len(health) == 1, "one row, split by the page"
    actual = plain(health[0].actual)
    # The part before the break first, then the part after it, in order.
    assert actual.startswith("保護者の育児不安の解消と正しい知識の普及を図ることにより")
    assert "・R2年6月より、子育て世代包括支援センター事業を開始。" in actual
    assert actual.endswith("・マタニティ講座を開催(受講者延109人)した。")
    assert actual.index("育児相談") < actual.index("子育て世代包括支援センター事業を開始")
    assert plain(health[0].plan).startswith("・出生数の減少により")
    assert "マタニティ講座" in plain(health[0].plan)
    assert [e.department_label for e in direction.entries][2:5] == [
        "こども支援課",
        "健康推進課",
        "医療年金課",
    ]
    joined = [w for w in sample_result.warnings if w.topic == "joined"]
    assert [(w.row, w.node_id) for w in joined] == [(84, health[0].id)]


def test_other_page_breaks_keep_their_rows(sample_result):
    """After the other repeated headers the next row is another department or a new block."""
    report = sample_result.report
    assert departments(report, 1, 3)[2:6] == [
        "観光振興室 阿寒観光振興課",
        "阿寒観光振興課",
        "港湾空港課",
        "阿寒地域振興課",
    ]
    assert departments(report, 3, 3)[:3] == ["こども育成課", "教育支援課", "教育支援課"]


def test_row93_two_departments_with_mixed_texts(sample_result):
    report = sample_result.report
    first, second = entries_of(report, 3, 3)[:2]
    assert first.departments == ["こども育成課"] and second.departments == ["教育支援課"]
    assert plain(first.actual).startswith("イ 児童に健全な遊びを与えて")
    assert len(richtext.parse(first.actual)) == 1
    assert plain(first.plan).startswith("イ 前年度に引き続き、児童に健全な遊び")
    assert len(richtext.parse(second.actual)) == 9 and len(richtext.parse(second.plan)) == 9
    assert plain(second.actual).startswith("【確かな学力向上推進事業】")


def test_text_is_kept_as_printed_even_when_odd(sample_result):
    report = sample_result.report
    # 観光推進室 is very likely a typo for 観光振興室: kept, for the check to flag.
    assert "観光推進室" in departments(report, 4, 2)
    # The plan cut mid-sentence in the source stays cut.
    assert plain(entries_of(report, 1, 1)[1].plan).endswith(
        "市民の旬産旬消・魚食の普及を推進する\n"
        "・くじらのまちづくり推進事業 くじら月間イベントの開催、釧路沖での捕鯨操業のための支援、"
        "学校給食への鯨肉購入支援を行い、鯨食文化並びに鯨文化の普及を図る。"
    )


def test_warnings_name_the_guessed_rows_and_their_entries(sample_result):
    warnings = sample_result.warnings
    assert sorted({w.row for w in warnings}) == [7, 47, 54, 57, 84, 93]
    ids = {e.id for _g, _d, e in sample_result.report.entries()}
    assert all(w.node_id in ids for w in warnings)
    kinds = Counter((w.row, w.topic) for w in warnings)
    assert kinds[(7, "split")] == 2 and kinds[(47, "split")] == 5 and kinds[(93, "split")] == 2
    assert kinds[(54, "shifted")] == 1 and kinds[(57, "shifted")] == 1
    assert kinds[(84, "joined")] == 1


def _source_cells(data: bytes):
    for line in data.decode("utf-8").split("\n"):
        cells = line.split("\t")
        if len(cells) >= 4 and not tablereader.is_header_row(cells):
            yield from cells


def _rendered(report) -> str:
    parts = []
    for goal in report.goals:
        parts.append(goal.label + goal.title)
        for direction in goal.directions:
            parts.append(direction.label + direction.title)
            for measure in direction.measures:
                parts += [measure.label + " " + measure.title, plain(measure.body)]
            parts.append("【主な事業】" if direction.main_projects else "")
            parts += ["・" + p.display for p in direction.main_projects]
            for entry in direction.entries:
                parts += [entry.department_label, plain(entry.actual), plain(entry.plan)]
    return "\n".join(parts)


def test_nothing_is_lost_every_character(sample_bytes, sample_result):
    def chars(text):
        return Counter(ch for ch in text if not ch.isspace())

    source = Counter()
    for cell in _source_cells(sample_bytes):
        source += chars(html.unescape(re.sub(r"<[^>]+>", "", cell)))
    # The 健康推進課 row split by a page break is one row: its name is shown once.
    assert source - chars(_rendered(sample_result.report)) == chars("健康推進課")
    assert not chars(_rendered(sample_result.report)) - source


def test_nothing_is_lost_every_paragraph(sample_bytes, sample_result):
    rendered = re.sub(r"\s+", "", _rendered(sample_result.report))
    fragments = 0
    for cell in _source_cells(sample_bytes):
        for piece in re.split(r"<[^>]+>| {2,}", cell):
            text = re.sub(r"\s+", "", html.unescape(piece))
            if text:
                fragments += 1
                assert text in rendered, text
    assert fragments == 663  # every fragment of the sample was checked


@pytest.mark.parametrize("encoding", ["cp932", "utf-8-sig", "utf-16"])
def test_windows_encodings(sample_bytes, sample_result, encoding):
    text = sample_bytes.decode("utf-8")
    result = tsv.read(text.encode(encoding))
    got = [(e.departments, e.actual, e.plan) for _g, _d, e in result.report.entries()]
    want = [(e.departments, e.actual, e.plan) for _g, _d, e in sample_result.report.entries()]
    assert got == want


def test_broken_utf8_is_refused(sample_bytes):
    broken = bytearray(sample_bytes)
    broken[5000:5003] = b"\xff\xfe\xfd"
    with pytest.raises(ReportError, match="UTF-8"):
        tsv.read(bytes(broken))


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n\n\n",
        "名前\t住所\n山田\t釧路\n".encode(),
        b"\x00\x01\x02" * 50,
        "基本目標と基本的方向、具体的な施策\t所管部署\t進捗報告\t\n".encode(),
    ],
)
def test_not_this_report(tmp_path, content):
    path = tmp_path / "x.tsv"
    path.write_bytes(content)
    with pytest.raises(ReportError):
        read_file(path)


def test_html_inside_cells_is_sanitised():
    data = (
        "基本目標と基本的方向、具体的な施策\t所管部署\t進捗報告\t\n"
        "\t\tR2年度(実績)\tR3年度(取組予定)\n"
        "【基本目標1】目標\t\t\t\n"
        "① 方向\t\t\t\n"
        "<p><b>ア 施策</b> 説明<script>alert(1)</script></p>\t農林課\t"
        '<p style="color:red">実績<img src="http://example.invalid/x.png">'
        '<a href="http://example.invalid">リンク</a></p>\t<p>予定</p>\n'
    ).encode()
    report = tsv.read(data).report
    entry = report.goals[0].directions[0].entries[0]
    assert entry.actual == "<p>実績リンク</p>"
    assert report.goals[0].directions[0].measures[0].body == "<p>説明</p>"


def test_year_from_the_header_or_given(sample_bytes):
    text = sample_bytes.decode("utf-8").replace("R2年度(実績)", "令和元年度(実績)")
    assert tsv.read(text.encode()).report.actual_year == 2019
    assert tsv.read(sample_bytes, actual_year=2022).report.actual_year == 2022


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be", "utf-16"])
def test_unicode_files_of_every_width_read_exactly(tmp_path, sample_file, encoding):
    text = sample_file.read_text(encoding="utf-8")
    path = tmp_path / f"sample-{encoding}.tsv"
    bom = {"utf-32-le": "\ufeff", "utf-32-be": "\ufeff"}.get(encoding, "")
    path.write_bytes((bom + text).encode(encoding))
    assert content_of(read_file(path).report) == content_of(read_file(sample_file).report)


def content_of(report):
    return [
        (d.heading, [(e.departments, e.actual, e.plan) for e in d.entries])
        for _g, d in report.directions()
    ]


def test_nul_characters_beside_tabs_change_nothing(tmp_path, sample_file):
    # A cell of NULs beside a tab once looked written and moved a plan to another row.
    lines = sample_file.read_text(encoding="utf-8").split("\n")
    lines[6] = lines[6].replace("\t", "\t\0\0", 1).replace("\t", "\0\t", 2)
    path = tmp_path / "nul.tsv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert content_of(read_file(path).report) == content_of(read_file(sample_file).report)


def test_a_text_of_many_nuls_is_refused_as_another_encoding(tmp_path):
    path = tmp_path / "utf16-no-bom.tsv"
    path.write_bytes("基本目標\t所管部署\tR2年度(実績)\n".encode("utf-16-le"))
    with pytest.raises(ReportError, match="NUL 文字が多く"):
        read_file(path)
