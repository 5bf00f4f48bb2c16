"""The list of everything the check found; clicking an entry takes the clerk to the cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QWidget

from core.findings import SEVERITY_LABELS, Finding, summary
from core.template import Template
from gui.dialogs import plain_tip
from gui.flags import BADGES
from gui.style import FINDING_COLORS

_COLOURS = {severity: QColor(colour) for severity, colour in FINDING_COLORS.items()}


class FindingsPanel(QDockWidget):
    """A dock at the bottom of the window listing findings in report order."""

    findingActivated = Signal(object)  # Finding

    def __init__(self, template: Template, parent: QWidget | None = None) -> None:
        super().__init__("校验结果", parent)
        self.setObjectName("findingsDock")
        self.template = template
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.list = QListWidget()
        self.list.setObjectName("findingsList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemClicked.connect(self._activate)
        self.list.itemActivated.connect(self._activate)
        self.setWidget(self.list)
        self._shown: list[Finding] | None = None
        self._order = {s.id: i for i, s in enumerate(template.sections)}

    def section_heading(self, finding: Finding) -> str:
        for ref in finding.cells:
            section = self.template.section_for(ref)
            if section:
                return self.template.section(section).heading
        return "基本信息"

    def _rank(self, finding: Finding) -> tuple[int, int]:
        section = next((self.template.section_for(c) for c in finding.cells if self.template.section_for(c)), None)
        return (-1 if section is None else self._order[section], 0 if finding.severity == "error" else 1)

    def show_findings(self, findings: list[Finding]) -> None:
        if findings == self._shown:
            return
        self._shown = list(findings)
        self.list.clear()
        if not findings:
            item = QListWidgetItem("✓ 校验通过：没有发现错误或需要注意的地方")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        for finding in sorted(findings, key=self._rank):
            label = SEVERITY_LABELS[finding.severity]
            heading = self.section_heading(finding)
            where = "" if finding.message.startswith(heading) else f"{heading}："
            text = f"{BADGES[finding.severity]} [{label}] {where}{finding.message}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, finding)
            item.setForeground(QBrush(_COLOURS[finding.severity]))
            item.setToolTip(plain_tip(f"{text}\n单击可转到相关单元格"))  # may quote the clerk's words
            self.list.addItem(item)
        self.setWindowTitle(f"校验结果 — {summary(findings)}")

    def _activate(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.findingActivated.emit(finding)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]
