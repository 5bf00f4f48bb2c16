"""Build the Linux bundle for old glibc (UOS 20, Kylin V10) inside a Debian 11 (bullseye) chroot.

    sudo python3 packaging/linux/build_compat.py --arch x86_64    # → dist/compat-x86_64/ (glibc ≥ 2.28)
    sudo python3 packaging/linux/build_compat.py --arch arm64     # → dist/compat-arm64/  (glibc ≥ 2.31, qemu)

A bundle runs on the glibc it was built against or newer, so it is built on an old system: a
``debootstrap``-ed bullseye (glibc 2.31), with a Python 3.11 compiled there from Debian's own
``python3.11`` source package (bullseye ships 3.9 only; for arm64 cross-compiled in the x86_64
chroot, since compiling under qemu takes over an hour), PySide6-Essentials wheels that are
``manylinux_2_28`` (x86_64: 6.9.x) or ``manylinux_2_31`` (aarch64: 6.7.3), and this project's
``packaging/build.py``. For x86_64 the few glibc 2.29–2.31 symbols that would remain are pinned
to older versions while Python is compiled (``glibc_compat.h``, ``.symver``) or left to the target
system (``XXGK_BUNDLE_TARGET=compat``: libsystemd and friends are not bundled), and
``check_glibc.py`` refuses the bundle if anything above GLIBC_2.28 is left.

Then the ``.deb`` is made (``build_deb.py``) and installed into a fresh bullseye chroot with
``dpkg -i`` + ``apt-get -f install``, where the installed program runs ``--self-test`` (offscreen).

Everything slow is cached and reused (default ``~/.cache/xxgk-build``, or ``--cache-dir`` /
``XXGK_BUILD_CACHE``): the pristine chroot, the build chroot with its compiled Python and pip's
downloads. Needs root (chroot, mount), ``debootstrap`` and, for arm64 on an x86_64 host,
``qemu-user-static`` (binfmt_misc is mounted and ``qemu-aarch64`` registered here if missing).
Measured times are in docs/packaging.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SUITE = "bullseye"
MIRROR = "http://deb.debian.org/debian"
# Debian's python3.11 source package (bookworm); bullseye itself has Python 3.9 only.
PYTHON_SOURCE_SUITE = "bookworm"
PYTHON_PREFIX = "/opt/python3.11"
VENV = "/opt/xxgk-venv"
SRC = "/src"
READY = ".xxgk-ready"
HOST_CA = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
CHROOT_CA = "/etc/ssl/certs/xxgk-host-ca.crt"

ARCHES = {
    # --arch: (Debian architecture, ELF machine as uname says it, glibc floor the bundle promises, PySide6)
    "x86_64": ("amd64", "x86_64", "2.28", "PySide6-Essentials>=6.9,<6.10"),
    "arm64": ("arm64", "aarch64", "2.31", "PySide6-Essentials==6.7.3"),
}

BUILD_PACKAGES = (
    # compiling Python (what Debian's own build needs for the modules the program uses)
    "build-essential", "pkg-config", "xz-utils", "ca-certificates", "dpkg-dev", "zlib1g-dev", "libffi-dev",
    "libssl-dev", "libbz2-dev", "liblzma-dev", "libsqlite3-dev", "uuid-dev", "libexpat1-dev",
    # PyInstaller (objdump, strip) and the self-test of the bundle right after it is built
    "binutils", "file", "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1",
    "libdbus-1-3", "libglib2.0-0", "fonts-dejavu-core",
    "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0", "libxcb-xkb1",
    "libxcb-randr0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xfixes0", "libxcb-sync1", "libxcb-shm0",
    "libxcb-cursor0", "libxcb-util1", "libx11-xcb1", "libxrender1", "libxi6", "libsm6", "libice6",
)

# Symbols glibc 2.29–2.31 gave a new version; the Python compiled for an x86_64 2.28 target
# links the old one instead (same behaviour: the new versions only fixed error-path details).
GLIBC_COMPAT_HEADER = """\
/* Force-included while compiling Python for a glibc 2.28 target (packaging/linux/build_compat.py). */
#if defined(__x86_64__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
#endif
"""
# Functions bullseye has but glibc 2.28 lacks: configure is told they are absent, so Python
# falls back on what it does on older systems (e.g. sem_timedwait instead of sem_clockwait).
CONFIGURE_ABSENT = ("sem_clockwait", "pthread_cond_clockwait", "gettid", "twalk_r",
                    "posix_spawn_file_actions_addchdir_np")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def default_cache() -> Path:
    env = os.environ.get("XXGK_BUILD_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "xxgk-build"


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, **kwargs)  # type: ignore[call-overload]


# -- qemu for arm64 ---------------------------------------------------------------------------

BINFMT = Path("/proc/sys/fs/binfmt_misc")
QEMU_AARCH64 = (":qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
                "\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff"
                "\\xff\\xff\\xfe\\xff\\xff\\xff:{interpreter}:F")


def ensure_qemu(machine: str) -> None:
    """Foreign binaries run through qemu-user-static; ``F`` keeps the interpreter usable in a chroot."""
    if platform.machine() == machine:
        return
    if machine != "aarch64":
        raise SystemExit(f"不支持在 {platform.machine()} 上构建 {machine}")
    interpreter = shutil.which("qemu-aarch64-static")
    if interpreter is None:
        raise SystemExit("需要 qemu-user-static：apt-get install qemu-user-static")
    if not (BINFMT / "register").exists():
        run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(BINFMT)])
    if not (BINFMT / "qemu-aarch64").exists():
        (BINFMT / "register").write_text(QEMU_AARCH64.format(interpreter=interpreter))
        log(f"binfmt_misc：已登记 qemu-aarch64（{interpreter}）")


# -- chroots ----------------------------------------------------------------------------------


def debootstrap(target: Path, deb_arch: str) -> None:
    """A pristine minimal bullseye, made once and then only copied."""
    if (target / READY).exists():
        return
    if target.exists():
        shutil.rmtree(target)
    log(f"debootstrap {SUITE} {deb_arch} → {target}")
    run(["debootstrap", f"--arch={deb_arch}", "--variant=minbase", SUITE, str(target), MIRROR])
    (target / READY).write_text("debootstrap done\n")


def copy_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    run(["cp", "-a", str(source), str(target)])
    (target / READY).unlink(missing_ok=True)


@contextlib.contextmanager
def mounted(root: Path, pip_cache: Path | None = None) -> Iterator[None]:
    """/proc, /dev and pip's download cache inside the chroot for as long as it is used."""
    points: list[Path] = []
    try:
        for fs, args in (("proc", ["-t", "proc", "proc"]), ("dev", ["--bind", "/dev"]),
                         ("dev/pts", ["--bind", "/dev/pts"])):
            point = root / fs
            point.mkdir(parents=True, exist_ok=True)
            run(["mount", *args, str(point)])
            points.append(point)
        if pip_cache is not None:
            pip_cache.mkdir(parents=True, exist_ok=True)
            point = root / "root/.cache/pip"
            point.mkdir(parents=True, exist_ok=True)
            run(["mount", "--bind", str(pip_cache), str(point)])
            points.append(point)
        shutil.copy2("/etc/resolv.conf", root / "etc/resolv.conf")
        yield
    finally:
        for point in reversed(points):
            if subprocess.run(["umount", str(point)], check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(point)], check=False)


