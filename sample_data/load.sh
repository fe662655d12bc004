#!/bin/sh
# Load this sample data set into $WKSBM_DB and print where each village stands at the end of 2022.
# `make demo` runs it as: WKSBM_DB=demo.db sh sample_data/load.sh .venv/bin/wksbm
set -e
wksbm="${1:-wksbm}"
here=$(dirname "$0")
"$wksbm" import "$here"
"$wksbm" summary --as-of 2022-12-31
