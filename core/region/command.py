"""The ``batch`` and ``sum`` commands: a county office's checks and overall report on the command line.

Registered in ``core.cli.SUBCOMMANDS``. Nothing heavy is imported until a command runs (openpyxl
only when a roster or workbook is ``.xlsx``), so every other command starts as fast as before.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


def _common_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", metavar="文件或文件夹", nargs="+",
                   help="各单位的年报交换文件（.json）或已发布的年报，或存放它们的文件夹（含子文件夹）")
    p.add_argument("--roster", metavar="名单", help="应报送单位名单（.csv 或 .xlsx：第一列单位全称，第二列可写简称）")
    p.add_argument("--xlsx", metavar="Excel文件", help="同时写出 Excel 工作簿（.xlsx）")


def _load_roster(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from core.region.roster import read_roster

    return read_roster(args.roster) if args.roster else None


def _print_bad(batch: Any) -> None:
    from core.region.batch import BAD_SKIPPED

    unusable = batch.unusable
    if unusable:
        print(f"\n无法使用的文件（{len(unusable)} 个，其余文件照常处理）：")
        for b in unusable:
            print(f"  {b.path}：{b.reason}")
    skipped = [b for b in batch.bad if b.kind == BAD_SKIPPED]
    if skipped:
        print(f"\n跳过 {len(skipped)} 个不是年报的文件：" + "、".join(b.path.name for b in skipped[:10])
              + ("等" if len(skipped) > 10 else ""))


def _headline(batch: Any) -> str:
    from core.region.batch import STATUSES

    counts = batch.counts()
    guessed = "（未指定 --year，取输入中最新的年度）" if batch.year_guessed else ""
    return (f"{batch.year} 年度{guessed}：共 {len(batch.results) + len(batch.missing)} 个单位，"
            + "，".join(f"{s} {counts[s]}" for s in STATUSES))


def print_batch(batch: Any) -> None:
    if batch.year is None:
        print("没有读到任何年报。")
    else:
        print(_headline(batch))
        for r in batch.results:
            outside = "（不在名单中）" if not r.in_roster else ""
            problem = f"  {r.first_problem}" if r.first_problem else ""
            print(f"{r.unit}{outside}  {r.year}年度  {r.status}（错误 {r.errors}，提示 {r.warnings}）{problem}")
        if batch.missing:
            print(f"\n名单中没有 {batch.year} 年度报告的单位（{len(batch.missing)} 个）：")
            for u in batch.missing:
                print(f"  {u.name}" + (f"（{u.short}）" if u.short else ""))
    _print_bad(batch)
    if batch.other_years:
        print(f"\n另有 {batch.other_years} 份其他年度的报告：只用于核对下一年度的跨年度衔接。")


def batch_json(batch: Any) -> dict[str, Any]:
    return {
        "year": batch.year,
        "year_guessed": batch.year_guessed,
        "counts": batch.counts(),
        "units": [{
            "unit": r.unit, "short": r.short, "year": r.year, "status": r.status, "in_roster": r.in_roster,
            "errors": r.errors, "warnings": r.warnings, "first_problem": r.first_problem,
            "file": r.where or str(r.path), "previous_file": str(r.previous_path) if r.previous_path else None,
            "notes": r.notes, "findings": [f.to_dict() for f in r.findings],
        } for r in batch.results],
        "missing": [{"unit": u.name, "short": u.short} for u in batch.missing],
        "bad_inputs": [{"file": str(b.path), "kind": b.kind, "reasons": b.reasons} for b in batch.bad],
        "other_years": batch.other_years,
    }


def _cmd_batch(args: argparse.Namespace) -> int:
    from core.region.batch import run_batch

    roster = _load_roster(args)
    batch = run_batch(args.inputs, year=args.year, roster=roster)
    if args.json:
        print(json.dumps(batch_json(batch), ensure_ascii=False, indent=2))
    else:
        print_batch(batch)
    if args.xlsx:
        from core.region.xlsx import write_workbook

        write_workbook(args.xlsx, batch)
        print(f"已写出 {args.xlsx}", file=sys.stderr if args.json else sys.stdout)
    if not batch.results and not batch.missing:
        return EXIT_INVALID
    return EXIT_FINDINGS if batch.has_errors or batch.unusable else EXIT_OK


def _add_batch(sub: argparse._SubParsersAction) -> None:
    from core.cli import _data_dir_option

    p = sub.add_parser("batch", help="一次校验多个单位的年报", description="一次校验多个单位的年报：每个单位一行"
                       "（错误数、提示数和第一个问题），列出名单中未提交报告的单位和无法使用的文件。同一单位上一年度的"
                       "报告也在输入中时，用它核对跨年度衔接。退出码：0 没有错误，1 有报告有错误或有文件无法使用，"
                       "2 没有读到任何年报或名单无法读取。")
    _common_options(p)
    p.add_argument("--year", type=int, metavar="年度", help="要检查的报告年度（默认：输入中最新的年度）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出全部结果")
    _data_dir_option(p)
    p.set_defaults(handler=_cmd_batch)


def _cmd_sum(args: argparse.Namespace) -> int:
    from core.errors import ReportError
    from core.exchange import write_report
    from core.region.batch import load_inputs, run_batch
    from core.region.sum import build_sum

    unit = " ".join(args.unit.split())
    if not unit:
        raise ReportError("--unit 不能为空：请写汇总报告的单位名称，例如“某县人民政府办公室”")
    roster = _load_roster(args)
    batch = run_batch(args.inputs, year=args.year, roster=roster)
    previous = None
    if args.previous_set:
        if not Path(args.previous_set).exists():
            raise ReportError(f"找不到上年报告所在的文件夹 {args.previous_set}")
        previous, previous_bad = load_inputs([args.previous_set])
        for b in previous_bad:
            if b.kind != "skipped":
                print(f"上年报告 {b.path}：{b.reason}", file=sys.stderr)
    if not batch.results:
        _print_bad(batch)
        raise ReportError(f"输入中没有 {args.year} 年度的年报，无法汇总")
    total = build_sum(batch, unit=unit, year=args.year, include_errors=args.include_errors, previous=previous)
    write_report(total.report, args.output)
    for line in total.lines():
        print(line)
    _print_bad(batch)
    from core.findings import SEVERITY_LABELS, summary

    print(f"\n汇总报告的校验：{summary(total.findings)}")
    for f in total.findings:
        print(f"  [{SEVERITY_LABELS[f.severity]}] {f.message}")
    if args.xlsx:
        from core.region.xlsx import write_workbook

        write_workbook(args.xlsx, batch, total)
        print(f"已写出 {args.xlsx}")
    print(f"已写出 {args.output}（{total.report.effective_title}；正文待填写，第六部分有汇总说明）")
    left_out = total.excluded or total.included_with_errors or batch.unusable
    return EXIT_FINDINGS if total.has_errors or left_out else EXIT_OK


def _add_sum(sub: argparse._SubParsersAction) -> None:
    from core.cli import _data_dir_option

    p = sub.add_parser("sum", help="把各单位的年报汇总为本地区的总体年报", description="把各单位同一年度的年报"
                       "逐项相加，生成本地区总体年报的交换文件：表二至表四逐个单元格相加（收费金额精确相加），正文"
                       "留给经办人填写，第六部分写明汇总了哪些单位。有错误的单位不计入汇总并逐一列出（加 "
                       "--include-errors 则计入并列出）。退出码：0 成功，1 有单位因错误未计入、计入的单位有错误或"
                       "有文件无法使用（汇总文件照样写出），2 输入无效或无法写入。")
    _common_options(p)
    p.add_argument("--unit", required=True, metavar="单位名称", help="汇总报告的单位名称（例如某县人民政府办公室）")
    p.add_argument("--year", required=True, type=int, metavar="年度", help="汇总的报告年度")
    p.add_argument("-o", "--output", required=True, metavar="文件", help="要写入的汇总报告交换文件（.json）")
    p.add_argument("--previous-set", metavar="上年文件夹",
                   help="各单位上一年度报告所在的文件夹：核对汇总的上年结转是否等于上年结转下年度之和")
    p.add_argument("--include-errors", action="store_true", help="有错误的单位也计入汇总（仍逐一列出）")
    _data_dir_option(p)
    p.set_defaults(handler=_cmd_sum)
