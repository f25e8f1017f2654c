"""A HiGHS solver that prints nothing, not even its banner.

`highspy.Highs()` enables its callbacks inside its constructor, the first call into HiGHS, and HiGHS writes its
"Running HiGHS ... Copyright" banner on that first call unless `output_flag` is already off; setting the option
after construction (as one would) comes too late, so `seed_demo` and every audit printed the banner once per model.
Here the option is turned off at the start of `enableCallbacks`, before anything else reaches HiGHS. Only the
logging changes: the model, options and results are the same."""

from __future__ import annotations

import highspy


class QuietHighs(highspy.Highs):
    def enableCallbacks(self):
        self.setOptionValue("output_flag", False)
        return super().enableCallbacks()
