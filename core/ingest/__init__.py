"""Reading published reports (web page, Word, PDF) back into the model.

Each source kind has its own module that only turns the file into tables of cell strings and
paragraphs of prose (:class:`core.ingest.source.Source`); :mod:`core.ingest.recognise` alone maps
them onto the format's cells, by the labels of the format data file.
"""
