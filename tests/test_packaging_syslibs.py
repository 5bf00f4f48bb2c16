"""Issue 10 item 7: every library the Qt xcb platform needs is named — in README, docs/install.md,
the .deb's Depends — and the self-test names a missing one in Chinese."""

from __future__ import annotations

import ctypes
import importlib.util
import io
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from core import selftest, syslibs

ROOT = Path(__file__).resolve().parent.parent


def _fake_missing(monkeypatch: pytest.MonkeyPatch, *missing: str) -> None:
    real = ctypes.CDLL

    def cdll(name: str, *args: object, **kwargs: object) -> object:
        if name in missing:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(ctypes, "CDLL", cdll)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_a_missing_xcb_library_is_named_with_its_package_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_missing(monkeypatch, "libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    with pytest.raises(syslibs.MissingSystemLibraries) as err:
        syslibs.self_test_step()
    message = err.value.message
    assert "缺少图形界面所需的系统库" in message
    assert "libxcb-icccm.so.4（软件包 libxcb-icccm4）" in message
    assert "libxcb-keysyms.so.1（软件包 libxcb-keysyms1）" in message
    assert message.endswith("sudo apt-get install libxcb-icccm4 libxcb-keysyms1")
    assert "libxcb-cursor" not in message  # Qt's own message blames it whatever is missing


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_the_self_test_fails_and_names_the_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_missing(monkeypatch, "libxcb-icccm.so.4")
    # Only this step: the others (PDF, window) are covered by tests/test_selftest.py.
    step = dict(selftest.STEPS)["系统图形库"]
    monkeypatch.setattr(selftest, "STEPS", (("系统图形库", step),))
    out = io.StringIO()
    assert selftest.run(out) == 1
    text = out.getvalue()
    assert "✘ 系统图形库：未通过（缺少图形界面所需的系统库 libxcb-icccm.so.4（软件包 libxcb-icccm4）" in text
    assert "自检未通过" in text


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb platform is Linux's")
def test_with_every_library_present_the_step_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syslibs, "loadable", lambda soname: True)
    assert "个系统库齐全" in syslibs.self_test_step()


def test_a_library_the_bundle_carries_counts_as_present(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (tmp_path / "PySide6" / "Qt" / "lib" / "libxcb-cursor.so.0").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    _fake_missing(monkeypatch, "libxcb-cursor.so.0", "libxcb-icccm.so.4")
    assert syslibs.loadable("libxcb-cursor.so.0")
    assert not syslibs.loadable("libxcb-icccm.so.4")


def test_windows_has_no_xcb_libraries_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    _fake_missing(monkeypatch, *(soname for soname, _ in syslibs.XCB_LIBRARIES))
    assert "不使用 xcb" in syslibs.self_test_step()


def test_the_core_module_stays_free_of_qt() -> None:
    text = (ROOT / "core" / "syslibs.py").read_text("utf-8")
    assert not re.search(r"^\s*(from|import)\s+(PySide6|gui)", text, re.M)


# -- the same list everywhere an IT person looks ------------------------------------------------------


def _packages() -> list[str]:
    return [package for _, package in syslibs.XCB_LIBRARIES]


def test_the_libraries_the_bundled_xcb_plugin_links_are_all_in_the_list() -> None:
    """What libqxcb.so and libQt6XcbQpa of the installed PySide6 link against (their NEEDED entries)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations or not sys.platform.startswith("linux"):
        pytest.skip("needs PySide6 on Linux")
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    check = _load_check()
    qt = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    qpa = next((qt / "lib").glob("libQt6XcbQpa.so*"))
    needed = check.needed_libraries(plugin) | check.needed_libraries(qpa)
    ours = {soname for soname, _ in syslibs.XCB_LIBRARIES}
    system = {n for n in needed if not n.startswith(("libQt6", "libc.", "libm.", "libstdc++", "libgcc_s",
                                                      "libpthread", "libdl", "librt", "libicu", "ld-linux",
                                                      "libgthread"))}
    assert system - ours == set()


def _load_check() -> ModuleType:
    path = ROOT / "packaging" / "linux" / "check_glibc.py"
    spec = importlib.util.spec_from_file_location("xxgk_syslibs_check", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_readme_linux_line_names_every_xcb_package() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    line = next(line for line in readme.splitlines() if "Linux" in line and "libxcb" in line)
    for package in _packages():
        assert package in line, package


def test_install_guide_names_every_xcb_package_in_its_apt_command() -> None:
    guide = (ROOT / "docs" / "install.md").read_text("utf-8")
    commands = [line for line in guide.splitlines() if "apt-get install" in line and "libxcb-icccm4" in line]
    assert commands
    for package in _packages():
        assert package in commands[0], package


def test_the_deb_depends_on_every_xcb_package() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    spec = importlib.util.spec_from_file_location("xxgk_syslibs_deb", ROOT / "packaging" / "linux" / "build_deb.py")
    assert spec and spec.loader
    deb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(deb)
    control = deb.control("0.1.0", "arm64", 1000, "2.28")
    depends = next(line for line in control.splitlines() if line.startswith("Depends:"))
    names = [part.strip().split(" ")[0] for part in depends.removeprefix("Depends:").split(",")]
    assert names[0] == "libc6" and "libc6 (>= 2.28)" in depends
    assert set(_packages()) <= set(names)
    assert len(names) == len(set(names))


def test_ci_installs_every_xcb_package_so_the_self_test_can_pass_there() -> None:
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    installed = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", script.split("apt-get install", 1)[1].split(">/dev/null")[0]))
    assert set(_packages()) - installed == set()


def test_a_library_the_compat_bundle_carries_is_not_a_dependency(tmp_path: Path) -> None:
    # Debian 10, UOS 20's base, has no libxcb-util1: the compat bundle brings libxcb-util.so.1 itself.
    sys.path.insert(0, str(ROOT / "packaging"))
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    spec = importlib.util.spec_from_file_location("xxgk_syslibs_deb2", ROOT / "packaging" / "linux" / "build_deb.py")
    assert spec and spec.loader
    deb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(deb)
    internal = tmp_path / "_internal"
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (internal / "libxcb-util.so.1").write_bytes(b"")
    (internal / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").write_bytes(b"")
    carried = deb.carried_libraries(tmp_path)
    assert carried == {"libxcb-util.so.1", "libQt6Core.so.6"}
    depends = deb.depends("2.28", carried)
    assert "libxcb-util1" not in depends and "libxcb-icccm4" in depends
