"""Reference timing for the assignment solver: scipy's linear_sum_assignment on the
column-repeated matrix (each coach's column once per place).

python3 tests/bench/scipy-assignment.py SCORES_FILE REQUEST_COUNT COACH_COUNT CAPACITY_FILE [MODE]

SCORES_FILE: request-major float64 (native byte order). In "score" mode (the default) the caller
writes excluded pairs as 0, since taking an excluded pair then scores the same as leaving the
request unassigned. In "count" mode excluded pairs are NaN and valid pairs are lifted by a bonus
that outweighs any score difference, so scipy also assigns as many requests as possible first.
CAPACITY_FILE: a JSON array of places per coach. Prints {"ms", "total"}; ms times only the solve.
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment


def main():
    scores_file, request_count, coach_count, capacity_file = sys.argv[1:5]
    mode = sys.argv[5] if len(sys.argv) > 5 else "score"
    request_count, coach_count = int(request_count), int(coach_count)
    scores = np.fromfile(scores_file, dtype=np.float64).reshape(request_count, coach_count)
    with open(capacity_file) as handle:
        # More places than requests can never be used.
        places = np.minimum(np.array(json.load(handle), dtype=np.int64), request_count)

    if mode == "count":
        valid = ~np.isnan(scores)
        lowest = np.nanmin(scores) if valid.any() else 0.0
        spread = (np.nanmax(scores) - lowest) if valid.any() else 0.0
        bonus = (request_count + 1) * (spread + 1)
        weights = np.where(valid, scores - lowest + bonus, 0.0)
    else:
        valid = scores > 0
        weights = np.maximum(scores, 0.0)

    columns = np.repeat(np.arange(coach_count), places)
    matrix = weights[:, columns]
    if matrix.shape[1] < request_count:
        # Zero columns stand for "unassigned", so every request has somewhere to go.
        matrix = np.hstack([matrix, np.zeros((request_count, request_count - matrix.shape[1]))])

    started = time.perf_counter()
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    ms = (time.perf_counter() - started) * 1000

    real = cols < len(columns)
    rows, coaches = rows[real], columns[cols[real]]
    taken = valid[rows, coaches]
    total = float(scores[rows[taken], coaches[taken]].sum())
    print(json.dumps({"ms": ms, "total": total}))


main()