def in_chroot(root: Path, script: str, env: dict[str, str] | None = None) -> None:
    base = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
    base.update(env or {})
    run(["chroot", str(root), "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in base.items()),
         "/bin/bash", "-euo", "pipefail", "-c", script])


def prepare_build_chroot(cache: Path, arch: str) -> Path:
    deb_arch = ARCHES[arch][0]
    base = cache / f"base-{SUITE}-{deb_arch}"
    debootstrap(base, deb_arch)
    root = cache / f"build-{SUITE}-{deb_arch}"
    wanted = " ".join(BUILD_PACKAGES)
    # The marker holds the package list: a list grown since (a library the self-test now checks)
    # is installed into the cached chroot instead of silently missing there.
    if (root / READY).exists() and (root / READY).read_text().strip() == wanted:
        return root
    if not (root / READY).exists():
        copy_tree(base, root)
    with mounted(root):
        log(f"构建环境：安装编译工具和 Qt 运行库（{len(BUILD_PACKAGES)} 个软件包）")
        (root / f"etc/apt/sources.list.d/{PYTHON_SOURCE_SUITE}-src.list").write_text(
            f"deb-src {MIRROR} {PYTHON_SOURCE_SUITE} main\n")
        in_chroot(root, f"apt-get update -qq && apt-get install -y -qq --no-install-recommends {wanted} >/dev/null")
    (root / READY).write_text(wanted + "\n")
    return root


