"""Wrap the Linux bundle in a .deb for UOS, Kylin and Debian-family desktops.

    python packaging/build.py                  # first: dist/xxgk-report/
    python packaging/linux/build_deb.py        # → dist/xxgk-report_<version>_<arch>.deb

The package installs the one-folder app under /opt/xxgk-report, a launcher /usr/bin/xxgk-report, a
menu entry and the icon. It declares no file type: JSON files keep their own program, and the
clerk picks this one through 打开方式 (the menu entry accepts a file). Needs ``dpkg-deb`` and
``objdump`` (binutils), both standard on Debian-family systems.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
import check_glibc

import bundle_config as cfg
from core import syslibs

DIST = cfg.ROOT / "dist"
STAGE = cfg.ROOT / "build" / "deb"
INSTALL_DIR = f"/opt/{cfg.APP_NAME}"

DESKTOP = f"""[Desktop Entry]
Type=Application
Version=1.0
Name=政府信息公开年报填报助手
Name[zh_CN]=政府信息公开年报填报助手
GenericName=政府信息公开工作年度报告
Comment=填写、校验并打印政府信息公开工作年度报告
Exec={cfg.APP_NAME} %f
Icon={cfg.APP_NAME}
Terminal=false
Categories=Office;
Keywords=政府信息公开;年报;年度报告;xxgk;
StartupWMClass={cfg.APP_NAME}
"""

LAUNCHER = f"""#!/bin/sh
# {cfg.APP_NAME}: the program lives in {INSTALL_DIR}; the drafts in the user's own data folder
# (or in XXGK_REPORT_HOME / --data-dir when given).
exec {INSTALL_DIR}/{cfg.APP_NAME} "$@"
"""

COPYRIGHT = f"""Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: {cfg.APP_NAME}

Files: *
Copyright: 2026 the {cfg.APP_NAME} authors
License: MIT

Files: opt/{cfg.APP_NAME}/_internal/resources/fonts/*
License: see the licence files beside the fonts in {INSTALL_DIR}/_internal/resources/fonts/
"""


def glibc_needed(folder: Path) -> str:
    """The newest glibc symbol version any file of the bundle needs: the bundle's real floor.

    Read from the ELF files themselves (check_glibc.py), so an arm64 bundle is measured right on
    an x86_64 build machine, where objdump does not know aarch64.
    """
    newest = max((v.newest("GLIBC") or (2, 0) for v in check_glibc.scan(folder)), default=(2, 0))
    return ".".join(map(str, newest))


def depends(glibc: str, carried: frozenset[str] = frozenset()) -> str:
    """libc, then every system library the Qt xcb platform loads (core/syslibs.py has the list)
    that the bundle does not carry itself (a compat bundle carries libxcb-util.so.1)."""
    packages = [f"libc6 (>= {glibc})"]
    packages += [package for soname, package in syslibs.XCB_LIBRARIES
                 if package not in packages and soname not in carried]
    return ", ".join(packages)


def carried_libraries(app: Path) -> frozenset[str]:
    """Shared libraries in the bundle where Qt finds them first (the top folder and Qt's lib folder)."""
    internal = app / "_internal"
    return frozenset(p.name for folder in (internal, internal / "PySide6" / "Qt" / "lib") if folder.is_dir()
                     for p in folder.glob("lib*.so*"))


def _changelog_date() -> str:
    from email.utils import formatdate

    return formatdate(localtime=False, usegmt=False)


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def control(version: str, arch: str, size_kb: int, glibc: str, carried: frozenset[str] = frozenset()) -> str:
    return f"""Package: {cfg.APP_NAME}
Version: {version}
Architecture: {arch}
Maintainer: xxgk-report <dev@xxgk-report.local>
Installed-Size: {size_kb}
Depends: {depends(glibc, carried)}
Recommends: libcups2, libxcb-glx0, libwayland-client0, libwayland-cursor0
Section: misc
Priority: optional
Homepage: https://github.com/xxgk-report/xxgk-report
Description: 政府信息公开年报填报助手 - fill in, check and print the annual report
 帮助行政机关的信息公开工作人员填写、校验并打印《政府信息公开工作年度报告》
 （国办公开办函〔2021〕30号格式）。完全离线运行，不连接任何网络。
 .
 Fill in, check and print the annual report on open government information
 (2021 format). Works offline; makes no network connection.
"""


def stage(bundle: Path, version: str, arch: str) -> Path:
    root = STAGE / f"{cfg.APP_NAME}_{version}_{arch}"
    if root.exists():
        shutil.rmtree(root)
    app = root / INSTALL_DIR.lstrip("/")
    # The portable launcher would write drafts into /opt, which the clerk cannot write to.
    shutil.copytree(bundle, app, symlinks=True, ignore=shutil.ignore_patterns("便携模式启动.*"))
    files = {
        "usr/bin/" + cfg.APP_NAME: (LAUNCHER, 0o755),
        f"usr/share/applications/{cfg.APP_NAME}.desktop": (DESKTOP, 0o644),
        f"usr/share/doc/{cfg.APP_NAME}/copyright": (COPYRIGHT, 0o644),
    }
    for rel, (text, mode) in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        path.chmod(mode)
    icons = root / "usr/share/icons/hicolor"
    svg = cfg.icon_file(".svg")
    if svg:
        (icons / "scalable/apps").mkdir(parents=True)
        shutil.copy2(svg, icons / "scalable/apps" / f"{cfg.APP_NAME}.svg")
    for png in sorted((cfg.ROOT / "resources" / "icons").glob("*.png")):
        size = re.search(r"(\d+)", png.stem)
        if size:
            folder = icons / f"{size.group(1)}x{size.group(1)}" / "apps"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(png, folder / f"{cfg.APP_NAME}.png")
    # Debian changelog, gzipped reproducibly (no name or time in the gzip header).
    changelog = f"{cfg.APP_NAME} ({version}) unstable; urgency=low\n\n  * Release {version}.\n\n" \
                f" -- xxgk-report <dev@xxgk-report.local>  {_changelog_date()}\n"
    (root / f"usr/share/doc/{cfg.APP_NAME}/changelog.gz").write_bytes(gzip.compress(changelog.encode(), mtime=0))
    for path in app.rglob("*.so*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(0o644)  # libraries are loaded, not run
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    debian = root / "DEBIAN"
    debian.mkdir()
    text = control(version, arch, size_kb, glibc_needed(app), carried_libraries(app))
    (debian / "control").write_text(text, encoding="utf-8")
    for path in root.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把 dist/xxgk-report 打包为 .deb（UOS、麒麟等）")
    parser.add_argument("--dist", default=str(DIST), help="python packaging/build.py 的输出文件夹（默认 dist/）")
    parser.add_argument("--arch", help="Debian 架构名（amd64、arm64；默认为本机的），用于在 x86_64 上打 arm64 包")
    args = parser.parse_args(argv)
    dist = Path(args.dist).resolve()
    bundle = dist / cfg.APP_NAME
    if not (bundle / cfg.APP_NAME).is_file():
        print(f"找不到 {bundle / cfg.APP_NAME}：请先运行 python packaging/build.py", file=sys.stderr)
        return 2
    if shutil.which("dpkg-deb") is None:
        print("没有 dpkg-deb：只能在 Debian、UOS、麒麟等系统上打 .deb 包", file=sys.stderr)
        return 2
    version, arch = cfg.project_version(), args.arch or architecture()
    root = stage(bundle, version, arch)
    out = dist / f"{cfg.APP_NAME}_{version}_{arch}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"已生成 {out}（{out.stat().st_size / 1024 / 1024:.1f} MB）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
