"""填报说明: what goes where and how the window works, generated from the format data file."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from core.template import Template


def help_html(template: Template) -> str:
    """The help text; every label in it comes from the format data, so it follows the format."""
    rows = {r["id"]: r["short"] for r in template.table3_rows()}
    t4_fields = {f["id"]: f["label"] for f in template.tables["table4"]["fields"]}
    parts = [f"<h2>填报说明</h2><p>本程序按照<b>{escape(template.name)}</b>填写年度报告。"
             "各选项卡与年报各部分一一对应，按顺序填写即可。</p>"]
    parts.append("<h3>基本信息</h3><ul>")
    for meta in template.meta:
        parts.append(f"<li><b>{escape(meta['label'])}</b>：{escape(meta['hint'])}</li>")
    parts.append("</ul>")
    for section in template.sections:
        parts.append(f"<h3>{escape(section.heading)}</h3>")
        if section.parts:
            parts.append("<ul>")
            for p in section.parts:
                head = f"<b>{escape(p.heading)}</b>：" if p.heading else ""
                parts.append(f"<li>{head}{escape(p.hint)}</li>")
            parts.append("</ul>")
        elif section.table == "table3":
            parts.append(
                f"<p>{escape(template.tables['table3']['corner'])}</p>"
                f"<p>即每一列都须满足：{escape(rows['new_received'])} + {escape(rows['carried_over'])} = "
                f"{escape(rows['total_processed'])} + {escape(rows['carried_forward'])}。"
                f"{escape(rows['total_processed'])}和{escape(t4_fields['total'])}列由程序自动合计，显示为灰色。</p>"
            )
        elif section.table == "table4":
            parts.append(f"<p>每类案件按结果分别填写，{escape(t4_fields['total'])}由程序自动合计。</p>")
        elif section.table == "table2":
            fee = template.cells.get("table2.fees")
            if fee is not None:
                parts.append(f"<p>{escape(fee.row_label)}以{escape(fee.unit)}为单位，"
                             f"最多保留 {fee.places} 位小数。</p>")
    parts.append(
        "<h3>表格操作</h3><ul>"
        "<li>回车键移到下一行，Shift+回车移到上一行；Tab 键移到右边的单元格；方向键在单元格之间移动，"
        "不会改变数字。</li>"
        "<li>进入单元格时内容自动全选，直接输入即替换；按 Esc 恢复进入单元格时的数字。</li>"
        "<li>要修改数字中的某一位，按 F2 或双击单元格：光标留在数字中，可以逐位修改。</li>"
        "<li>可在 Excel/WPS 中选中一块数字复制，再在本程序的单元格中按 Ctrl+V，从该单元格起向右、向下填入。"
        "空白按 0 计，千位分隔符（如 1,234）可以保留。内容放不下或含有非整数时整块不粘贴，并说明是哪个位置。</li>"
        "<li>从已发布的年报表格复制时可以连同合计列、合计行一起复制：落在灰色合计单元格上的数不填入，"
        "合计始终由程序计算，这样各列各行能一一对齐。</li>"
        "<li>一次 Ctrl+Z 撤销一整次粘贴或一个单元格的输入；Ctrl+Y 重做。</li></ul>"
        "<h3>校验</h3><p>每输入一个字，程序都重新校验。有问题的单元格加粗边框并标“!”（错误）或“⚠”（提示），"
        "鼠标停在上面可看到说明；窗口下方的“校验结果”列出全部问题，单击即可转到相关单元格，F8 转到下一个问题。"
        "状态栏显示错误和提示的数量。</p>"
    )
    return "".join(parts)


class HelpDialog(QDialog):
    def __init__(self, template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("填报说明")
        self.resize(760, 600)
        lay = QVBoxLayout(self)
        browser = QTextBrowser()
        browser.setHtml(help_html(template))
        lay.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
