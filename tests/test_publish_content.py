"""The content model both writers walk: 落款 layouts of GB/T 9704 and title breaks."""

from __future__ import annotations

import pytest

from core.pdf.document import print_data
from core.publish.content import build_content, closing_layout, publish_data, text_width, title_lines
from core.sample import full_report


def _params(kind: str) -> dict:
    return publish_data()["closing"][kind]


@pytest.mark.parametrize("unit", ["某局", "某区科学技术局", "某某省某某市某某区人民政府办公室"])
def test_unsealed_closing_shifts_the_date_two_characters_right_of_the_unit(unit) -> None:
    day = "2022年1月20日"
    unit_right, date_right = closing_layout(unit, day, sealed=False, params=_params("unsealed"))
    assert unit_right >= 2 and date_right >= 2  # 右空二字 at least
    unit_start, date_start = unit_right + text_width(unit), date_right + text_width(day)
    assert unit_start - date_start == pytest.approx(2)
    if text_width(day) + 2 > text_width(unit):  # a date longer than the unit's room pushes the unit left
        assert date_right == 2 and unit_right > 2


def test_sealed_closing_centres_the_unit_over_a_date_four_characters_in() -> None:
    unit, day = "某区科学技术局", "2022年1月20日"
    unit_right, date_right = closing_layout(unit, day, sealed=True, params=_params("sealed"))
    assert date_right == 4
    assert unit_right + text_width(unit) / 2 == pytest.approx(date_right + text_width(day) / 2)


def test_long_titles_break_after_the_unit_or_between_its_parts() -> None:
    breaks = tuple(print_data()["title_break_after"])
    assert title_lines("某局2021年政府信息公开工作年度报告", "某局", 20, breaks) == (
        "某局2021年政府信息公开工作年度报告",)
    unit = "某某省某某市某某区人民政府办公室（区大数据发展管理局）"
    lines = title_lines(unit + "2021年政府信息公开工作年度报告", unit, 20, breaks)
    assert "".join(lines[:-1]) == unit and all(text_width(line) <= 20 for line in lines)
    assert lines[0].endswith(("政府", "办公室")) or lines[1].startswith("（")


def test_blocks_follow_the_sections_and_sign_off_only_when_asked() -> None:
    report = full_report()
    content = build_content(report)
    headings = [b.text for b in content.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert headings == [s.heading for s in report.template.sections]
    closing = content.blocks[-1]
    assert type(closing).__name__ == "Closing" and not closing.sealed and not closing.sign_off
    sealed = build_content(report, sign_off=True).blocks[-1]
    assert sealed.sealed and [label for label, _ in sealed.sign_off] == [
        item["label"] for item in print_data()["sign_off"]]
