"""``xxgk-report --self-test``: prove, on the clerk's own PC, that every part of the program works.

The IT person runs it once after installing (from the bundle or a normal install). It does in a
temporary folder what a clerk does in a year — a sample report written and read back, checked,
printed to PDF, kept in the store, shown in the window — and prints one Chinese line per step::

    ✔ 交换文件：示例报告写入并读回，内容一致（4.1 KB）
    ✘ 生成 PDF：未通过（未找到PDF 模块（core.pdf），安装包不完整）

A part of the program that is missing is a failure, not a skip: in a bundle it means PyInstaller
left it out, which is exactly what the self-test exists to catch. Nothing touches the clerk's real
drafts; the temporary folder is removed at the end.

The steps here need no window; the window's own (Qt's Chinese translation, the main window, the
print preview) are in ``gui.selftest``, which runs these first — ``core`` never imports ``gui``.
"""

from __future__ import annotations

import contextlib
import importlib
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from core import __version__
from core.errors import ReportError

SAMPLE_NAME = "自检示例报告.json"
PDF_NAME = "自检示例报告.pdf"
MIN_PDF_BYTES = 2_000


class StepFailed(Exception):
    """A step found something wrong; the message is the Chinese reason shown in brackets."""


@dataclass(frozen=True)
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class _Context:
    folder: Path
    report: Any = None
    sample_path: Path | None = None


