"""Publishing the report beyond the PDF: the Word document and the web page, from one content model
(``content.py``) that both writers walk."""