def build_python(root: Path, arch: str) -> None:
    """Python 3.11 from Debian's python3.11 source package, compiled in the chroot (cached)."""
    if (root / PYTHON_PREFIX.lstrip("/") / READY).exists():
        return
    compat = ARCHES[arch][2] == "2.28"
    header = root / "opt/glibc-compat/glibc_compat.h"
    header.parent.mkdir(parents=True, exist_ok=True)
    header.write_text(GLIBC_COMPAT_HEADER)
    cflags = "-O2 -include /opt/glibc-compat/glibc_compat.h" if compat else "-O2"
    absent = " ".join(f"ac_cv_func_{name}=no" for name in CONFIGURE_ABSENT) if compat else ""
    log(f"编译 Python 3.11（Debian {PYTHON_SOURCE_SUITE} 的 python3.11 源码包）")
    started = time.perf_counter()
    with mounted(root):
        in_chroot(root, f"""
            rm -rf /build/python && mkdir -p /build/python && cd /build/python
            apt-get update -qq
            apt-get source --download-only -qq python3.11 >/dev/null
            tar xf python3.11_*.orig.tar.*
            cd Python-3.11.*/
            ./configure -q --prefix={PYTHON_PREFIX} --enable-shared --with-ensurepip=install \
                --without-doc-strings CFLAGS="{cflags}" LDFLAGS="-Wl,-rpath,{PYTHON_PREFIX}/lib" {absent}
            make -s -j"$(nproc)" >/dev/null 2>make.err || (tail -40 make.err; exit 1)
            make -s install >/dev/null 2>&1
            {PYTHON_PREFIX}/bin/python3.11 -c "import ssl, ctypes, lzma, bz2, zlib, sqlite3, uuid; print('python ok')"
            rm -rf /build/python
        """)
    (root / PYTHON_PREFIX.lstrip("/") / READY).write_text(f"built in {time.perf_counter() - started:.0f} s\n")
    log(f"Python 编译完成（{time.perf_counter() - started:.0f} 秒）")


# Target libraries the arm64 Python links, installed as :arm64 next to the x86_64 ones (multiarch).
CROSS_PACKAGES = ("crossbuild-essential-arm64", *(f"{p}:arm64" for p in (
    "zlib1g-dev", "libffi-dev", "libssl-dev", "libbz2-dev", "liblzma-dev", "libsqlite3-dev", "uuid-dev",
    "libexpat1-dev")))


def _cross_compile(cache: Path, target: Path) -> None:
    host = prepare_build_chroot(cache, "x86_64")
    build_python(host, "x86_64")
    log("交叉编译 arm64 的 Python 3.11（在 x86_64 的构建环境中）")
    stage = "/build/arm64-python"
    with mounted(host):
        in_chroot(host, f"""
            dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends {" ".join(CROSS_PACKAGES)} >/dev/null
            rm -rf /build/python-cross {stage} && mkdir -p /build/python-cross && cd /build/python-cross
            apt-get source --download-only -qq python3.11 >/dev/null
            tar xf python3.11_*.orig.tar.*
            cd Python-3.11.*/
            printf 'ac_cv_file__dev_ptmx=yes\nac_cv_file__dev_ptc=no\nac_cv_buggy_getaddrinfo=no\n' > config.site
            CONFIG_SITE=$PWD/config.site ./configure -q --host=aarch64-linux-gnu --build=x86_64-linux-gnu \
                --with-build-python={PYTHON_PREFIX}/bin/python3.11 --prefix={PYTHON_PREFIX} --enable-shared \
                --with-ensurepip=no --without-doc-strings OPT="-DNDEBUG -fwrapv -O2 -Wall" \
                LDFLAGS="-Wl,-rpath,{PYTHON_PREFIX}/lib" PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig
            make -s -j"$(nproc)" >/dev/null 2>make.err || (tail -40 make.err; exit 1)
            make -s install DESTDIR={stage} >/dev/null 2>&1
            rm -rf /build/python-cross
        """)
    if target.exists():
        shutil.rmtree(target)
    run(["cp", "-a", str(host / stage.lstrip("/") / PYTHON_PREFIX.lstrip("/")), str(target)])
    shutil.rmtree(host / stage.lstrip("/"))


