"""Where text sits on the original page: character boxes, highlight page geometry, regions.

``boxes`` reads a PDF page's character boxes (pure, any PDF); the rest serves the library's
page API (``wb.page_boxes``, ``wb.geometry_for_range``, ``wb.add_page_highlight``, …).
"""
