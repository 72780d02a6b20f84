//! [`dot_rows`](super::dot_rows) and [`dot`](super::dot) where x86-64 has no FMA: in SSE2
//! registers (every x86-64 has them) written out, `f64` two lanes to a register and `f32`
//! four. LLVM's code for the scalar lanes of
//! [`scalar_dot`](super::scalar_dot), a row after the other, took 890 ns for a 64 × 64
//! matrix's product on Zen 4; these registers, the same bits, 567 ns a row at a time and
//! 498 two rows at a time, each vector of the other operand loaded once for both
//! (docs/performance-log.md, "The forty-first session").

use core::arch::x86_64::*;

use super::{HALF, LANES, madd};

/// `out[r] = Σ_{i<N} a·b` for `(a, b) = term(r, i)`, each row to the bit
/// [`scalar_dot`](super::scalar_dot)'s: two rows at a time, then an odd last one.
#[inline(always)]
pub fn dot_rows_f64<const N: usize, const R: usize>(
    term: impl Fn(usize, usize) -> (f64, f64),
) -> [f64; R] {
    let mut out = [0.0; R];
    let mut r = 0;
    while r + 2 <= R {
        [out[r], out[r + 1]] = rows::<N, 2>(&|k, i| term(r + k, i));
        r += 2;
    }
    if r < R {
        [out[r]] = rows::<N, 1>(&|_, i| term(r, i));
    }
    out
}

/// `K` rows' dot products side by side, each as [`scalar_dot`](super::scalar_dot) adds
/// it: lane `l` of eight (lanes `2q` and `2q + 1` in register `q`) takes term `8g + l`, a
/// product then a sum (no FMA here, as `madd` has none); four terms left over go into
/// lanes 0–3, the last few into a sum from `-0.0` one after the other; the lanes are then
/// added as [`combine`](super::combine) adds them, and the last few after.
#[inline(always)]
fn rows<const N: usize, const K: usize>(term: &impl Fn(usize, usize) -> (f64, f64)) -> [f64; K] {
    // SAFETY: SSE2 is part of the x86-64 baseline; nothing here touches memory.
    unsafe {
        let product = |k: usize, i: usize| {
            let ((a0, b0), (a1, b1)) = (term(k, i), term(k, i + 1));
            _mm_mul_pd(_mm_set_pd(a1, a0), _mm_set_pd(b1, b0))
        };
        let mut lanes = [[_mm_setzero_pd(); LANES / 2]; K];
        let mut i = 0;
        while i + LANES <= N {
            for q in 0..LANES / 2 {
                for (k, lanes) in lanes.iter_mut().enumerate() {
                    lanes[q] = _mm_add_pd(product(k, i + 2 * q), lanes[q]);
                }
            }
            i += LANES;
        }
        if i + HALF <= N {
            for q in 0..HALF / 2 {
                for (k, lanes) in lanes.iter_mut().enumerate() {
                    lanes[q] = _mm_add_pd(product(k, i + 2 * q), lanes[q]);
                }
            }
            i += HALF;
        }
        core::array::from_fn(|k| {
            let mut tail = -0.0;
            for j in i..N {
                let (a, b) = term(k, j);
                tail = madd(a, b, tail);
            }
            // `((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))`, two lanes at a time.
            let [q0, q1, q2, q3] = lanes[k];
            let halves = _mm_add_pd(_mm_add_pd(q0, q2), _mm_add_pd(q1, q3));
            _mm_cvtsd_f64(halves) + _mm_cvtsd_f64(_mm_unpackhi_pd(halves, halves)) + tail
        })
    }
}

/// [`dot_rows_f64`] in `f32`: lanes 0–3 in one register, 4–7 in the other.
#[inline(always)]
pub fn dot_rows_f32<const N: usize, const R: usize>(
    term: impl Fn(usize, usize) -> (f32, f32),
) -> [f32; R] {
    let mut out = [0.0; R];
    let mut r = 0;
    while r + 2 <= R {
        [out[r], out[r + 1]] = rows_f32::<N, 2>(&|k, i| term(r + k, i));
        r += 2;
    }
    if r < R {
        [out[r]] = rows_f32::<N, 1>(&|_, i| term(r, i));
    }
    out
}

/// [`rows`] in `f32`.
#[inline(always)]
fn rows_f32<const N: usize, const K: usize>(
    term: &impl Fn(usize, usize) -> (f32, f32),
) -> [f32; K] {
    // SAFETY: SSE2 is part of the x86-64 baseline; nothing here touches memory.
    unsafe {
        let product = |k: usize, i: usize| {
            let [(a0, b0), (a1, b1), (a2, b2), (a3, b3)] = core::array::from_fn(|j| term(k, i + j));
            _mm_mul_ps(_mm_set_ps(a3, a2, a1, a0), _mm_set_ps(b3, b2, b1, b0))
        };
        let mut lanes = [[_mm_setzero_ps(); LANES / 4]; K];
        let mut i = 0;
        while i + LANES <= N {
            for q in 0..LANES / 4 {
                for (k, lanes) in lanes.iter_mut().enumerate() {
                    lanes[q] = _mm_add_ps(product(k, i + 4 * q), lanes[q]);
                }
            }
            i += LANES;
        }
        if i + HALF <= N {
            for (k, lanes) in lanes.iter_mut().enumerate() {
                lanes[0] = _mm_add_ps(product(k, i), lanes[0]);
            }
            i += HALF;
        }
        core::array::from_fn(|k| {
            let mut tail = -0.0;
            for j in i..N {
                let (a, b) = term(k, j);
                tail = madd(a, b, tail);
            }
            // `((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))`: the two registers, then
            // lanes two apart, then the two left.
            let [low, high] = lanes[k];
            let fours = _mm_add_ps(low, high);
            let twos = _mm_add_ps(fours, _mm_movehl_ps(fours, fours));
            let one = _mm_add_ss(twos, _mm_shuffle_ps::<0b01>(twos, twos));
            _mm_cvtss_f32(one) + tail
        })
    }
}
