"""``xxgk-report --self-test``: what the IT person sees after installing the program."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import selftest
from gui import selftest as window_selftest

STEP_NAMES = [name for name, _ in window_selftest.STEPS]


def test_self_test_passes_in_this_install_and_leaves_the_drafts_alone(tmp_path: Path) -> None:
    home = Path(os.environ["XXGK_REPORT_HOME"])
    result = subprocess.run(
        [sys.executable, "-m", "gui.launcher", "--self-test"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=tmp_path,
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for name in STEP_NAMES:
        assert any(line.startswith(f"✔ {name}：") for line in lines), f"{name} missing in:\n{result.stdout}"
    assert not any(line.startswith("✘") for line in lines)
    assert lines[-1].startswith("自检通过")
    # The self-test works in a temporary folder: the clerk's data folder is not even created.
    assert not home.exists() or not any(home.iterdir())
    assert list(tmp_path.iterdir()) == []


def test_a_failing_step_is_named_with_its_reason_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_pdf(ctx: selftest._Context) -> str:
        raise selftest.StepFailed("字体文件损坏")

    steps = tuple((name, broken_pdf if name == "生成 PDF" else fn) for name, fn in window_selftest.STEPS)
    monkeypatch.setattr(window_selftest, "STEPS", steps)
    out = io.StringIO()
    assert window_selftest.run(out) == 1
    text = out.getvalue()
    assert "✘ 生成 PDF：未通过（字体文件损坏）" in text
    assert "✔ 草稿库：" in text
    assert "✘ 打印预览：未通过（前一步未能生成 PDF）" in text
    assert f"自检未通过：{len(steps)} 项中 2 项失败" in text


def test_a_missing_part_of_the_program_is_reported_not_crashed_on(monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    # What a bundle that PyInstaller built without the PDF module looks like from inside.
    monkeypatch.setitem(sys.modules, "core.pdf", None)
    ctx = selftest._Context(folder=tmp_path)
    selftest._step_exchange(ctx)
    with pytest.raises(selftest.StepFailed, match=r"未找到PDF 模块（core\.pdf），安装包不完整"):
        selftest._step_pdf(ctx)


def test_an_unexpected_crash_in_a_step_becomes_a_failed_line(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    def crash(ctx: selftest._Context) -> str:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(selftest, "STEPS", (("校验", crash),))
    (result,) = selftest.run_steps(tmp_path)
    assert not result.ok
    assert "ZeroDivisionError" in result.detail and "test_selftest.py" in result.detail


def test_marks_fall_back_to_gbk_characters_on_a_legacy_windows_console() -> None:
    gbk = io.TextIOWrapper(io.BytesIO(), encoding="gbk")
    assert selftest._marks(gbk) == ("√", "×")
    "√×".encode("gbk")  # both are in GBK, so printing them cannot fail
    assert selftest._marks(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")) == ("✔", "✘")


def test_self_test_prints_in_gbk_without_crashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "STEPS", (("校验", lambda ctx: "好"), ("窗口", lambda ctx: "好")))
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="gbk")
    assert selftest.run(out) == 0
    out.flush()
    assert "√ 校验：好" in raw.getvalue().decode("gbk")


@pytest.mark.parametrize(
    ("environ", "plat", "expected"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({}, "win32", False),
    ],
)
def test_offscreen_only_where_there_is_no_display(environ: dict[str, str], plat: str, expected: bool) -> None:
    assert window_selftest._needs_offscreen(environ, plat) is expected


def test_a_dialog_raised_by_the_window_does_not_hang_the_self_test(monkeypatch: pytest.MonkeyPatch,
                                                                   tmp_path: Path) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

    def make_app() -> QApplication:
        return QApplication.instance() or QApplication([])

    def make_window(path: Path, *, data_dir: str) -> QMainWindow:
        window = QMainWindow()
        QMessageBox(QMessageBox.Icon.Warning, "出错", "无法打开草稿库：磁盘已满").exec()
        return window

    monkeypatch.setattr(window_selftest, "DIALOG_WATCHDOG_MS", 100)
    monkeypatch.setattr(window_selftest, "_window_makers", lambda: (make_app, make_window))
    ctx = selftest._Context(folder=tmp_path)
    selftest._step_exchange(ctx)
    with pytest.raises(selftest.StepFailed, match="弹出了对话框：无法打开草稿库：磁盘已满"):
        window_selftest._step_window(ctx)


def test_the_window_step_opens_the_sample_report(tmp_path: Path) -> None:
    ctx = selftest._Context(folder=tmp_path)
    selftest._step_exchange(ctx)
    detail = window_selftest._step_window(ctx)
    assert "打开示例报告并关闭主窗口" in detail


def test_an_unwritable_temporary_folder_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "不存在的文件夹"
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(missing))
    out = io.StringIO()
    assert selftest.run(out) == 1
    assert f"✘ 临时文件夹：未通过（无法在 {missing} 中创建" in out.getvalue()


@pytest.mark.parametrize(("missing", "kind"), [("docx", "docx"), ("lxml", "html"), ("cryptography", ".pdf")])
def test_a_bundle_without_a_library_of_the_published_reports_fails_the_publish_step(
        missing: str, kind: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # pdfminer imports cryptography at load time (AES-encrypted PDFs): forget the loaded readers so
    # that the step imports them again, as a fresh bundle would.
    for name in list(sys.modules):
        if name.split(".")[0] in (missing, "pdfplumber", "pdfminer") or name.startswith("core.ingest.html"):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)
    ctx = selftest._Context(folder=tmp_path)
    selftest._step_exchange(ctx)
    with pytest.raises(selftest.StepFailed, match=rf"{kind}.*缺少依赖库 {missing}，安装包不完整"):
        selftest._step_publish_and_read(ctx)


def test_the_publish_step_reads_back_every_cell_of_the_three_kinds(tmp_path: Path) -> None:
    ctx = selftest._Context(folder=tmp_path)
    selftest._step_exchange(ctx)
    detail = selftest._step_publish_and_read(ctx)
    assert "Word、网页、PDF" in detail
    assert {p.suffix for p in tmp_path.iterdir()} >= {".docx", ".html", ".pdf"}
