"""The ``xxgk-report`` command: the window by default, and commands that need no window.

Qt is imported only when a window is asked for, so ``check`` (and every other command) starts
fast and runs on a machine without a display.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from core import __version__
from core.errors import ReportError
from core.findings import SEVERITY_LABELS, Finding, has_errors, summary
from core.ingest.command import _add_read
from core.region.command import _add_batch, _add_sum

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2

PROG = "xxgk-report"
DESCRIPTION = "政府信息公开年报填报助手：填写、校验并打印政府信息公开工作年度报告（2021 年格式）。"
EPILOG = """常用命令：
  xxgk-report                         打开填报窗口
  xxgk-report 报告.json               打开窗口并载入该报告
  xxgk-report check 报告.json         校验报告（退出码 0 无错误，1 有错误，2 文件无效）
  xxgk-report pdf 报告.json -o 年报.pdf  生成可打印的 PDF（加 --final 导出定稿，加 --sign-off 附签字栏）
  xxgk-report docx 报告.json          生成 Word 文档；html 生成网页（--fragment 只要正文）
  xxgk-report read 去年的年报.html -o 报告.json  读入已发布的年报（网页、Word、PDF）
  xxgk-report batch 文件夹 --roster 名单.csv   批量校验各单位的年报；sum 汇总为本地区总体年报
  xxgk-report list                    列出草稿库中的报告（import 导入、export 导出）
  xxgk-report --self-test             安装后自检

退出码：0 成功，1 报告有错误（或草稿库正被另一个窗口使用），2 文件无效或无法读写，
3 程序意外出错（错误详情写入草稿库文件夹下 logs 中的日志文件，屏幕上会给出文件位置）。

各命令的说明：xxgk-report 命令 --help"""


class _ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        # argparse itself passes prefix="" when it builds a subcommand's prog: keep that one bare.
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese headings and errors that exit 2 with one Chinese line."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        translations = {
            "the following arguments are required": "缺少必需的参数",
            "unrecognized arguments": "无法识别的参数",
            "expected one argument": "需要一个值",
            "invalid choice": "无效的选项",
        }
        for en, zh in translations.items():
            message = message.replace(en, zh)
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}：参数错误：{message}\n")


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", metavar="目录",
        help="草稿库所在的文件夹（默认：用户数据目录；也可用环境变量 XXGK_REPORT_HOME 指定）",
    )


# -- check -----------------------------------------------------------------------------------


def _format_findings(findings: list[Finding], report) -> str:  # type: ignore[no-untyped-def]
    tpl = report.template
    lines = [f"{report.effective_title}：{summary(findings)}"]
    order = {s.id: i for i, s in enumerate(tpl.sections)}
    by_section: dict[str | None, list[Finding]] = {}
    for f in findings:
        section = next((tpl.section_for(c) for c in f.cells if tpl.section_for(c)), None)
        by_section.setdefault(section, []).append(f)
    for section in sorted(by_section, key=lambda s: -1 if s is None else order[s]):
        lines.append("")
        lines.append("基本信息" if section is None else tpl.section(section).heading)
        for f in by_section[section]:
            lines.append(f"  [{SEVERITY_LABELS[f.severity]}] {f.message}")
    return "\n".join(lines)


def _cmd_check(args: argparse.Namespace) -> int:
    from core.exchange import read_report
    from core.indicators import indicators
    from core.rules import check

    report = read_report(args.file)
    findings = check(report, previous=_previous_report(args, report))
    rates = indicators(report)
    if args.json:
        print(json.dumps({"findings": [f.to_dict() for f in findings],
                          "indicators": [i.to_dict() for i in rates]}, ensure_ascii=False, indent=2))
    else:
        print(_format_findings(findings, report))
        # Reference figures, not findings: after them, so the first line stays the verdict.
        print("\n参考指标（供参考，不属于校验结果）")
        for i in rates:
            print(f"  {i.line}")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _add_check(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="校验报告文件，列出错误和提示", description="校验年报交换文件。退出码："
                       "0 无错误（可有提示），1 有错误，2 文件无法读取或无效。")
    p.add_argument("file", metavar="文件", help="年报交换文件（.json）")
    p.add_argument("--json", action="store_true", help='以 JSON 输出：{"findings": [...], "indicators": [...]}')
    _previous_option(p)
    _data_dir_option(p)
    p.set_defaults(handler=_cmd_check)


def _previous_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--previous", metavar="上年文件",
                        help="上一年度报告的交换文件：用它核对跨年度衔接（不给则在草稿库中查找）")


def _previous_report(args: argparse.Namespace, report):  # type: ignore[no-untyped-def]
    """Last year's report: the file named by ``--previous``, else from the local store when it has one."""
    from core.session import previous_for_file

    return previous_for_file(report, previous_file=getattr(args, "previous", None),
                             data_dir=getattr(args, "data_dir", None))