def cross_build_python(cache: Path, root: Path) -> None:
    """arm64: Python compiled by bullseye's aarch64 cross compiler in the x86_64 build chroot.

    Compiling it under qemu took ~10 s per object file here (≈75 min); cross-compiled it is as quick
    as the x86_64 one. The x86_64 chroot's own Python 3.11 is the build Python that 3.11's
    cross build requires; pip is then installed by running the new Python under qemu.
    """
    if (root / PYTHON_PREFIX.lstrip("/") / READY).exists():
        return
    started = time.perf_counter()
    target = root / PYTHON_PREFIX.lstrip("/")
    if not (target / "bin" / "python3.11").exists():
        _cross_compile(cache, target)
    with mounted(root):
        in_chroot(root, f"""
            {PYTHON_PREFIX}/bin/python3.11 -m ensurepip >/dev/null
            {PYTHON_PREFIX}/bin/python3.11 -c "import ssl, ctypes, lzma, bz2, zlib, sqlite3, uuid, platform; \
print('python ok', platform.machine())"
        """)
    (target / READY).write_text(f"cross-built in {time.perf_counter() - started:.0f} s\n")
    log(f"Python 编译完成（{time.perf_counter() - started:.0f} 秒）")


def copy_project(root: Path) -> None:
    """The checkout's files (tracked and new, not ignored) into /src of the chroot."""
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                           check=True, capture_output=True).stdout.decode().split("\0")
    target = root / SRC.lstrip("/")
    if target.exists():
        shutil.rmtree(target)
    for rel in filter(None, files):
        source = ROOT / rel
        if source.is_file():
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest)


def build_bundle(root: Path, arch: str) -> None:
    pyside = ARCHES[arch][3]
    # pip inside the chroot trusts what the host trusts (a site's TLS-inspecting proxy has its own CA).
    shutil.copy2(HOST_CA, root / CHROOT_CA.lstrip("/"))
    with mounted(root, pip_cache=root.parent / "pip-cache"):
        in_chroot(root, f"""
            [ -x {VENV}/bin/python ] || {PYTHON_PREFIX}/bin/python3.11 -m venv {VENV}
            cd {SRC}
            {VENV}/bin/pip install -q --upgrade pip
            {VENV}/bin/pip install -q "{pyside}" -e ".[packaging]"
            {VENV}/bin/python -c "import PySide6; print('PySide6', PySide6.__version__)"
            {VENV}/bin/python packaging/build.py --dist {SRC}/dist
        """, env={"XXGK_BUNDLE_TARGET": "compat", "PIP_CERT": CHROOT_CA, "SSL_CERT_FILE": CHROOT_CA})


def check_bundle(bundle: Path, floor: str) -> int:
    return subprocess.run([sys.executable, str(HERE / "check_glibc.py"), "--max", floor, "--quiet", str(bundle)],
                          check=False).returncode


