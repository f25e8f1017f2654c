"""HiGHS prints nothing, not even its banner, when the disclosure engine builds its models (seed_demo's output stays
clean). The banner goes once per process, from C, so the check runs in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

from disclosure.highs import QuietHighs


def test_a_quiet_solver_has_its_output_off_from_the_start():
    assert QuietHighs().getOptionValue("output_flag")[1] is False


def test_no_banner_is_printed_when_a_model_is_built_and_solved():
    script = ("import highspy, numpy as np\n"
              "from disclosure.highs import QuietHighs\n"
              "h = QuietHighs()\n"
              "lp = highspy.HighsLp(); lp.num_col_ = 1; lp.num_row_ = 0\n"
              "lp.col_cost_ = np.array([1.0]); lp.col_lower_ = np.array([2.0]); lp.col_upper_ = np.array([5.0])\n"
              "h.passModel(lp); h.run()\n"
              "print(round(h.getInfo().objective_function_value, 6))\n")
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert ran.stdout.strip() == "2.0"
    assert "HiGHS" not in ran.stdout + ran.stderr
