"""What is built elsewhere, checked here: the GitHub workflow, the Windows code paths, the Qt pins.

The workflow (.github/workflows/build.yml) cannot run on this machine (no Windows, no GitHub):
these tests make sure it parses, has the jobs and steps the release needs, and calls scripts that
exist. The Windows branches of the code (data folder, fonts folder, executables, launchers) run
here with ``sys.platform`` / ``os.name`` faked.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is in the test extra: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    # YAML 1.1 reads the key "on" as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in _steps(job))


def test_the_workflow_parses_and_has_a_windows_job_and_both_linux_builds() -> None:
    data = _workflow()
    assert data["name"] and data["on"]
    jobs = data["jobs"]
    assert jobs["windows"]["runs-on"] == "windows-latest"
    assert jobs["linux-compat"]["strategy"]["matrix"]["arch"] == ["x86_64", "arm64"]
    for name, job in jobs.items():
        assert "runs-on" in job and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), (name, step)


def test_the_windows_job_builds_self_tests_and_attaches_bundle_installer_and_zip() -> None:
    job = _workflow()["jobs"]["windows"]
    runs = _runs(job)
    assert "python packaging/build.py" in runs
    assert "xxgk-report-cli.exe --self-test" in runs
    assert "ISCC.exe" in runs and "packaging\\windows\\xxgk-report.iss" in runs
    assert "Compress-Archive" in runs
    uploads = [s for s in _steps(job) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 1
    paths = uploads[0]["with"]["path"]
    assert "-setup.exe" in paths and "portable.zip" in paths
    assert uploads[0]["with"]["if-no-files-found"] == "error"


def test_the_linux_job_runs_the_compat_build_which_self_tests_the_installed_deb() -> None:
    job = _workflow()["jobs"]["linux-compat"]
    runs = _runs(job)
    assert "packaging/linux/build_compat.py --arch ${{ matrix.arch }}" in runs
    uploads = [s for s in _steps(job) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert "*.deb" in uploads[0]["with"]["path"]


def test_every_script_and_file_the_workflow_names_exists() -> None:
    text = WORKFLOW.read_text("utf-8")
    named = set(re.findall(r"packaging[/\\][\w/\\.-]+\.(?:py|iss)", text))
    assert named >= {"packaging/build.py", "packaging/linux/build_compat.py", "packaging\\windows\\xxgk-report.iss"}
    for rel in named:
        assert (ROOT / rel.replace("\\", "/")).is_file(), rel
    # The installer script's own inputs: the icon and the folder build.py writes.
    iss = (ROOT / "packaging" / "windows" / "xxgk-report.iss").read_text("utf-8-sig")
    icon = re.search(r"SetupIconFile=\.\.\\\.\.\\(.+)", iss)
    assert icon and (ROOT / icon.group(1).strip().replace("\\", "/")).is_file()
    assert "OutputBaseFilename=xxgk-report-{#AppVersion}-setup" in iss


# -- Windows code paths, run here ---------------------------------------------------------------


def _load(name: str) -> ModuleType:
    path = ROOT / "packaging" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"xxgk_ci_{name.replace('/', '_')}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_windows_fonts_come_from_the_windows_and_the_per_user_fonts_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.pdf import fonts

    monkeypatch.delenv("XXGK_REPORT_FONT_DIRS", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"D:\Windows")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\clerk\AppData\Local")
    dirs = [str(d) for d in fonts.font_dirs()]
    assert dirs[0].replace("\\", "/") == "D:/Windows/Fonts"
    # Fonts installed "for this user only" (the default on Windows 10/11 without admin rights).
    assert dirs[1].replace("\\", "/") == "C:/Users/clerk/AppData/Local/Microsoft/Windows/Fonts"
    assert not any(d.startswith("/usr") for d in dirs)
    monkeypatch.delenv("WINDIR")
    monkeypatch.delenv("LOCALAPPDATA")
    assert [str(d).replace("\\", "/") for d in fonts.font_dirs()] == ["C:/Windows/Fonts"]


def test_windows_drafts_default_to_local_appdata_not_roaming(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs
    import platformdirs.windows

    from core import datadir

    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\clerk\AppData\Local")
    monkeypatch.setenv("APPDATA", r"C:\Users\clerk\AppData\Roaming")
    # platformdirs asks Windows itself (ctypes.windll) when it can; here it reads the variables.
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", platformdirs.windows.get_win_folder_from_env_vars)
    folder = str(datadir.resolve_data_dir(None, environ={})).replace("\\", "/")
    assert folder == "C:/Users/clerk/AppData/Local/xxgk-report"
    assert str(datadir.resolve_data_dir(r"E:\年报草稿", environ={})) == r"E:\年报草稿"


def test_the_windows_build_names_the_console_executable_and_writes_an_ascii_crlf_launcher(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    build = _load("build")
    monkeypatch.setattr(build, "WINDOWS", True)
    monkeypatch.setattr(build, "EXE_SUFFIX", ".exe")
    assert build.console_executable(tmp_path).name == "xxgk-report-cli.exe"
    launcher = build.write_portable_launcher(tmp_path)
    raw = launcher.read_bytes()
    assert launcher.name == "便携模式启动.bat"
    raw.decode("ascii")  # cmd.exe reads it in the console's code page (GBK on a Chinese PC)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert b'XXGK_REPORT_HOME=%~dp0xxgk-data' in raw and b"xxgk-report.exe" in raw


def test_the_spec_makes_a_windowed_and_a_console_executable_on_windows() -> None:
    spec = (ROOT / "packaging" / "xxgk-report.spec").read_text("utf-8")
    assert re.search(r"console=not WINDOWS", spec)
    assert re.search(r"if WINDOWS:\s+#[^\n]*\n\s+executables\.append\(EXE\(", spec)


# -- the Qt pins: every architecture gets a PySide6 its glibc can run, none gets the leaking 6.12 ----


def _pyside_requirements() -> list:
    import tomllib
    from packaging.requirements import Requirement

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    return [r for r in map(Requirement, deps) if r.name == "PySide6-Essentials"]


def _allowed(version: str, machine: str, python: str) -> bool:
    env = {"platform_machine": machine, "python_version": python, "python_full_version": python + ".0",
           "sys_platform": "linux", "platform_system": "Linux", "implementation_name": "cpython"}
    active = [r for r in _pyside_requirements() if r.marker is None or r.marker.evaluate(env)]
    assert len(active) == 1, (machine, python, active)
    return active[0].specifier.contains(version)


@pytest.mark.parametrize(("version", "machine", "python", "allowed"), [
    ("6.9.3", "x86_64", "3.11", True),     # the x86_64 compat build (manylinux_2_28)
    ("6.11.3", "x86_64", "3.11", True),    # the host build
    ("6.7.3", "x86_64", "3.11", False),
    ("6.12.0", "x86_64", "3.11", False),   # leaks None/True on CPython 3.11
    ("6.7.3", "aarch64", "3.11", True),    # arm64 compat build: 6.8+ wheels need glibc 2.39
    ("6.7.2", "aarch64", "3.11", False),
    ("6.12.0", "aarch64", "3.11", False),
    ("6.12.0", "x86_64", "3.12", True),
    ("6.7.3", "aarch64", "3.12", True),
])
def test_the_pyside_pin_per_architecture(version: str, machine: str, python: str, allowed: bool) -> None:
    assert _allowed(version, machine, python) is allowed


def test_the_compat_builds_install_a_pyside_the_pin_allows() -> None:
    from packaging.requirements import Requirement

    compat = _load("linux/build_compat")
    for arch, (_, machine, _, requirement) in compat.ARCHES.items():
        wanted = Requirement(requirement).specifier
        chosen = {"x86_64": "6.9.3", "arm64": "6.7.3"}[arch]
        assert wanted.contains(chosen) and _allowed(chosen, machine, "3.11"), arch
