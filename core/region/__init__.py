"""The county office's view: collect, check and sum many units' reports (no Qt here).

``roster`` reads the list of units expected to report, ``batch`` reads and checks many reports,
``sum`` adds them up into the region's overall report, ``xlsx`` writes the office's workbook and
``command`` holds the ``batch`` and ``sum`` commands.
"""
