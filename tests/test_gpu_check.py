"""`python -m benchmarks.gpu_check` on a machine without CUDA: it says so, dry-runs the flow on the CPU, exits 0."""

import os
import subprocess
import sys


def test_the_gpu_check_dry_runs_on_the_cpu_and_prints_what_it_measures():
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-m", "benchmarks.gpu_check"], capture_output=True, text=True, env=env,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("no CUDA device here: a CPU dry run")
    assert any(line.startswith("training, 1 process: ") and "samples/s" in line and "loss" in line for line in lines)
    assert any(line.startswith("tagging on cpu: 200 sentences") for line in lines)