def _import_part(module: str, what: str) -> Any:
    """Import a part of the program, turning its absence into a reason the IT person can act on."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and (err.name == module or module.startswith(err.name + ".")):
            raise StepFailed(f"未找到{what}（{module}），安装包不完整") from None
        raise StepFailed(f"{what}缺少依赖库 {err.name}，安装包不完整") from None
    except ImportError as err:
        raise StepFailed(f"{what}无法加载：{err}") from None


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


# -- the steps --------------------------------------------------------------------------------


def _step_format(ctx: _Context) -> str:
    from core.paths import resources_root
    from core.template import load_template

    tpl = load_template()
    root = resources_root()
    fonts = sorted(p.name for p in (root / "fonts").glob("*.tt[fc]")) if (root / "fonts").is_dir() else []
    if not fonts:
        raise StepFailed(f"程序资源中没有字体文件（{root / 'fonts'}）")
    return f"{tpl.id} 年报格式，{len(tpl.cells)} 个填报格，{len(fonts)} 个内置字体"


def _step_exchange(ctx: _Context) -> str:
    from core.exchange import dumps, read_report, write_report
    from core.sample import full_report

    report = full_report()
    path = ctx.folder / SAMPLE_NAME
    write_report(report, path)
    back = read_report(path)
    if dumps(back) != dumps(report):
        raise StepFailed("读回的内容与写入的不一致")
    ctx.report, ctx.sample_path = back, path
    return f"示例报告写入并读回，内容一致（{_size(path.stat().st_size)}）"


def _need_report(ctx: _Context) -> Any:
    if ctx.report is None:
        raise StepFailed("前一步未能生成示例报告")
    return ctx.report


def _step_check(ctx: _Context) -> str:
    from core.findings import has_errors, summary
    from core.rules import check

    report = _need_report(ctx)
    findings = check(report)
    if has_errors(findings):
        first = next(f for f in findings if f.severity == "error")
        raise StepFailed(f"平衡的示例报告被判有错：{first.message}")
    broken = report.copy()
    ref = "table3.granted.natural"
    broken.set(ref, int(broken.get(ref)) + 1)
    if not has_errors(check(broken)):
        raise StepFailed("改动一个数字后，勾稽关系校验没有发现错误")
    return f"示例报告{summary(findings)}；改动一个数字后能查出错误"


def _pdf_pages(path: Path) -> int | None:
    """Page count from an independent reader: pypdf when installed, else pdfium (a dependency)."""
    with contextlib.suppress(ImportError):
        pypdf = importlib.import_module("pypdf")
        return len(pypdf.PdfReader(str(path)).pages)
    with contextlib.suppress(ImportError):
        pdfium = importlib.import_module("pypdfium2")
        doc = pdfium.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    return None


def _step_pdf(ctx: _Context) -> str:
    pdf = _import_part("core.pdf", "PDF 模块")
    render = getattr(pdf, "render_pdf", None)
    if render is None:
        raise StepFailed("PDF 模块没有 render_pdf，安装包不完整")
    report = _need_report(ctx)
    path = ctx.folder / PDF_NAME
    result = render(report, path)
    if not path.is_file():
        raise StepFailed("没有生成 PDF 文件")
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(5)
    if head != b"%PDF-":
        raise StepFailed("生成的文件不是 PDF")
    if size < MIN_PDF_BYTES:
        raise StepFailed(f"PDF 只有 {size} 字节，内容不完整")
    try:
        pages = _pdf_pages(path)
    except Exception as err:  # any reader failure means a damaged file
        raise StepFailed(f"PDF 无法读取：{err}") from None
    if pages is not None and pages < 1:
        raise StepFailed("PDF 没有页面")
    claimed = getattr(result, "pages", None)
    if pages is not None and isinstance(claimed, int) and claimed != pages:
        raise StepFailed(f"生成时报告 {claimed} 页，读出来却是 {pages} 页")
    counted = f"{pages} 页，" if pages is not None else ""
    return f"生成示例报告的 PDF（{counted}{_size(size)}）"


def _step_store(ctx: _Context) -> str:
    store_mod = _import_part("core.store", "草稿库模块")
    from core.exchange import dumps, read_report

    report = _need_report(ctx)
    if ctx.sample_path is None:
        raise StepFailed("前一步未能生成示例报告")
    data_dir = ctx.folder / "草稿库"
    store = store_mod.Store.open(data_dir)
    try:
        if store.read_only:
            raise StepFailed(f"草稿库只能读不能写：{store.read_only_reason or '原因不明'}")
        (outcome,) = store.import_files([ctx.sample_path], all_or_nothing=True)
        if not outcome.ok or not outcome.id:
            raise StepFailed("导入示例报告失败：" + "；".join(outcome.problems))
        if dumps(store.load(outcome.id)) != dumps(report):
            raise StepFailed("从草稿库读出的报告与导入的不一致")
        exported = ctx.folder / "草稿库导出.json"
        store.export(outcome.id, exported)
        if dumps(read_report(exported)) != dumps(report):
            raise StepFailed("从草稿库导出的文件与导入的不一致")
    finally:
        store.close()
    # Reopened the way the command line reads it: what was stored must still be listed.
    again = store_mod.Store.open(data_dir, write=False)
    try:
        count = len(again.list())
    finally:
        again.close()
    if count != 1:
        raise StepFailed(f"重新打开后草稿库中有 {count} 份报告，应为 1 份")
    return "在临时草稿库中导入、读出、导出示例报告，重新打开后仍在"


def _step_publish_and_read(ctx: _Context) -> str:
    """Word and web page written, then each kind of published report read back cell for cell.

    The readers and exporters bring their own libraries (python-docx, lxml, charset-normalizer,
    pdfplumber → pdfminer → cryptography), each imported only when used: a bundle missing one
    otherwise passes every other step and fails the first time a clerk opens a published report.
    """
    plugins = _import_part("core.plugins", "插件模块")
    readers = _import_part("core.ingest.readers", "已发布年报读取模块")
    report = _need_report(ctx)
    files = []
    for name in ("docx", "html"):
        path = ctx.folder / f"发布{name}.{name}"
        try:
            plugins.exporter(name).write(report, path, plugins.ExportOptions())
        except ModuleNotFoundError as err:
            library = (err.name or "?").split(".")[0]
            raise StepFailed(f"导出{name}缺少依赖库 {library}，安装包不完整") from None
        files.append(path)
    pdf = ctx.folder / PDF_NAME
    if not pdf.is_file():  # the PDF step failed: read one of our own, which the print preview won't take
        pdf = ctx.folder / "发布pdf.pdf"
        _import_part("core.pdf", "PDF 模块").render_pdf(report, pdf)
    files.append(pdf)
    for path in files:
        try:
            result = readers.read_published(path)
        except ModuleNotFoundError as err:
            library = (err.name or "?").split(".")[0]
            raise StepFailed(f"读取{path.suffix}文件缺少依赖库 {library}，安装包不完整") from None
        wrong = [ref for ref in report.template.cells if result.report.values.get(ref) != report.values.get(ref)]
        if wrong or not result.complete:
            raise StepFailed(f"{path.suffix} 文件读回后 {len(wrong) or len(result.unread)} 个单元格不一致")
    cells = len(report.template.cells)
    return f"导出 Word 和网页，读回 Word、网页、PDF 三种已发布年报，{cells} 个单元格一致"


STEPS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    ("程序资源", _step_format),
    ("交换文件", _step_exchange),
    ("校验", _step_check),
    ("生成 PDF", _step_pdf),
    ("草稿库", _step_store),
    ("发布与读取", _step_publish_and_read),
    ("系统图形库", lambda ctx: importlib.import_module("core.syslibs").self_test_step(ctx)),  # Linux: xcb libraries
)
"""The steps that need no window; ``gui.selftest`` adds the window's own after these."""


