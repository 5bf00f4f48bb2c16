"""The glibc floor of the Linux bundles: the checker, the symbol pinning, what compat builds leave out.

Small ELF files are compiled here with gcc: one linked like any program on this machine (glibc
2.36 gives ``__libc_start_main@GLIBC_2.34``), one shared library that needs nothing newer than
the oldest x86_64 glibc, and ``exp`` linked with and without the pin that build_compat.py
force-includes when it compiles Python for a 2.28 target.
"""

from __future__ import annotations

import importlib.util
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(rel: str) -> ModuleType:
    path = ROOT / "packaging" / rel
    spec = importlib.util.spec_from_file_location("xxgk_pkg_" + path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(ROOT / "packaging"))
sys.path.insert(0, str(ROOT / "packaging" / "linux"))
check = _load("linux/check_glibc.py")
compat = _load("linux/build_compat.py")
cfg = _load("bundle_config.py")

needs_gcc = pytest.mark.skipif(shutil.which("gcc") is None or platform.machine() != "x86_64"
                               or not sys.platform.startswith("linux"),
                               reason="compiles x86_64 ELF files with gcc against this machine's glibc")


def _glibc_here() -> tuple[int, ...]:
    return tuple(int(p) for p in platform.libc_ver()[1].split("."))


def _cc(tmp: Path, name: str, source: str, *flags: str, compiler: str = "gcc") -> Path:
    src = tmp / f"{name}.{'cc' if compiler == 'g++' else 'c'}"
    src.write_text(source)
    out = tmp / name
    subprocess.run([compiler, "-O1", "-o", str(out), str(src), *flags], check=True)
    return out