# -- the local store: list, import, export --------------------------------------------------


def _open_store(args: argparse.Namespace, *, write: bool):  # type: ignore[no-untyped-def]
    from core.datadir import resolve_data_dir
    from core.store import Store

    store = Store.open(resolve_data_dir(args.data_dir), write=write)
    for note in store.recovery_notes:
        print(f"注意：{note}", file=sys.stderr)
    return store


def _cmd_list(args: argparse.Namespace) -> int:
    with _open_store(args, write=False) as store:
        entries = store.trash() if args.trash else store.list()
        if not entries:
            where = "回收站" if args.trash else "草稿库"
            print(f"{where}中没有报告（草稿库位置：{store.folder}）", file=sys.stderr)
        for e in entries:
            when = e.deleted if args.trash and e.deleted else e.modified
            print(f"{e.id}  {e.year}年度  {e.display_name}  {e.status}  "
                  f"{'删除于' if args.trash else '最后修改'} {when:%Y-%m-%d %H:%M}")
    return EXIT_OK


def _add_list(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="列出草稿库中的报告", description="列出草稿库中的报告，每行一份，"
                       "以报告编号开头（导出时使用该编号）。")
    p.add_argument("--trash", action="store_true", help="列出回收站中的报告")
    _data_dir_option(p)
    p.set_defaults(handler=_cmd_list)


def _report_invalid(bad: list[tuple[str | Path, list[str]]]) -> bool:
    for path, problems in bad:
        print(f"{path}：无法导入", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
    if bad:
        print(f"{len(bad)} 个文件无效，未导入任何文件，草稿库未改动。", file=sys.stderr)
    return bool(bad)


def _cmd_import(args: argparse.Namespace) -> int:
    from core.errors import InvalidReportFile
    from core.ingest.command import import_published, read_for_import

    # Every file is read before the store is even opened: an invalid one leaves the data folder
    # exactly as it was, not even created. Published reports (web page, Word, PDF) are read here.
    bad: list[tuple[str | Path, list[str]]] = []
    published = {}
    for path in args.files:
        try:
            report = read_for_import(path)
            if report is not None:
                published[path] = report
        except InvalidReportFile as err:
            bad.append((path, err.lines()))
    if _report_invalid(bad):
        return EXIT_INVALID
    with _open_store(args, write=True) as store:
        if store.read_only:
            print(store.read_only_reason, file=sys.stderr)
            print("未导入任何文件。", file=sys.stderr)
            return EXIT_FINDINGS
        outcomes = store.import_files([p for p in args.files if p not in published], all_or_nothing=True)
        if _report_invalid([(o.path, o.problems) for o in outcomes if o.problems]):
            return EXIT_INVALID
        done = [(o.path, o.id) for o in outcomes]
        done += [(path, import_published(store, path, report)) for path, report in published.items()]
        for path, report_id in done:
            entry = store.entry(report_id)  # type: ignore[arg-type]
            print(f"已导入 {path} → {entry.id}  {entry.year}年度  {entry.display_name}  {entry.status}")
    return EXIT_OK


def _add_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="把年报交换文件或已发布的年报（网页、Word、PDF）导入草稿库",
                       description="把一个或多个年报交换文件，或已发布的年报（网页、Word 文件、文字版 PDF，"
                       "先按 read 命令读入，读不出的单元格记为 0 并逐个列出）导入草稿库。"
                       "退出码：0 全部导入，1 草稿库正被另一个窗口使用，2 有文件无效（此时一个也不导入，"
                       "草稿库不变）。")
    p.add_argument("files", metavar="文件", nargs="+",
                   help="年报交换文件（.json）或已发布的年报（.html/.htm、.docx、.pdf），可写多个")
    _data_dir_option(p)
    p.set_defaults(handler=_cmd_import)


