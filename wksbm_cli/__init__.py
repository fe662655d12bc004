"""wksbm: track village WKSBM networks and PMKS cases in a local SQLite database."""

__version__ = "0.1.0"