# -- running and printing ---------------------------------------------------------------------


def run_steps(folder: Path, steps: Sequence[tuple[str, Callable[[_Context], str]]] | None = None
              ) -> Iterator[StepResult]:
    ctx = _Context(folder=folder)
    for name, step in STEPS if steps is None else steps:
        start = time.perf_counter()
        try:
            detail, ok = step(ctx), True
        except StepFailed as err:
            detail, ok = str(err), False
        except ReportError as err:
            detail, ok = err.message, False
        except Exception as err:  # the self-test reports every crash as a failed step
            frame = traceback.extract_tb(err.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            detail, ok = f"程序出错 {type(err).__name__}: {err}（{where}）", False
        yield StepResult(name, ok, detail, time.perf_counter() - start)


def _marks(stream: TextIO) -> tuple[str, str]:
    """✔/✘ where the console can show them; √/× (both in GBK) on a legacy Windows code page."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "✔✘".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return "√", "×"
    return "✔", "✘"


def _where() -> str:
    bundle = getattr(sys, "_MEIPASS", None)
    kind = f"安装包（{bundle}）" if bundle else f"Python 安装（{sys.executable}）"
    return f"{platform.system()} {platform.release()}，Python {platform.python_version()}，{kind}"


def run(stream: TextIO | None = None, steps: Sequence[tuple[str, Callable[[_Context], str]]] | None = None) -> int:
    """Run every step (``steps``, else :data:`STEPS`), print one line each and a verdict; 0 when all passed."""
    steps = STEPS if steps is None else steps
    out = stream if stream is not None else sys.stdout

    def say(line: str) -> None:
        # A windowed program on Windows has no stdout: the exit code is then the only answer.
        if out is not None:
            print(line, file=out, flush=True)

    ok_mark, fail_mark = _marks(out) if out is not None else ("✔", "✘")
    say(f"xxgk-report {__version__} 自检")
    say(_where())
    failed = 0
    started = time.perf_counter()
    try:
        workspace = tempfile.TemporaryDirectory(prefix="xxgk-selftest-", ignore_cleanup_errors=True)
    except OSError as err:
        say(f"{fail_mark} 临时文件夹：未通过（无法在 {tempfile.gettempdir()} 中创建：{err.strerror or err}）")
        return 1
    with workspace as tmp:
        for result in run_steps(Path(tmp), steps):
            if result.ok:
                say(f"{ok_mark} {result.name}：{result.detail}")
            else:
                failed += 1
                say(f"{fail_mark} {result.name}：未通过（{result.detail}）")
    elapsed = time.perf_counter() - started
    if failed:
        say(f"自检未通过：{len(steps)} 项中 {failed} 项失败（用时 {elapsed:.1f} 秒）")
        return 1
    say(f"自检通过：{len(steps)} 项全部正常（用时 {elapsed:.1f} 秒）")
    return 0
