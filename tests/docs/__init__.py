"""The documentation and examples run as written: pages, docstrings, example scripts."""
