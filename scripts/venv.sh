# Sourced by demo.sh and test.sh: make (or reuse) the virtual environment and install
# the package with the extras given as arguments. Sets PY to its python.
VENV="${VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -e ".[$1]"
