"""Cold start of `wksbm village list` against a minimal Typer app printing a 20-row Rich table.

Both run as fresh processes from the same interpreter, interleaved, many times; the ratio of
medians is printed. Budget (SPEC section 7): ratio <= 1.0.

    .venv/bin/python benchmarks/bench_startup.py [--runs 40]
"""

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build_database(path: Path) -> None:
    """The sample data (SPEC section 7: "cold start of `wksbm village list` on the sample data")."""
    wksbm = str(Path(sys.executable).with_name("wksbm"))
    subprocess.run([wksbm, "--db", str(path), "import", str(HERE.parent / "sample_data")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def time_once(command: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    wksbm = str(Path(sys.executable).with_name("wksbm"))
    # An installed package has its bytecode compiled by pip; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would otherwise recompile its sources on every run.
    import wksbm_cli

    compileall.compile_dir(Path(wksbm_cli.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "startup.db"
        build_database(db)
        env = {**os.environ, "WKSBM_DB": str(db)}
        ours_cmd = [wksbm, "village", "list"]
        base_cmd = [sys.executable, str(HERE / "baseline_app.py"), "list"]
        for command in (ours_cmd, base_cmd):  # warm the OS file cache and .pyc files
            time_once(command, env)
        ours, base = [], []
        for _ in range(args.runs):
            ours.append(time_once(ours_cmd, env))
            base.append(time_once(base_cmd, env))
    for label, index in (("wall-clock", 0), ("CPU (user+sys)", 1)):
        ours_median = statistics.median(run[index] for run in ours)
        base_median = statistics.median(run[index] for run in base)
        print(f"{label:>15}: wksbm village list {ours_median * 1000:4.0f} ms, "
              f"baseline {base_median * 1000:4.0f} ms, ratio {ours_median / base_median:.2f} (budget <= 1.00)")
    print(f"medians over {args.runs} interleaved runs each; CPU time is the steadier figure on a busy machine")
    print("wksbm lists the 9 sample villages (6 columns); the baseline prints 20 rows of 4 columns")


if __name__ == "__main__":
    main()
