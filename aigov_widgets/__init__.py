"""aigov_widgets: the interactive tools of the aigov book and the book's Sphinx extension.

`aigov_widgets.core` is pure Python (stdlib only) and runs unchanged in CPython and in Pyodide;
`aigov_widgets.sphinx` is the thin Sphinx layer that renders it into the book.
"""

__version__ = "0.1.0"