def _cmd_export(args: argparse.Namespace) -> int:
    with _open_store(args, write=False) as store:
        report_id = store.resolve_id(args.id)
        store.export(report_id, args.output)
        print(f"已导出 {store.entry(report_id).display_name} → {args.output}")
    return EXIT_OK


def _add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="把草稿库中的报告导出为年报交换文件", description="把草稿库中的一份报告"
                       "导出为年报交换文件。编号见 xxgk-report list（可只写开头几位）。退出码：0 成功，"
                       "2 编号不存在或无法写入。")
    p.add_argument("id", metavar="编号", help="报告编号")
    p.add_argument("-o", "--output", metavar="文件", required=True, help="要写入的交换文件（.json）")
    _data_dir_option(p)
    p.set_defaults(handler=_cmd_export)


# -- exporters (pdf, and every other registered kind) -----------------------------------------
# One generic command per exporter of ``core.plugins``: a new output kind needs no code here.


def _cmd_export_kind(args: argparse.Namespace) -> int:
    from core.exchange import read_report
    from core.pdf import FinalRefused
    from core.plugins import ExportOptions, exporter
    from core.session import export_file_name

    plugin = exporter(args.exporter)
    report = read_report(args.file)
    output = Path(args.output) if args.output else Path(args.file).parent / export_file_name(report, plugin.suffix)
    options = ExportOptions(final=args.final, sign_off=args.sign_off, fragment=getattr(args, "fragment", False),
                            previous=_previous_report(args, report))
    try:
        result = plugin.write(report, output, options)
    except FinalRefused as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        return EXIT_FINDINGS
    for note in result.notes:
        print(note, file=sys.stderr)
    kind = "草稿（有错误，已标“草稿”）" if result.draft else "定稿" if args.final else "正式文本"
    pages = f"{result.pages} 页，" if result.pages else ""
    print(f"已生成 {output}（{pages}{kind}；{summary(result.findings)}）")
    return EXIT_FINDINGS if result.draft else EXIT_OK


def _exporter_command(plugin) -> Callable[[argparse._SubParsersAction], None]:  # type: ignore[no-untyped-def]
    def add(sub: argparse._SubParsersAction) -> None:
        what = f" {plugin.description}" if plugin.description[:1].isascii() else plugin.description  # 生成 Word
        p = sub.add_parser(plugin.name, help=f"生成{what}",
                           description=f"把年报交换文件生成为{what}。报告有错误时标“草稿”；"
                           "加 --final 时有错误则拒绝生成。退出码：0 成功，1 有错误（已生成草稿，或 --final "
                           "被拒绝、未写文件），2 文件无效或无法写入。")
        p.add_argument("file", metavar="文件", help="年报交换文件（.json）")
        p.add_argument("-o", "--output", metavar=f"{plugin.label}文件",
                       help=f"要写入的文件（默认：与交换文件同一文件夹，名为“单位+年度+年政府信息公开工作年度报告"
                            f"{plugin.suffix}”）")
        p.add_argument("--final", action="store_true", help="导出定稿：报告还有错误时拒绝生成，不写任何文件")
        p.add_argument("--sign-off", action="store_true",
                       help="报批用：落款用加盖印章的版式并加“单位负责人（签字）、经办人、联系电话”一行"
                            "（网站发布版不要加）")
        _previous_option(p)
        add_arguments = getattr(plugin, "add_arguments", None)
        if add_arguments is not None:
            add_arguments(p)
        _data_dir_option(p)
        p.set_defaults(handler=_cmd_export_kind, exporter=plugin.name)

    add.__name__ = f"_add_{plugin.name}"
    return add


