"""``xxgk-report read``: a published report into an exchange file; and its part in ``import``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.plugins import ReadResult, reader_for

if TYPE_CHECKING:
    from core.model import Report

EXIT_OK, EXIT_GAPS, EXIT_INVALID = 0, 1, 2


def result_document(result: ReadResult) -> dict[str, Any]:
    """The exchange document of what was read; cells that were not read are left out, not 0."""
    from core.exchange import report_to_dict

    doc = report_to_dict(result.report)
    for ref in result.unread:
        *parents, leaf = ref.split(".")
        node = doc
        for key in parents:
            node = node.get(key, {})
        node.pop(leaf, None)
    return doc


def _cmd_read(args: argparse.Namespace) -> int:
    from core.exchange import write_atomic
    from core.ingest.readers import read_published

    result = read_published(args.published)
    text = json.dumps(result_document(result), ensure_ascii=False, indent=2) + "\n"
    write_atomic(args.output, text.encode("utf-8"))
    if args.json:
        print(json.dumps({
            "output": str(args.output), "complete": result.complete, "unread": result.unread,
            "problems": result.problems, "notes": result.notes, "zero_from_blank": result.zero_from_blank,
        }, ensure_ascii=False, indent=2))
    else:
        report = result.report
        cells = len(report.template.cells)
        read = cells - len([r for r in result.unread if r in report.template.cells])
        print(f"已读取 {args.published} → {args.output}：{report.effective_title}，"
              f"表格 {read}/{cells} 个单元格" + ("全部读出" if result.complete else "，有未读出的内容"))
        for line in result.problems:
            print(f"  未读出：{line}")
        for line in result.notes:
            print(f"  注意：{line}")
    return EXIT_OK if result.complete else EXIT_GAPS


def _add_read(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read", help="读取已发布的年报（网页、Word、PDF），生成年报交换文件",
                       description="读取已发布的政府信息公开工作年度报告（.html/.htm 网页、.docx Word 文件、"
                       "有文字的 .pdf），按格式的行列标题找出每个单元格，写成年报交换文件。读不准的单元格"
                       "不猜，留空并列出。退出码：0 全部读出，1 读出但有缺漏（已列出），2 不是这种格式的年报"
                       "或文件无法读取。")
    p.add_argument("published", metavar="已发布年报", help="网页（.html/.htm）、Word（.docx）或 PDF 文件")
    p.add_argument("-o", "--output", metavar="文件", required=True, help="要写入的年报交换文件（.json）")
    p.add_argument("--json", action="store_true",
                   help='以 JSON 输出结果：{"complete", "unread", "problems", "notes", "zero_from_blank"}')
    p.set_defaults(handler=_cmd_read)


def read_for_import(path: str | os.PathLike[str]) -> Report | None:
    """A published report read for ``import``; ``None`` for an exchange file (checked, not kept).

    Raises :class:`core.errors.InvalidReportFile` for a file that is neither.
    """
    reader = reader_for(path)
    if reader is None:
        from core.exchange import read_report

        read_report(path)
        return None
    result = reader.read(path)
    for line in result.problems:
        print(f"注意：{path}：未读出 {line}（已按 0 导入，请在窗口中补填）", file=sys.stderr)
    return result.report


def import_published(store: Any, path: str | os.PathLike[str], report: Report) -> str:
    """Add a published report read by :func:`read_for_import` to the store; returns its id."""
    from core.store import VERSION_IMPORTED

    return store.create(report, version=f"{VERSION_IMPORTED}自 {Path(path).name}", kind="import")
