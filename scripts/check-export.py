#!/usr/bin/env python3
"""Runs the exported Keras 3 and PyTorch scripts of every case folder and checks them against
the page.

Each folder under CASES holds what the page's export buttons download (the two scripts and the
data file) and expect.json, written by the native test that trained the case
(`cargo test -p neural-playground export::frameworks -- --ignored`, which scripts/test.sh runs
with this project's virtual environment). For each script:
  * its model's parameter count must equal the page's model summary;
  * with the page's trained weights loaded, its predictions on every row of the data file must
    equal the page's to 1e-5 (the largest difference is printed);
  * its own training loop must run for a couple of epochs to a finite loss.

All scripts run in this one process (runpy), so Keras and PyTorch are imported once.
"""

import contextlib
import io
import json
import math
import os
import re
import runpy
import sys
import time

# Keras on PyTorch's CPU backend: no TensorFlow or JAX needed. Tiny networks run fastest on one
# thread, and the machine's cores are shared.
os.environ.setdefault("KERAS_BACKEND", "torch")
os.environ.setdefault("OMP_NUM_THREADS", "1")

TOLERANCE = 1e-5
EPOCHS = 2
SCRIPTS = (("keras", "neural-playground-keras.py"), ("pytorch", "neural-playground-pytorch.py"))


def run(script, args):
    """The script's output, and the error that stopped it (None when it ran to the end)."""
    out = io.StringIO()
    argv, sys.argv = sys.argv, [script, *args]
    error = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            runpy.run_path(script, run_name="__main__")
    except SystemExit as e:  # a script says what is wrong with sys.exit(message)
        if e.code not in (None, 0):
            error = f"exit: {e.code}"
    except Exception as e:  # noqa: BLE001 - any failure of a generated script is reported
        error = f"{type(e).__name__}: {e}"
    finally:
        sys.argv = argv
    return out.getvalue(), error


def check(folder, framework, file, expect):
    script = os.path.join(folder, file)
    started = time.perf_counter()
    text, error = run(script, ["--epochs", str(EPOCHS)])
    seconds = time.perf_counter() - started
    found = {
        "parameters": re.search(r"^parameters: (\d+)", text, re.M),
        "diff": re.search(r"max \|prediction - page\| = (\S+) over (\d+) rows", text),
        "trained": re.search(r"^trained (\d+) epochs: final training loss (\S+)", text, re.M),
    }
    problems = [error] if error else []
    problems += [f"no '{k}' line" for k, m in found.items() if m is None]
    params = int(found["parameters"].group(1)) if found["parameters"] else None
    diff = float(found["diff"].group(1)) if found["diff"] else math.nan
    loss = float(found["trained"].group(2)) if found["trained"] else math.nan
    if params is not None and params != expect["parameters"]:
        problems.append(f"{params} parameters, the page counts {expect['parameters']}")
    if found["diff"] and int(found["diff"].group(2)) != expect["rows"]:
        problems.append(f"compared {found['diff'].group(2)} rows of {expect['rows']}")
    if not diff <= TOLERANCE:
        problems.append(f"predictions differ from the page's by {diff:g} > {TOLERANCE:g}")
    if found["trained"] and (int(found["trained"].group(1)) != EPOCHS or not math.isfinite(loss)):
        problems.append(f"training ended with loss {loss} after {found['trained'].group(1)} epochs")
    name = os.path.basename(folder)
    print(f"{name:34} {framework:8} {params!s:>7} {diff:>11.2e} {loss:>11.4g} {seconds:>6.1f}s"
          f"  {'ok' if not problems else 'FAILED'}")
    if problems:
        print("\n".join(f"    {p}" for p in problems))
        print("    output:\n" + "\n".join(f"      {line}" for line in text.splitlines()))
    return not problems, diff


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} CASES")
    cases = sys.argv[1]
    folders = sorted(os.path.join(cases, d) for d in os.listdir(cases)
                     if os.path.isfile(os.path.join(cases, d, "expect.json")))
    if not folders:
        sys.exit(f"no case folders in {cases}")
    import keras  # noqa: F401 - imported once here so the timings below are the scripts' own
    import torch

    print(f"keras {keras.__version__} on {keras.backend.backend()}, torch {torch.__version__}")
    print(f"{'case':34} {'script':8} {'params':>7} {'max |diff|':>11} {'2-ep. loss':>11} {'time':>7}")
    results = []
    for folder in folders:
        with open(os.path.join(folder, "expect.json")) as f:
            expect = json.load(f)
        for framework, file in SCRIPTS:
            results.append(check(folder, framework, file, expect))
    failed = sum(1 for ok, _ in results if not ok)
    worst = max(d for _, d in results)
    print(f"largest prediction difference from the page: {worst:.2e} (tolerance {TOLERANCE:g})")
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