# -- the table of commands ------------------------------------------------------------------
# Each command registers its own parser; the window is the default when no command is named.

def _exporter_commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    from core.plugins import exporters

    return [_exporter_command(plugin) for plugin in exporters()]


SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_check, _add_list, _add_import, _add_export, _add_read, *_exporter_commands(),
    _add_batch,
    _add_sum,
]


def commands() -> list[Callable[[argparse._SubParsersAction], None]]:
    """:data:`SUBCOMMANDS`, plus a command for any exporter registered since this module was loaded."""
    from core.plugins import exporters

    known = {_name_of(add) for add in SUBCOMMANDS}
    return [*SUBCOMMANDS, *(_exporter_command(p) for p in exporters() if p.name not in known)]


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(title="命令", metavar="命令", parser_class=ChineseArgumentParser)
    for add in commands():
        add(sub)
    return parser


def build_window_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="显示版本号并退出")
    parser.add_argument("file", metavar="文件", nargs="?", help="要打开的年报交换文件（.json），可省略")
    _data_dir_option(parser)
    parser.add_argument("--self-test", action="store_true",
                        help="自检：在临时文件夹中生成示例报告，校验、生成 PDF、存取草稿库、试开窗口，"
                             "逐项报告结果（退出码 0 正常，1 有问题）；不动已有草稿")
    return parser


# The window and the window's self-test steps live in ``gui`` (core never imports it): the
# program's entry point, ``gui.launcher.main``, hands them in. Without them (``python -m core.cli``)
# only the commands run.
WindowRunner = Callable[[Path | None, str | None], int]
SelfTestRunner = Callable[[], int]
NO_WINDOW = "本入口只含命令行：打开填报窗口请运行 xxgk-report（不带命令），命令列表见 xxgk-report --help"


def _core_self_test() -> int:
    from core.selftest import run

    return run()


def _self_test_handler(run: SelfTestRunner) -> Callable[[argparse.Namespace], int]:
    return lambda _args: run()


def _window_handler(run: WindowRunner) -> Callable[[argparse.Namespace], int]:
    return lambda args: run(Path(args.file) if args.file else None, args.data_dir)


def _hoist_global_options(argv: list[str], command_names: set[str]) -> list[str]:
    """``--data-dir D list`` → ``list --data-dir D``: the option may come before the command name.

    Only options that precede a command name move; without a command they belong to the window.
    """
    moved: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--data-dir" and i + 1 < len(argv):
            moved += argv[i:i + 2]
            i += 2
        elif arg.startswith("--data-dir="):
            moved.append(arg)
            i += 1
        else:
            break
    if moved and i < len(argv) and argv[i] in command_names:
        return [argv[i], *moved, *argv[i + 1:]]
    return argv


def main(argv: Sequence[str] | None = None, *, run_window: WindowRunner | None = None,
         run_self_test: SelfTestRunner | None = None) -> int:
    """Run a command, or hand the window (and ``--self-test``) to the runners ``gui.launcher`` gives."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command_names = {_name_of(add) for add in commands()}
    argv = _hoist_global_options(argv, command_names)
    wants_command = bool(argv) and argv[0] in command_names
    if wants_command or (argv and argv[0] in ("-h", "--help")):
        args = build_parser().parse_args(argv)
        handler = args.handler
    else:
        args = build_window_parser().parse_args(argv)
        if args.self_test:
            handler = _self_test_handler(run_self_test or _core_self_test)
        elif run_window is not None:
            handler = _window_handler(run_window)
        else:
            print(NO_WINDOW, file=sys.stderr)
            return EXIT_INVALID
    try:
        return handler(args)
    except ReportError as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # the last line of defence: never a bare traceback, never exit 1
        from core.crashlog import EXIT_CRASH, crash_message, write_crash_log

        print(crash_message(write_crash_log(err, data_dir=getattr(args, "data_dir", None))), file=sys.stderr)
        return EXIT_CRASH


def _name_of(add: Callable[[argparse._SubParsersAction], None]) -> str:
    return add.__name__.removeprefix("_add_").replace("_", "-")


if __name__ == "__main__":
    sys.exit(main())
