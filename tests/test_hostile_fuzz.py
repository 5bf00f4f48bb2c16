"""Fuzzing the exchange reader: whatever comes in, only a report or a ReportError comes out, promptly.

"Promptly" is Hypothesis's per-example deadline, not a wall-clock assert: an input that makes the
reader take seconds (1e-999999999 did take minutes) fails the example and is shrunk and reported.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import ReportError
from core.exchange import read_report, report_from_json, report_to_dict
from core.model import Report
from core.sample import full_report

FUZZ = settings(deadline=timedelta(seconds=2), max_examples=300,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Every code point, lone surrogates and controls included.
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
any_text = st.text(any_char, max_size=30)
numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=9).map(lambda d: int("9" * (4000 + d))),  # beyond a count
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["1e-999999999", "0E-999999999", "1_000", "٣", "24252.311082", "NaN", "-0", "1e30",
                     "2025-W01-1", "0001-01-01"]),
)
# Raw JSON number literals, spliced in as text: json.dumps cannot even produce the long ones.
raw_numbers = st.one_of(
    st.integers(min_value=1, max_value=20_000).map(lambda n: "9" * n),
    st.sampled_from(["1e-999999999", "0E-999999999", "-0.0", "1E+999999999", "1" * 5000 + ".5"]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, any_text)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(any_text, inner, max_size=4)),
                           max_leaves=20)

BASE = report_to_dict(full_report())


def _paths(node: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if isinstance(node, dict):
        out = [prefix] if prefix else []
        for key, child in node.items():
            out += _paths(child, (*prefix, key))
        return out
    return [prefix]


PATHS = _paths(BASE)


def _outcome(read) -> None:  # type: ignore[no-untyped-def]
    try:
        report = read()
    except ReportError as err:
        for line in err.lines():
            line.encode("utf-8")  # printable: no lone surrogate reaches the terminal
            assert "\x1b" not in line
        return
    assert isinstance(report, Report)
    # A report that was accepted can be checked, stored as UTF-8, kept small, and read back.
    from core.exchange import dumps
    from core.rules import check

    check(report)
    text = dumps(report)
    text.encode("utf-8")
    assert len(text) < 10 * len(_dumps(BASE)) + 2 * sum(len(t) for t in report.texts.values())
    assert report_from_json(text) == report


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=True, default=str)


@FUZZ
@given(json_values)
def test_any_json_value(value: object) -> None:
    _outcome(lambda: report_from_json(_dumps(value)))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(PATHS), json_values), min_size=1, max_size=4))
def test_a_valid_report_with_fields_replaced(changes: list[tuple[tuple[str, ...], object]]) -> None:
    doc = json.loads(json.dumps(BASE))
    for path, value in changes:
        node = doc
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        node[path[-1]] = value
    _outcome(lambda: report_from_json(_dumps(doc)))


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_from_a_file(tmp_path_factory, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("fuzz")) / "报告.json"
    path.write_bytes(raw)
    _outcome(lambda: read_report(path))


@FUZZ
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=4000))
def test_bytes_spliced_into_a_valid_file(tmp_path_factory, junk: bytes, at: int) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps(BASE, ensure_ascii=False).encode("utf-8")
    at = min(at, len(text))
    path = Path(tmp_path_factory.mktemp("fuzz")) / "报告.json"
    path.write_bytes(text[:at] + junk + text[at:])
    _outcome(lambda: read_report(path))


@FUZZ
@given(st.sampled_from(PATHS), raw_numbers)
def test_any_number_literal_in_any_field(path: tuple[str, ...], literal: str) -> None:
    doc = json.loads(json.dumps(BASE))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "@@NUMBER@@"
    _outcome(lambda: report_from_json(_dumps(doc).replace('"@@NUMBER@@"', literal)))


def test_the_fuzz_strategies_reach_real_reports() -> None:
    # Guard against a fuzz test that never gets past the first check: the base document is valid.
    assert isinstance(report_from_json(_dumps(BASE)), Report)
    assert Decimal(str(BASE["table2"]["fees"])) >= 0
