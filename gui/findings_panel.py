"""The list of everything the check found; clicking an entry takes the clerk to the cell.

Under the list: the one-click fixes a finding offers (``以计算结果为准`` for the totals printed in
an imported file, ``清除排版残留`` for word-processor leftovers) and the reference indicators
(公开率, 纠错率), each with its formula and numbers as the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.findings import SEVERITY_LABELS, Finding, summary
from core.indicators import Indicator
from core.template import Template
from gui.dialogs import plain_tip
from gui.flags import BADGES
from gui.style import FINDING_COLORS

_COLOURS = {severity: QColor(colour) for severity, colour in FINDING_COLORS.items()}


class FindingsPanel(QDockWidget):
    """A dock at the bottom of the window listing findings in report order."""

    findingActivated = Signal(object)  # Finding
    useComputedTotals = Signal()
    cleanResidue = Signal()

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
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 2)
        self.use_computed_button = QPushButton("以计算结果为准")
        self.use_computed_button.setObjectName("useComputedTotals")
        self.use_computed_button.setToolTip("文件中填写的合计与按各项相加的结果不一致：全部改用程序计算的合计"
                                            "（一步操作，可用 Ctrl+Z 撤销）")
        self.use_computed_button.clicked.connect(self.useComputedTotals)
        self.clean_button = QPushButton("清除排版残留")
        self.clean_button.setObjectName("cleanResidue")
        self.clean_button.setToolTip("删除从 Word/WPS 复制时带进来的书签、域代码和单独成行的标题编号"
                                     "（一步操作，可用 Ctrl+Z 撤销）")
        self.clean_button.clicked.connect(self.cleanResidue)
        for button in (self.use_computed_button, self.clean_button):
            button.hide()
            bottom.addWidget(button)
        caption = QLabel("参考指标：")
        caption.setProperty("role", "hint")
        bottom.addWidget(caption)
        self.indicator_labels: dict[str, QLabel] = {}
        self._indicator_row = bottom
        bottom.addStretch(1)
        lay.addLayout(bottom)
        self.setWidget(body)
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
        rules = {f.rule for f in findings}
        self.use_computed_button.setVisible("typed_total" in rules)
        self.clean_button.setVisible("word_residue" in rules)

    def show_indicators(self, indicators: list[Indicator]) -> None:
        """The reference indicators (not findings), each with its formula and numbers as tooltip."""
        for indicator in indicators:
            label = self.indicator_labels.get(indicator.id)
            if label is None:
                label = QLabel()
                label.setObjectName(f"indicator_{indicator.id}")
                label.setTextFormat(Qt.TextFormat.PlainText)
                self.indicator_labels[indicator.id] = label
                self._indicator_row.insertWidget(self._indicator_row.count() - 1, label)
            label.setText(f"{indicator.name} {indicator.percent}　")
            label.setToolTip(f"{indicator.line}\n参考指标，不是校验问题。")

    def _activate(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(finding, Finding):
            self.findingActivated.emit(finding)

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]
