"""What a Linux bundle is made of: its size by part and its largest files (the tables in docs/packaging.md).

    python3 packaging/linux/bundle_sizes.py dist/compat-x86_64/xxgk-report
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

# First match wins; sizes in MB of 2^20 bytes, as build.py prints them.
PARTS = (
    ("ICU (libicudata + libicui18n + libicuuc)", r"libicu"),
    ("Qt libraries", r"PySide6/Qt/lib/"),
    ("Qt plugins", r"PySide6/Qt/plugins/"),
    ("PySide6 bindings + shiboken", r"PySide6/[^/]+\.so|shiboken6"),
    ("fonts", r"resources/fonts"),
    ("pdfium", r"pypdfium2_raw"),
    ("libpython + stdlib extensions + base_library.zip", r"libpython|python3\.\d+/lib-dynload|base_library"),
    ("Pillow + pillow.libs", r"pillow\.libs|PIL/"),
    # The readers and Word export of published reports (issue 14).
    ("cryptography (pdfminer: AES-encrypted PDFs)", r"cryptography/|_cffi_backend"),
    ("lxml (etree, lxml.html)", r"_internal/lxml/"),
    ("pdfminer CMaps (GB1, CNS1)", r"pdfminer/cmap/"),
    ("python-docx templates, charset-normalizer", r"_internal/docx/|charset_normalizer/"),
    ("other libraries", r"^_internal/lib[^/]*\.so"),
    ("the executable", r"^xxgk-report$"),
)


def sizes(bundle: Path) -> list[tuple[int, str]]:
    return [(p.stat().st_size, p.relative_to(bundle).as_posix())
            for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="安装包各部分的大小")
    parser.add_argument("bundle")
    parser.add_argument("--top", type=int, default=12, help="列出最大的几个文件")
    args = parser.parse_args(argv)
    files = sizes(Path(args.bundle))
    mb = 1024 * 1024
    print(f"total {sum(s for s, _ in files) / mb:.1f} MB, {len(files)} files")
    left = list(files)
    for name, pattern in PARTS:
        part = [f for f in left if re.search(pattern, f[1])]
        left = [f for f in left if f not in part]
        print(f"| {name} | {sum(s for s, _ in part) / mb:.1f} |")
    print(f"| rest | {sum(s for s, _ in left) / mb:.1f} |")
    for size, rel in sorted(files, reverse=True)[: args.top]:
        print(f"{size / mb:8.2f}  {rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