def test_deb(cache: Path, arch: str, deb: Path) -> int:
    """Install the .deb into a fresh bullseye the way an IT person would, then self-test it."""
    deb_arch = ARCHES[arch][0]
    base = cache / f"base-{SUITE}-{deb_arch}"
    root = cache / f"test-{SUITE}-{deb_arch}"
    copy_tree(base, root)
    shutil.copy2(deb, root / "tmp" / deb.name)
    with mounted(root):
        in_chroot(root, f"""
            apt-get update -qq
            dpkg -i /tmp/{deb.name} >/dev/null 2>&1 || echo "dpkg -i：缺少依赖（预期），由 apt-get -f install 补齐"
            apt-get -f install -y -qq --no-install-recommends >/dev/null
            dpkg -s xxgk-report | grep -E '^(Status|Version|Depends):'
            qt=/opt/xxgk-report/_internal/PySide6/Qt
            # As the bundle's launcher does: its own folder first (it carries libxcb-util.so.1).
            missing=$(LD_LIBRARY_PATH=/opt/xxgk-report/_internal \
                ldd $qt/plugins/platforms/libqxcb.so $qt/lib/libQt6XcbQpa.so.6 | grep 'not found' | sort -u || true)
            echo "libqxcb.so 的依赖中找不到的：$(printf '%s' "$missing" | grep -c . || true) 个 $missing"
            [ -z "$missing" ]
        """)
        try:
            in_chroot(root, "cd /tmp && xxgk-report --self-test", env={"QT_QPA_PLATFORM": "offscreen"})
        except subprocess.CalledProcessError as err:
            return err.returncode or 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="在 Debian 11 chroot 中构建兼容旧 glibc 的安装包（UOS 20、麒麟 V10）")
    parser.add_argument("--arch", choices=sorted(ARCHES), required=True)
    parser.add_argument("--cache-dir", default=str(default_cache()),
                        help="chroot、编译好的 Python 和下载缓存所在的文件夹（默认 ~/.cache/xxgk-build，"
                             "也可用环境变量 XXGK_BUILD_CACHE）")
    parser.add_argument("--no-deb", action="store_true", help="只构建程序文件夹，不打 .deb")
    parser.add_argument("--no-deb-test", action="store_true", help="不在全新的 chroot 中安装并自检 .deb")
    parser.add_argument("--fresh", action="store_true", help="丢弃缓存的构建环境（含编译好的 Python）后重来")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("需要 root 权限（debootstrap、chroot、mount）", file=sys.stderr)
        return 2
    if shutil.which("debootstrap") is None:
        print("需要 debootstrap：apt-get install debootstrap", file=sys.stderr)
        return 2
    deb_arch, machine, floor, _ = ARCHES[args.arch]
    cache = Path(args.cache_dir).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}
    started = time.perf_counter()

    ensure_qemu(machine)
    if args.fresh:
        shutil.rmtree(cache / f"build-{SUITE}-{deb_arch}", ignore_errors=True)
    step = time.perf_counter()
    root = prepare_build_chroot(cache, args.arch)
    times["chroot"] = time.perf_counter() - step
    step = time.perf_counter()
    if platform.machine() == machine:
        build_python(root, args.arch)
    else:
        cross_build_python(cache, root)
    times["python"] = time.perf_counter() - step
    step = time.perf_counter()
    copy_project(root)
    build_bundle(root, args.arch)
    times["bundle"] = time.perf_counter() - step

    out = ROOT / "dist" / f"compat-{args.arch}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    bundle = out / "xxgk-report"
    run(["cp", "-a", str(root / SRC.lstrip("/") / "dist" / "xxgk-report"), str(bundle)])
    log(f"程序文件夹：{bundle}")
    code = check_bundle(bundle, floor)
    if code != 0:
        log(f"glibc 检查未通过：有文件需要高于 GLIBC_{floor} 的版本")
        return code
    if not args.no_deb:
        step = time.perf_counter()
        run([sys.executable, str(HERE / "build_deb.py"), "--dist", str(out), "--arch", deb_arch])
        times["deb"] = time.perf_counter() - step
        if not args.no_deb_test:
            step = time.perf_counter()
            (deb,) = out.glob("*.deb")
            code = test_deb(cache, args.arch, deb)
            times["deb-test"] = time.perf_counter() - step
            if code != 0:
                log("在全新的 bullseye 中安装后自检未通过")
                return code
    total = time.perf_counter() - started
    log("用时：" + "，".join(f"{k} {v:.0f} 秒" for k, v in times.items()) + f"；合计 {total:.0f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
