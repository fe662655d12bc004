"""Reports: each computes its data once; renderers turn it into a table, JSON, CSV, HTML or SVG."""
