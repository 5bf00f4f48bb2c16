"""The Chinese line breaker: 标点禁则 and filling, with a fixed-width measure."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.pdf.linebreak import CLOSING, OPENING, atoms, balanced_lines, break_lines, violations


def width(ch: str) -> float:
    return 1.0 if ch.isascii() else 2.0


def texts(lines):
    return [line.text for line in lines]


def test_closing_punctuation_never_starts_a_line() -> None:
    # 5 hanzi per line: the comma would fall at the start of line 2; it stays with 五.
    lines = texts(break_lines("一二三四五，六七八九十。", 10, width))
    assert lines == ["一二三四", "五，六七八", "九十。"]
    assert violations(lines) == []


def test_opening_punctuation_never_ends_a_line() -> None:
    lines = texts(break_lines("一二三四（五六）七八", 10, width))
    assert lines[0] == "一二三四"
    assert lines[1].startswith("（五")


def test_runs_of_closing_marks_stay_together() -> None:
    lines = texts(break_lines("一二三四“五”。六七", 10, width))
    assert violations(lines) == []
    assert "”。" in "".join(lines)


def test_latin_words_and_numbers_do_not_break_inside() -> None:
    lines = texts(break_lines("共收到申请12345件和www.example.gov.cn", 20, width))
    assert all("1234" not in line or "12345" in line for line in lines)
    assert any("www.example.gov.cn" in line for line in lines)


def test_overlong_word_is_cut_to_fit() -> None:
    lines = break_lines("a" * 50, 10, width)
    assert all(line.width <= 10 for line in lines)
    assert "".join(texts(lines)) == "a" * 50


def test_first_line_can_be_narrower_and_last_line_is_marked() -> None:
    lines = break_lines("一" * 12, [6, 10], width)
    assert texts(lines) == ["一" * 3, "一" * 5, "一" * 4]
    assert [line.last for line in lines] == [False, False, True]


def test_empty_paragraph_gives_one_empty_line() -> None:
    assert texts(break_lines("", 10, width)) == [""]


def test_balanced_title_lines_are_even() -> None:
    lines = texts(balanced_lines("一" * 12, 20, width))
    assert [len(x) for x in lines] == [6, 6]


def test_atoms_glue_opening_to_next_and_closing_to_previous() -> None:
    assert atoms("（一）主动") == ["（一）", "主", "动"]
    assert atoms("结束。”好") == ["结", "束。”", "好"]


PUNCT = sorted(CLOSING | OPENING)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("政府信息公开年报告ab12 ") + PUNCT), min_size=1, max_size=200),
    st.integers(min_value=6, max_value=40),
)
def test_no_kinsoku_violation_and_nothing_lost(text: str, limit: int) -> None:
    lines = break_lines(text, limit, width)
    joined = "".join(texts(lines)).replace(" ", "")
    assert joined == text.replace(" ", "")
    # Only a line cut inside an over-long unbreakable atom may violate; ours are short enough.
    for i, line in enumerate(lines):
        if i and line.text and line.text[0] in CLOSING:
            assert lines[i - 1].width + width(line.text[0]) > limit
        # A line may only overflow by closing marks that must not start the next line (hanging).
        body = line.text.rstrip("".join(CLOSING) + " ")
        assert sum(width(c) for c in body) <= limit + 1e-6 or len(body) <= 1


def test_url_breaks_only_after_its_separators_and_joins_back() -> None:
    from core.pdf.linebreak import URL_BREAK_AFTER, url_pieces

    url = "https://www.example.gov.cn/xxgk/a_b-c/index.html?id=12&x=3"
    pieces = url_pieces(url)
    assert "".join(pieces) == url
    assert pieces[0] == "https://"  # never inside "://"
    assert all(p[-1] in URL_BREAK_AFTER for p in pieces[:-1])
    lines = texts(break_lines("见" + url + "。", 12, width))
    assert "".join(lines) == "见" + url + "。"
    assert all(line[-1] in URL_BREAK_AFTER or not line[-1].isascii() for line in lines[:-1])
    # A decimal or a plain Latin word is no URL: it stays whole.
    assert "24252.311082" in atoms("收费24252.311082万元")


@given(st.lists(st.sampled_from(["ab", "cd.", "ef/", "g-h", "?", "=", "&", "_"]), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_url_pieces_never_lose_a_character(parts: list[str]) -> None:
    from core.pdf.linebreak import url_pieces

    url = "http://x.cn/" + "".join(parts)
    assert "".join(url_pieces(url)) == url


def test_allowed_break_points_keep_words_whole() -> None:
    from core.pdf.linebreak import allowed_breaks

    text, allowed = allowed_breaks("三、|本年度|办理|结果")
    assert text == "三、本年度办理结果"
    assert texts(break_lines(text, 6, width, allowed=allowed)) == ["三、", "本年度", "办理", "结果"]
    assert texts(break_lines(text, 10, width, allowed=allowed)) == ["三、本年度", "办理结果"]
    # Without the break points the same width cuts 本年度 in two.
    assert texts(break_lines(text, 6, width)) == ["三、本", "年度办", "理结果"]


def test_justification_stretches_around_words_not_inside_them() -> None:
    from core.pdf.linebreak import clusters, stretch_gaps

    assert clusters("在www.gov.cn发布") == [("在", False), ("www.gov.cn", True), ("发布", False)]
    # 在|w … n|发|布: three gaps may widen, none of the nine inside the address.
    assert stretch_gaps("在www.gov.cn发布") == 3
