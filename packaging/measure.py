"""Measure what each exclusion of the bundle saves, by building with that one group put back.

    python packaging/measure.py            # a table in Markdown, for docs/packaging.md
    python packaging/measure.py sqlite cjk_cmaps   # only these groups (and no untrimmed build)

Builds into ``build/measure/`` (about 15 s per build on 2 cores): the trimmed bundle, one build per
group of ``bundle_config.GROUPS`` with that group kept, and one with everything kept. Also lists
the biggest parts of the trimmed bundle.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_config as cfg
from build import SPEC, folder_size

OUT = cfg.ROOT / "build" / "measure"
MB = 1024 * 1024


def build(keep: str) -> tuple[Path, float]:
    name = keep or "trimmed"
    dist, work = OUT / "dist" / name, OUT / "work" / name
    env = dict(os.environ, XXGK_BUNDLE_KEEP=keep)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)], env=env, check=True)
    return dist / cfg.APP_NAME, time.perf_counter() - started


def biggest(folder: Path, depth: int = 3, count: int = 12) -> list[tuple[int, str]]:
    sizes: dict[str, int] = {}
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            rel = p.relative_to(folder).parts
            for d in range(1, min(depth, len(rel)) + 1):
                key = "/".join(rel[:d])
                sizes[key] = sizes.get(key, 0) + p.stat().st_size
    leaves = sorted(((s, k) for k, s in sizes.items()), reverse=True)
    return leaves[:count]


def main(argv: list[str] | None = None) -> int:
    groups = list(sys.argv[1:] if argv is None else argv)
    unknown = [g for g in groups if g not in cfg.GROUPS]
    if unknown:
        raise SystemExit(f"没有这些组：{'、'.join(unknown)}（可选：{'、'.join(cfg.GROUPS)}）")
    trimmed, seconds = build("")
    base = folder_size(trimmed)
    print(f"trimmed bundle: {base / MB:.1f} MB, built in {seconds:.0f} s\n")
    print("| group put back | bundle | leaving it out saves |")
    print("|---|---:|---:|")
    for group in groups or (*cfg.GROUPS, "all"):
        folder, _ = build(group)
        size = folder_size(folder)
        print(f"| {group} | {size / MB:.1f} MB | {(size - base) / MB:.1f} MB |", flush=True)
    print("\nbiggest parts of the trimmed bundle:")
    for size, name in biggest(trimmed):
        print(f"  {size / MB:6.1f} MB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
