//! A layer's dot products for a block of samples, `out[j][b] = Σ_k w[j][k]·x[k][b]`, in
//! `f64` with AVX-512, each to the bit the single call's [`dot`](super::dot): the samples
//! transposed to rows (each sample's terms contiguous, as a weight row's are), then four
//! rows by four samples at a time, sixteen vectors of lanes, each lane taking its terms in
//! the order of [`dot`](super::dot)'s. Per eight terms that is eight loads for sixteen
//! multiply-adds, where [`dot_lanes`](super::dot_lanes), one row at a time with every
//! lane of every sample in registers, loads a weight and two vectors of samples for every
//! two.

use core::arch::x86_64::*;

use super::avx::{combine, tail, tail_start};

/// Fewer terms than this, and each row goes by [`dot_lanes`](super::dot_lanes): in the
/// tiles, adding up each sample's lanes costs about as much as the multiply-adds of a short
/// row (the seed network's batch forward, rows of 52 and 20 terms, was 46 % slower tiled;
/// the wide network's, of 64 and 128, 14–23 % faster).
const TILED_TERMS: usize = 64;

/// `element(j, b, Σ_{k<N} w[j][k]·x[k][b])` for every `j < R`, `b < B`.
#[inline(always)]
pub fn dot_block_f64<const N: usize, const B: usize, const R: usize>(
    w: &[[f64; N]; R],
    x: &[[f64; B]; N],
    mut element: impl FnMut(usize, usize, f64),
) {
    if N < TILED_TERMS {
        return super::dot_block_rows(w, x, element);
    }
    let mut samples = [[0.0; N]; B];
    super::transpose((x.as_flattened(), B), (samples.as_flattened_mut(), N), N, B);
    let (rows, columns) = (R / 4 * 4, B / 4 * 4);
    for j in (0..rows).step_by(4) {
        for b in (0..columns).step_by(4) {
            // SAFETY: the target has AVX-512F (and with it AVX and FMA); `j + 4 <= R` and
            // `b + 4 <= B`.
            let sums = unsafe { tile(w, &samples, j, b) };
            for (q, sums) in sums.iter().enumerate() {
                for (s, &sum) in sums.iter().enumerate() {
                    element(j + q, b + s, sum);
                }
            }
        }
    }
    // The rows and samples left over from the tiles, a `dot` each.
    for (j, w) in w.iter().enumerate() {
        let from = if j < rows { columns } else { 0 };
        for (b, sample) in samples.iter().enumerate().skip(from) {
            element(j, b, super::avx::dot_f64::<N>(|k| (w[k], sample[k])));
        }
    }
}

/// Rows `j..j + 4` by samples `b..b + 4` of [`dot_block_f64`]: `[row][sample]`.
///
/// # Safety
/// The target has AVX-512F; `j + 4 <= R`, `b + 4 <= B`.
#[inline(always)]
unsafe fn tile<const N: usize, const B: usize, const R: usize>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    j: usize,
    b: usize,
) -> [[f64; 4]; 4] {
    // SAFETY: the caller's; every load is of terms `k..k + 8` (or `+ 4`) with `k + 8 <= N`
    // (or `+ 4`), of rows `j + q < R` and samples `b + s < B`.
    unsafe {
        let row = |q: usize| w[j + q].as_ptr();
        let sample = |s: usize| samples[b + s].as_ptr();
        let mut lanes = [[_mm512_setzero_pd(); 4]; 4];
        let mut k = 0;
        while k + 8 <= N {
            let weights = [0, 1, 2, 3].map(|q| _mm512_loadu_pd(row(q).add(k)));
            let inputs = [0, 1, 2, 3].map(|s| _mm512_loadu_pd(sample(s).add(k)));
            for (lanes, weights) in lanes.iter_mut().zip(weights) {
                for (lanes, inputs) in lanes.iter_mut().zip(inputs) {
                    *lanes = _mm512_fmadd_pd(weights, inputs, *lanes);
                }
            }
            k += 8;
        }
        let half = k + 4 <= N;
        debug_assert!(!half || tail_start(N) == k + 4);
        let mut out = [[0.0; 4]; 4];
        for (q, lanes) in lanes.iter().enumerate() {
            // Each sample's `[l0+l4, l1+l5, l2+l6, l3+l7]`, the half group into `l0..l3`.
            let four = |s: usize| {
                let mut low = _mm512_castpd512_pd256(lanes[s]);
                if half {
                    let (a, x) = (
                        _mm256_loadu_pd(row(q).add(k)),
                        _mm256_loadu_pd(sample(s).add(k)),
                    );
                    low = _mm256_fmadd_pd(a, x, low);
                }
                _mm256_add_pd(low, _mm512_extractf64x4_pd::<1>(lanes[s]))
            };
            let tail = |s: usize| tail::<f64, N>(&|i| (w[j + q][i], samples[b + s][i]));
            let tails = _mm256_set_pd(tail(3), tail(2), tail(1), tail(0));
            let sums = combine(four(0), four(1), four(2), four(3), tails);
            _mm256_storeu_pd(out[q].as_mut_ptr(), sums);
        }
        out
    }
}