@pytest.fixture(scope="module")
def elves(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if shutil.which("gcc") is None or platform.machine() != "x86_64":
        pytest.skip("needs gcc on x86_64")
    tmp = tmp_path_factory.mktemp("elves")
    header = tmp / "glibc_compat.h"
    header.write_text(compat.GLIBC_COMPAT_HEADER)
    math = "#include <math.h>\ndouble f(double x) { return exp(x) + log(x) + pow(x, 1.5); }\n"
    made = {
        "program": _cc(tmp, "program", "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n"),
        "old.so": _cc(tmp, "old.so", "#include <stdio.h>\nvoid hello(void) { puts(\"hi\"); }\n", "-shared", "-fPIC"),
        "math.so": _cc(tmp, "math.so", math, "-shared", "-fPIC", "-lm"),
        "math-pinned.so": _cc(tmp, "math-pinned.so", math, "-shared", "-fPIC", "-lm", "-include", str(header)),
    }
    if shutil.which("g++"):
        made["cxx.so"] = _cc(tmp, "cxx.so", "#include <string>\nstd::string s(const char* c) { return c; }\n",
                             "-shared", "-fPIC", compiler="g++")
    return made


@needs_gcc
def test_a_program_built_on_a_current_glibc_needs_2_34_and_is_refused(elves: dict[str, Path],
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    if _glibc_here() < (2, 34):
        pytest.skip("this machine's glibc is older than 2.34")
    versions = check.read_versions(elves["program"])
    assert versions.newest("GLIBC") >= (2, 34)
    assert check.main(["--symbols", str(elves["program"])]) == 1
    out = capsys.readouterr().out
    assert "✘" in out and "program" in out and "__libc_start_main@GLIBC_2.34" in out
    assert "1 个文件超出" in out


@needs_gcc
def test_a_library_using_only_old_functions_passes_the_2_28_floor(elves: dict[str, Path],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    versions = check.read_versions(elves["old.so"])
    assert versions.newest("GLIBC") == (2, 2, 5)
    assert check.main([str(elves["old.so"])]) == 0
    assert "全部符合" in capsys.readouterr().out


@needs_gcc
def test_the_pinning_header_links_exp_log_pow_to_their_pre_2_29_versions(elves: dict[str, Path]) -> None:
    if _glibc_here() < (2, 29):
        pytest.skip("glibc before 2.29 has only the old versions")
    plain = check.read_versions(elves["math.so"], floor=(2, 28))
    pinned = check.read_versions(elves["math-pinned.so"], floor=(2, 28))
    assert plain.newest("GLIBC") == (2, 29)
    assert {"exp", "log", "pow"} <= set(plain.symbols)
    assert pinned.newest("GLIBC") <= (2, 28)
    assert pinned.symbols == {}


@needs_gcc
def test_a_folder_is_scanned_recursively_and_the_worst_file_decides(elves: dict[str, Path], tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "bundle"
    (bundle / "_internal" / "lib").mkdir(parents=True)
    shutil.copy2(elves["old.so"], bundle / "_internal" / "lib" / "libold.so")
    shutil.copy2(elves["math.so"], bundle / "_internal" / "libmath.so")
    (bundle / "_internal" / "notes.txt").write_text("not an ELF file")
    (bundle / "_internal" / "lib" / "link.so").symlink_to("libold.so")
    assert sorted(r.path.name for r in check.scan(bundle)) == ["libmath.so", "libold.so"]
    assert check.main([str(bundle)]) == 1
    out = capsys.readouterr().out
    assert "✘ GLIBC   2.29" in out and "_internal/libmath.so" in out
    assert check.main(["--max", "2.29", str(bundle)]) == 0


@needs_gcc
def test_glibcxx_versions_are_listed(elves: dict[str, Path]) -> None:
    if "cxx.so" not in elves:
        pytest.skip("no g++")
    assert check.read_versions(elves["cxx.so"]).newest("GLIBCXX") >= (3, 4)


def test_a_folder_without_elf_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    assert check.main([str(tmp_path)]) == 2


def test_a_truncated_elf_file_is_skipped_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "broken.so").write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 20)
    assert check.read_versions(tmp_path / "broken.so") is None


# -- what a compat build leaves to the desktop ---------------------------------------------------


def _entry(dest: str) -> tuple[str, str, str]:
    return (dest, "/src/" + dest, "BINARY")


def test_compat_builds_leave_the_desktops_own_libraries_out_but_keep_pillows_private_copies() -> None:
    binaries = [_entry(d) for d in (
        "libsystemd.so.0", "libdbus-1.so.3", "libglib-2.0.so.0", "libpng16.so.16", "libfreetype.so.6",
        "libxcb-icccm.so.4", "libxcb.so.1", "libxcb-util.so.1", "libpython3.11.so.1.0", "libzstd.so.1",
        "pillow.libs/libxcb-64009ff3.so.1.1.0", "pillow.libs/libpng16-d5cb9ba5.so.16.43.0",
        "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libicudata.so.73", "PySide6/QtCore.abi3.so",
    )]
    desktop = ["libsystemd.so.0", "libdbus-1.so.3", "libglib-2.0.so.0", "libpng16.so.16", "libfreetype.so.6",
               "libxcb-icccm.so.4", "libxcb.so.1", "libxcb-util.so.1"]
    needs = {"/src/PySide6/QtCore.abi3.so": ["libQt6Core.so.6"],
             "/src/PySide6/Qt/lib/libQt6Core.so.6": ["libzstd.so.1", "libicudata.so.73", *desktop]}

    def imports_of(path: str) -> list[str]:
        return needs.get(path, [])

    compat_system = cfg.system_libraries({"XXGK_BUNDLE_TARGET": "compat"})
    kept = {e[0] for e in cfg.prune_binaries(binaries, imports_of, system=compat_system)}
    assert kept == {"libpython3.11.so.1.0", "pillow.libs/libxcb-64009ff3.so.1.1.0",
                    "pillow.libs/libpng16-d5cb9ba5.so.16.43.0", "PySide6/Qt/lib/libQt6Core.so.6",
                    "libzstd.so.1", "PySide6/Qt/lib/libicudata.so.73", "PySide6/QtCore.abi3.so",
                    "libxcb-util.so.1"}  # Debian 10 (UOS 20's base) has only libxcb-util.so.0
    # The ordinary build for this machine keeps carrying them (only CUPS comes from the system).
    ordinary = {e[0] for e in cfg.prune_binaries(binaries, imports_of, system=cfg.system_libraries({}))}
    assert {"libsystemd.so.0", "libdbus-1.so.3", "libxcb-icccm.so.4"} <= ordinary


def test_the_spec_passes_the_compat_choice_to_the_pruning() -> None:
    assert "cfg.system_libraries()" in (ROOT / "packaging" / "xxgk-report.spec").read_text("utf-8")


def test_compat_build_defaults_the_cache_outside_the_repository(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.delenv("XXGK_BUILD_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert compat.default_cache() == tmp_path / "cache" / "xxgk-build"
    monkeypatch.setenv("XXGK_BUILD_CACHE", str(tmp_path / "elsewhere"))
    assert compat.default_cache() == tmp_path / "elsewhere"
