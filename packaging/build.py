"""Build the one-folder app for the OS this runs on, then run its self-test.

    python packaging/build.py               # → dist/xxgk-report/ (Windows: xxgk-report.exe + xxgk-report-cli.exe)
    python packaging/build.py --no-self-test

Needs the packaging extra (``pip install -e ".[packaging]"``, i.e. PyInstaller) in the same Python
that has the program installed. Exit code 0 when the bundle was built and its self-test passed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_config as cfg

SPEC = cfg.ROOT / "packaging" / "xxgk-report.spec"
DIST = cfg.ROOT / "dist"
WORK = cfg.ROOT / "build" / "pyinstaller"
WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if WINDOWS else ""
PORTABLE_DATA = "xxgk-data"

# Launchers that keep the drafts beside the program (a USB stick). ASCII only: cmd.exe reads .bat
# files in the console's code page, which is GBK on a Chinese PC and UTF-8 on some others.
PORTABLE_BAT = f"""@echo off\r
rem Portable mode: drafts are kept in the {PORTABLE_DATA} folder beside this file.\r
set "XXGK_REPORT_HOME=%~dp0{PORTABLE_DATA}"\r
start "" "%~dp0{cfg.APP_NAME}.exe" %*\r
"""
PORTABLE_SH = f"""#!/bin/sh
# Portable mode: drafts are kept in the {PORTABLE_DATA} folder beside this script.
here=$(dirname "$(readlink -f "$0")")
XXGK_REPORT_HOME="$here/{PORTABLE_DATA}" exec "$here/{cfg.APP_NAME}" "$@"
"""


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / cfg.APP_NAME


def console_executable(dist: Path = DIST) -> Path:
    """The executable that prints: the -cli one on Windows, the only one elsewhere."""
    name = cfg.CLI_NAME if WINDOWS else cfg.APP_NAME
    return bundle_dir(dist) / f"{name}{EXE_SUFFIX}"


def write_portable_launcher(folder: Path) -> Path:
    if WINDOWS:
        path = folder / "便携模式启动.bat"
        path.write_bytes(PORTABLE_BAT.encode("ascii"))
    else:
        path = folder / "便携模式启动.sh"
        path.write_text(PORTABLE_SH, encoding="utf-8")
        path.chmod(0o755)
    return path


def run_pyinstaller(dist: Path, work: Path) -> None:
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit('没有安装 PyInstaller：请先运行 pip install -e ".[packaging]"') from None
    missing = cfg.missing_required()
    if missing:
        raise SystemExit("缺少程序数据文件夹：" + "、".join(missing))
    pyinstaller.run([
        "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(SPEC),
    ])


def self_test(dist: Path) -> int:
    exe = console_executable(dist)
    env = dict(os.environ)
    # The bundle must not find the developer's checkout or virtual environment by accident.
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    result = subprocess.run([str(exe), "--self-test"], env=env, cwd=dist, check=False)
    return result.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建单文件夹安装包（dist/xxgk-report），并运行它的自检。")
    parser.add_argument("--no-self-test", action="store_true", help="构建后不运行自检")
    parser.add_argument("--dist", default=str(DIST), help="输出文件夹（默认 dist/）")
    args = parser.parse_args(argv)
    dist = Path(args.dist).resolve()

    version = cfg.project_version()
    print(f"构建 {cfg.APP_NAME} {version}（{sys.platform}，Python {sys.version.split()[0]}）……", flush=True)
    started = time.perf_counter()
    if bundle_dir(dist).exists():
        shutil.rmtree(bundle_dir(dist))
    run_pyinstaller(dist, WORK)
    launcher = write_portable_launcher(bundle_dir(dist))
    elapsed = time.perf_counter() - started
    size = folder_size(bundle_dir(dist))
    print(f"已生成 {bundle_dir(dist)}：{size / 1024 / 1024:.1f} MB，用时 {elapsed:.0f} 秒；"
          f"便携模式启动脚本 {launcher.name}", flush=True)
    if WINDOWS:
        print(f"安装程序（可选，需 Inno Setup 6）：ISCC.exe /DAppVersion={version} packaging\\windows\\xxgk-report.iss")
    elif shutil.which("dpkg-deb"):
        print("UOS/麒麟的 .deb 安装包（可选）：python packaging/linux/build_deb.py")
    if args.no_self_test:
        return 0
    print(f"运行安装包自检：{console_executable(dist)} --self-test", flush=True)
    code = self_test(dist)
    if code != 0:
        print(f"安装包自检未通过（退出码 {code}）", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
