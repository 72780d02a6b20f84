#!/usr/bin/env python3
"""The coefficients of `exp.rs`'s `POLYNOMIAL`: P of degree 10 with the least largest error
|P(r) - (e^r - 1 - r)/r²| over |r| <= ln 2 / 2 (a millionth wider, for the reduction's
last rounding), by Remez's exchange algorithm in 60-digit arithmetic (mpmath), then
rounded to f64. Prints the Rust constants and the error, as a part of e^r - 1, before and
after rounding.

    pip install mpmath && python3 scripts/expm1-polynomial.py [DEGREE]
"""
import struct
import sys

import mpmath as mp

mp.mp.dps = 60
R = mp.log(2) / 2 * (1 + mp.mpf("1e-6"))


def f(r):
    return mp.mpf(1) / 2 if r == 0 else (mp.expm1(r) - r) / r**2


def remez(degree, rounds=12, grid=3000):
    n = degree + 2
    # Chebyshev points, nudged off the symmetric layout (which leaves the first system
    # singular for odd degrees).
    xs = [
        R * mp.cos(mp.pi * (n - 1 - i + mp.mpf("0.37") * (0 < i < n - 1)) / (n - 1))
        for i in range(n)
    ]
    for _ in range(rounds):
        a = mp.matrix(n, n)
        b = mp.matrix(n, 1)
        for i, x in enumerate(xs):
            for k in range(degree + 1):
                a[i, k] = x**k
            a[i, degree + 1] = (-1) ** i
            b[i] = f(x)
        solution = mp.lu_solve(a, b)
        c = [solution[k] for k in range(degree + 1)]
        points = [R * (2 * mp.mpf(i) / grid - 1) for i in range(grid + 1)]
        runs = []  # the largest error of each run of one sign
        for x in points:
            e = mp.polyval(c[::-1], x) - f(x)
            s = mp.sign(e)
            if s == 0:
                continue
            if runs and runs[-1][0] == s:
                if abs(e) > abs(runs[-1][2]):
                    runs[-1] = (s, x, e)
            else:
                runs.append((s, x, e))
        while len(runs) > n:
            runs.pop(0 if abs(runs[0][2]) < abs(runs[-1][2]) else -1)
        if len(runs) < n:
            sys.exit(f"no alternation: {len(runs)} extrema for {n}")
        xs = [x for _, x, _ in runs]
    return c


def error_in_expm1(c):
    worst = mp.mpf(0)
    for i in range(-5000, 5001):
        r = R * i / 5000
        if r != 0:
            worst = max(worst, abs(r**2 * (mp.polyval(c[::-1], r) - f(r)) / mp.expm1(r)))
    return worst


degree = int(sys.argv[1]) if len(sys.argv) > 1 else 10
c = remez(degree)
rounded = [mp.mpf(float(ck)) for ck in c]
print(f"// degree {degree}: error {mp.nstr(error_in_expm1(c), 3)} of e^r - 1, "
      f"{mp.nstr(error_in_expm1(rounded), 3)} rounded to f64")
for ck in c:
    bits = f"{struct.unpack('<Q', struct.pack('<d', float(ck)))[0]:016x}"
    print(f"    f64::from_bits(0x{bits[:4]}_{bits[4:8]}_{bits[8:12]}_{bits[12:]}), // {float(ck)!r}")
