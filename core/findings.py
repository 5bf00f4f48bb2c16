"""What a check says about a report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "提示"}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    cells: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
        }


def summary(findings: list[Finding]) -> str:
    """The status-bar line: ``校验通过`` or ``2 项错误，1 项提示``."""
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if not findings:
        return "校验通过"
    parts = []
    if errors:
        parts.append(f"{errors} 项错误")
    if warnings:
        parts.append(f"{warnings} 项提示")
    return "，".join(parts)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
