//! [`dot`](super::dot), [`axpys`](super::axpys) and [`sums_rows`](super::sums_rows) in AVX
//! registers, for targets built with AVX and FMA. In `dot`, lanes 0–3 and 4–7 of the scalar
//! form are two `__m256d` (one `__m512d` with AVX-512F; one `__m256` in `f32`), each lane
//! fused multiply-adds the same terms, and the lanes are combined in the same order; in
//! `axpys` (of one row or several side by side), each element takes its terms in order, one
//! fused multiply-add each, as in the scalar form. Either way the result is the scalar
//! form's to the bit. `axpys` runs in AVX-512's vectors (`super::avx512`) where the
//! target has them and a row fills one.
//!
//! The terms are gathered by explicit calls, not `array::from_fn`, whose closures LLVM
//! leaves as calls once a few of them nest.

use core::arch::x86_64::*;
use core::ops::Range;

use super::{REGISTER_BLOCKED_TERMS, V_BLOCK};

/// `term(i)`, …, `term(i + 3)` as two vectors: the first of each pair, and the second.
#[inline(always)]
pub(super) unsafe fn pairs_f64(
    term: &impl Fn(usize) -> (f64, f64),
    i: usize,
) -> (__m256d, __m256d) {
    let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
    let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
    // SAFETY: the caller's target has AVX.
    unsafe { (_mm256_set_pd(a3, a2, a1, a0), _mm256_set_pd(b3, b2, b1, b0)) }
}

/// `term(i)`, …, `term(i + 7)` as two vectors.
#[inline(always)]
unsafe fn pairs_f32(term: &impl Fn(usize) -> (f32, f32), i: usize) -> (__m256, __m256) {
    let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
    let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
    let ((a4, b4), (a5, b5)) = (term(i + 4), term(i + 5));
    let ((a6, b6), (a7, b7)) = (term(i + 6), term(i + 7));
    // SAFETY: as above.
    unsafe {
        (
            _mm256_set_ps(a7, a6, a5, a4, a3, a2, a1, a0),
            _mm256_set_ps(b7, b6, b5, b4, b3, b2, b1, b0),
        )
    }
}

/// Where the terms added one after the other start: past the groups of eight, and past
/// the half group of four if there is one.
pub(super) const fn tail_start(n: usize) -> usize {
    if n % 8 >= 4 { n / 8 * 8 + 4 } else { n / 8 * 8 }
}

/// The eight lanes `[l0..l3]`, `[l4..l7]` of a `f64` dot product: its groups of eight,
/// and the half group into `l0..l3`.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
unsafe fn lanes_f64<const N: usize>(term: &impl Fn(usize) -> (f64, f64)) -> (__m256d, __m256d) {
    // SAFETY: as above.
    let ([low], [high]) = unsafe { lanes_rows_f64::<N, 1>(&|_, k| term(k), 0) };
    (low, high)
}

/// The same eight lanes, the groups of eight in one AVX-512 vector (half the instructions;
/// each lane's terms and their order are the same).
#[cfg(target_feature = "avx512f")]
#[inline(always)]
unsafe fn lanes_f64<const N: usize>(term: &impl Fn(usize) -> (f64, f64)) -> (__m256d, __m256d) {
    use super::avx512::Avx512;
    // SAFETY: the target has AVX-512F.
    unsafe {
        let mut lanes = _mm512_setzero_pd();
        let mut i = 0;
        while i + 8 <= N {
            let (a, b) = <Avx512 as Vector<f64>>::pairs(term, i);
            lanes = _mm512_fmadd_pd(a, b, lanes);
            i += 8;
        }
        let (mut low, high) = (
            _mm512_castpd512_pd256(lanes),
            _mm512_extractf64x4_pd::<1>(lanes),
        );
        if i + 4 <= N {
            let (a, b) = pairs_f64(term, i);
            low = _mm256_fmadd_pd(a, b, low);
        }
        (low, high)
    }
}

/// [`lanes_f64`] of `Q` rows, `term(r + q, i)` for row `q`, the rows' steps side by side:
/// `2·Q` chains of multiply-adds in flight. (Its loops stay iterators: by index, as
/// [`columns`] loads its registers, a 3-64-64-64-1 network's `laplacian` and
/// `value_gradient_laplacian` took 9–11 % longer built for `x86-64-v3`, `scripts/ab-min.sh`
/// on a Zen 4 at one alignment.)
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
unsafe fn lanes_rows_f64<const N: usize, const Q: usize>(
    term: &impl Fn(usize, usize) -> (f64, f64),
    r: usize,
) -> ([__m256d; Q], [__m256d; Q]) {
    // SAFETY: as above.
    unsafe {
        let (mut low, mut high) = ([_mm256_setzero_pd(); Q], [_mm256_setzero_pd(); Q]);
        let mut i = 0;
        while i + 8 <= N {
            for (q, low) in low.iter_mut().enumerate() {
                let (a, b) = pairs_f64(&|k| term(r + q, k), i);
                *low = _mm256_fmadd_pd(a, b, *low);
            }
            for (q, high) in high.iter_mut().enumerate() {
                let (a, b) = pairs_f64(&|k| term(r + q, k), i + 4);
                *high = _mm256_fmadd_pd(a, b, *high);
            }
            i += 8;
        }
        if i + 4 <= N {
            for (q, low) in low.iter_mut().enumerate() {
                let (a, b) = pairs_f64(&|k| term(r + q, k), i);
                *low = _mm256_fmadd_pd(a, b, *low);
            }
        }
        (low, high)
    }
}

/// How many rows [`dot_rows_f64`] takes side by side with AVX alone, where they are long
/// enough ([`SIDE_BY_SIDE_TERMS`]): ten chains of multiply-adds in flight, where four rows'
/// eight are just what the two units' latency needs (four cycles), with no slack. (Six
/// rows, twelve chains, measured as fast in `value_and_gradient` but made the seed's `hvp`
/// 2–9 % slower.)
#[cfg(not(target_feature = "avx512f"))]
const SIDE_BY_SIDE: usize = 5;

/// From how many terms a row goes in [`SIDE_BY_SIDE`]'s groups (the seed's first layer, 52
/// terms: `value_and_gradient` 5–7 % faster, `hvp` 5–8 %; its second, 20 terms: no better).
#[cfg(not(target_feature = "avx512f"))]
const SIDE_BY_SIDE_TERMS: usize = 32;

/// How many groups of [`SIDE_BY_SIDE`] of `rows` [`dot_rows_f64`] takes before its groups
/// of four: the count that leaves the fewest rows over for single dot products, the
/// largest such (20 = 5·4, 32 = 5·4 + 4·3, 9 = 5 + 4, 7 = 5 + 1 + 1).
#[cfg(not(target_feature = "avx512f"))]
const fn side_by_side_groups(rows: usize) -> usize {
    let (mut best, mut g) = (0, 0);
    while SIDE_BY_SIDE * g <= rows {
        if (rows - SIDE_BY_SIDE * g) % 4 <= (rows - SIDE_BY_SIDE * best) % 4 {
            best = g;
        }
        g += 1;
    }
    best
}

/// The eight lanes of a `f32` dot product, likewise.
#[inline(always)]
unsafe fn lanes_f32<const N: usize>(term: &impl Fn(usize) -> (f32, f32)) -> __m256 {
    // SAFETY: as above.
    unsafe {
        let mut lanes = _mm256_setzero_ps();
        let mut i = 0;
        while i + 8 <= N {
            let (a, b) = pairs_f32(term, i);
            lanes = _mm256_fmadd_ps(a, b, lanes);
            i += 8;
        }
        half_f32::<N>(term, lanes)
    }
}

/// `lanes` with the half group past the groups of eight, if there is one, in lanes 0–3.
#[inline(always)]
unsafe fn half_f32<const N: usize>(term: &impl Fn(usize) -> (f32, f32), lanes: __m256) -> __m256 {
    let i = N / 8 * 8;
    if i + 4 > N {
        return lanes;
    }
    // SAFETY: as above.
    unsafe {
        let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
        let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
        let (a, b) = (_mm_set_ps(a3, a2, a1, a0), _mm_set_ps(b3, b2, b1, b0));
        let low = _mm_fmadd_ps(a, b, _mm256_castps256_ps128(lanes));
        _mm256_insertf128_ps(lanes, low, 0)
    }
}

/// The last few terms, one after the other, from `-0.0`: the identity of addition
/// (`x + -0.0` is `x` for every `x`, `-0.0` included, where `+0.0` would turn `-0.0` to
/// `+0.0`), so that with no terms `sum + tail` is `sum` and the compiler drops the
/// addition. That took an addition off each dot product's chain; `scripts/ab-min.sh`, two
/// alignments, Zen 4: geometric mean 0.995 and 0.994, the seed's `forward` −1.5 %, its
/// batch gradient −1.3 and −2.2 %, the wide network's −1.8 and −1.3 %.
#[inline(always)]
pub(super) fn tail<T: crate::Scalar, const N: usize>(term: &impl Fn(usize) -> (T, T)) -> T {
    let mut tail = -T::zero();
    let mut i = tail_start(N);
    while i < N {
        let (a, b) = term(i);
        tail = super::madd(a, b, tail);
        i += 1;
    }
    tail
}

/// `Σ_{i<N} a_i·b_i` in `f64`.
#[inline(always)]
pub fn dot_f64<const N: usize>(term: impl Fn(usize) -> (f64, f64)) -> f64 {
    // SAFETY: this module is compiled only with the `avx` and `fma` target features.
    unsafe {
        let (low, high) = lanes_f64::<N>(&term);
        // [l0+l4, l1+l5, l2+l6, l3+l7], then its lanes added up.
        reduce_f64(_mm256_add_pd(low, high)) + tail::<f64, N>(&term)
    }
}

/// A dot product's `[l0+l4, l1+l5, l2+l6, l3+l7]` added up: `[(l0+l4)+(l2+l6),
/// (l1+l5)+(l3+l7)]`, then its two lanes.
///
/// # Safety
/// The target has AVX.
#[inline(always)]
unsafe fn reduce_f64(four: __m256d) -> f64 {
    // SAFETY: the caller's.
    unsafe {
        let two = _mm_add_pd(_mm256_castpd256_pd128(four), _mm256_extractf128_pd(four, 1));
        _mm_cvtsd_f64(two) + _mm_cvtsd_f64(_mm_unpackhi_pd(two, two))
    }
}

/// `out[r] = Σ_{i<N} a·b` for `(a, b) = term(r, i)`, every row added up as [`dot_f64`] adds
/// it, four rows' lanes `combine`d at once, where one row at a time is a horizontal
/// reduction of shuffles and scalar additions; with AVX alone, long rows' steps five rows
/// side by side first (`SIDE_BY_SIDE`). Only up to
/// [`REGISTER_BLOCKED_TERMS`] terms in all: past them the rows come from L2, and reading four
/// at a time made the wide benchmark network's `value_and_gradient` 10 % slower (4 % with
/// its weights aligned, 2026-11-30).
#[inline(always)]
pub fn dot_rows_f64<const N: usize, const R: usize>(
    term: impl Fn(usize, usize) -> (f64, f64),
) -> [f64; R] {
    let mut out = [0.0; R];
    let mut r = 0;
    // With AVX-512, eight rows at a time: eight chains of multiply-adds, and their lanes
    // added up at once.
    #[cfg(target_feature = "avx512f")]
    while const { N * R <= REGISTER_BLOCKED_TERMS && R >= 8 } && r + 8 <= R {
        // SAFETY: the target has AVX-512F; `r + 8 <= R` keeps the store in `out`.
        unsafe {
            use super::avx512::{lanes_rows, reduce};
            let l = lanes_rows::<N, 8>(&term, r);
            let sums = reduce([l[0], l[2], l[4], l[6]], [l[1], l[3], l[5], l[7]]);
            let tail = |q: usize| tail::<f64, N>(&|i| term(r + q, i));
            let tails = _mm512_setr_pd(
                tail(0),
                tail(1),
                tail(2),
                tail(3),
                tail(4),
                tail(5),
                tail(6),
                tail(7),
            );
            _mm512_storeu_pd(out.as_mut_ptr().add(r), _mm512_add_pd(sums, tails));
        }
        r += 8;
    }
    // Four rows more the same way, half the vectors of `reduce` zeros (which LLVM folds
    // away). As four rows of the form below, the seed's first layer (16 rows, then 4) took
    // 40 ns against 29 for the 16 alone; this way 36.5 ns, and in `scripts/ab-min.sh` on
    // the Xeon, at two alignments: the seed's `forward` −2 %, `hvp` −8 to −15 %, the
    // 36-48-12-1 network's `forward` −11 to −13 % (the kernel timed alone, +3 %).
    #[cfg(target_feature = "avx512f")]
    if const { N * R <= REGISTER_BLOCKED_TERMS && R % 8 >= 4 } && r + 4 <= R {
        // SAFETY: the target has AVX-512F; `r + 4 <= R` keeps the store in `out`.
        unsafe {
            use super::avx512::{lanes_rows, reduce};
            let l = lanes_rows::<N, 4>(&term, r);
            let zero = _mm512_setzero_pd();
            let sums = reduce([l[0], l[2], zero, zero], [l[1], l[3], zero, zero]);
            let tail = |q: usize| tail::<f64, N>(&|i| term(r + q, i));
            let tails = _mm256_set_pd(tail(3), tail(2), tail(1), tail(0));
            let sums = _mm256_add_pd(_mm512_castpd512_pd256(sums), tails);
            _mm256_storeu_pd(out.as_mut_ptr().add(r), sums);
        }
        r += 4;
    }
    // With AVX alone, long rows five at a time first ([`SIDE_BY_SIDE`]). Each five see the
    // term through `black_box`: else LLVM keeps the vectors of `x` in thirteen registers
    // across the rows and, short of registers for the sums, goes a row at a time again (it
    // did so with four rows too: the seed's first layer took 1.6 to 2 times as long as the
    // same multiply-adds by `axpys`). (An `asm` block touching no memory instead, which
    // leaves the code around it free to move, measured the same.)
    #[cfg(not(target_feature = "avx512f"))]
    while const { fives(N, R) > 0 } && r < SIDE_BY_SIDE * const { fives(N, R) } {
        let term = core::hint::black_box(&term);
        // SAFETY: this module is compiled only with the `avx` and `fma` target features;
        // `r + 5 <= R` keeps the stores in `out`.
        unsafe {
            let (low, high) = lanes_rows_f64::<N, SIDE_BY_SIDE>(term, r);
            let four = |q: usize| _mm256_add_pd(low[q], high[q]);
            let tail = |q: usize| tail::<f64, N>(&|i| term(r + q, i));
            let tails = _mm256_set_pd(tail(3), tail(2), tail(1), tail(0));
            let sums = combine(four(0), four(1), four(2), four(3), tails);
            _mm256_storeu_pd(out.as_mut_ptr().add(r), sums);
            // The fifth row alone, as `dot_f64` adds it up.
            out[r + 4] = reduce_f64(four(4)) + tail(4);
        }
        r += SIDE_BY_SIDE;
    }
    // (With AVX-512 the rows above leave fewer than four: not compiled there; nor where
    // the rows by fives leave fewer.)
    #[cfg(not(target_feature = "avx512f"))]
    while const { N * R <= REGISTER_BLOCKED_TERMS && R - SIDE_BY_SIDE * fives(N, R) >= 4 }
        && r + 4 <= R
    {
        // SAFETY: this module is compiled only with the `avx` and `fma` target features;
        // `r + 4 <= R` keeps the store in `out`.
        unsafe {
            // Row `r + q`'s `[l0+l4, l1+l5, l2+l6, l3+l7]`, as `dot_f64`'s `four`.
            let four = |q: usize| {
                let (low, high) = lanes_f64::<N>(&|i| term(r + q, i));
                _mm256_add_pd(low, high)
            };
            let tail = |q: usize| tail::<f64, N>(&|i| term(r + q, i));
            let tails = _mm256_set_pd(tail(3), tail(2), tail(1), tail(0));
            let sums = combine(four(0), four(1), four(2), four(3), tails);
            _mm256_storeu_pd(out.as_mut_ptr().add(r), sums);
        }
        r += 4;
    }
    if const { rows_left(N, R) > 0 } {
        while r < R {
            out[r] = dot_f64::<N>(|i| term(r, i));
            r += 1;
        }
    }
    out
}

/// How many groups of [`SIDE_BY_SIDE`] rows [`dot_rows_f64`] takes of `r` rows of `n`
/// terms.
#[cfg(not(target_feature = "avx512f"))]
const fn fives(n: usize, r: usize) -> usize {
    if n >= SIDE_BY_SIDE_TERMS && n * r <= REGISTER_BLOCKED_TERMS {
        side_by_side_groups(r)
    } else {
        0
    }
}

/// How many of `r` rows of `n` terms [`dot_rows_f64`] leaves to single dot products: those
/// its groups of eight, four (and, with AVX alone, five) rows do not take.
const fn rows_left(n: usize, r: usize) -> usize {
    if n * r > REGISTER_BLOCKED_TERMS {
        return r;
    }
    #[cfg(target_feature = "avx512f")]
    let grouped = r;
    #[cfg(not(target_feature = "avx512f"))]
    let grouped = r - SIDE_BY_SIDE * fives(n, r);
    grouped % 4
}

/// [`sums_symmetric`](super::sums_symmetric)'s mirror in `f64`: every four-by-four block
/// below the diagonal's loaded as four rows, transposed in registers and stored as four
/// rows of the block above (element by element, a column's 51 scalar stores to as many
/// rows took about 7 % of the seed network's Hessian, by perf); the diagonal's blocks and
/// the rows past the last whole block element by element.
#[inline(always)]
pub fn mirror_f64<const N: usize>(acc: &mut [[f64; N]; N]) {
    let whole = N / 4 * 4;
    let at = acc.as_mut_ptr().cast::<f64>();
    for r in (0..whole).step_by(4) {
        for l in (0..r).step_by(4) {
            // SAFETY: this module is compiled only with AVX; `l + 4 <= r` and `r + 4 <= N`,
            // so rows `r..r + 4` lanes `l..l + 4` and rows `l..l + 4` lanes `r..r + 4` are
            // in `acc` and apart.
            unsafe {
                let row = |q: usize| _mm256_loadu_pd(at.add((r + q) * N + l));
                let (a, b, c, d) = (row(0), row(1), row(2), row(3));
                // `[a0, b0, a2, b2]`, `[a1, b1, a3, b3]`, and the same of `c`, `d`.
                let (ab_even, ab_odd) = (_mm256_unpacklo_pd(a, b), _mm256_unpackhi_pd(a, b));
                let (cd_even, cd_odd) = (_mm256_unpacklo_pd(c, d), _mm256_unpackhi_pd(c, d));
                let columns = [
                    _mm256_permute2f128_pd::<0x20>(ab_even, cd_even),
                    _mm256_permute2f128_pd::<0x20>(ab_odd, cd_odd),
                    _mm256_permute2f128_pd::<0x31>(ab_even, cd_even),
                    _mm256_permute2f128_pd::<0x31>(ab_odd, cd_odd),
                ];
                for (q, column) in columns.into_iter().enumerate() {
                    _mm256_storeu_pd(at.add((l + q) * N + r), column);
                }
            }
        }
    }
    super::mirror_from(acc, whole);
}

/// Four dot products' sums from their lanes `[l0+l4, l1+l5, l2+l6, l3+l7]` (`a`, `b`, `c`,
/// `d`) and their tails, each combined as [`dot_f64`] combines one: a transpose of the four
/// puts each combining step of all four in one vector addition. (With AVX-512, rows go
/// eight and four at a time through `avx512::reduce`.)
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
pub(super) unsafe fn combine(
    a: __m256d,
    b: __m256d,
    c: __m256d,
    d: __m256d,
    tails: __m256d,
) -> __m256d {
    // SAFETY: the caller's target has AVX.
    unsafe {
        let (ab_even, ab_odd) = (_mm256_unpacklo_pd(a, b), _mm256_unpackhi_pd(a, b));
        let (cd_even, cd_odd) = (_mm256_unpacklo_pd(c, d), _mm256_unpackhi_pd(c, d));
        // [s0 + s2] and [s1 + s3] of each, then their sum: `dot_f64`'s `two`, and its two
        // lanes added.
        let even = _mm256_add_pd(
            _mm256_permute2f128_pd::<0x20>(ab_even, cd_even),
            _mm256_permute2f128_pd::<0x31>(ab_even, cd_even),
        );
        let odd = _mm256_add_pd(
            _mm256_permute2f128_pd::<0x20>(ab_odd, cd_odd),
            _mm256_permute2f128_pd::<0x31>(ab_odd, cd_odd),
        );
        _mm256_add_pd(_mm256_add_pd(even, odd), tails)
    }
}

/// `Σ_{i<N} a_i·b_i` in `f32`.
#[inline(always)]
pub fn dot_f32<const N: usize>(term: impl Fn(usize) -> (f32, f32)) -> f32 {
    // SAFETY: as above.
    unsafe { reduce_f32(lanes_f32::<N>(&term)) + tail::<f32, N>(&term) }
}

/// A `f32` dot product's eight lanes added up: lanes four apart, then two apart, then the
/// last two (as in `f64`).
#[inline(always)]
unsafe fn reduce_f32(lanes: __m256) -> f32 {
    // SAFETY: the caller's target has AVX.
    unsafe {
        let four = _mm_add_ps(
            _mm256_castps256_ps128(lanes),
            _mm256_extractf128_ps(lanes, 1),
        );
        let two = _mm_add_ps(four, _mm_movehl_ps(four, four));
        let one = _mm_add_ss(two, _mm_shuffle_ps(two, two, 1));
        _mm_cvtss_f32(one)
    }
}

/// `out[r] = Σ_{i<N} a·b` for `(a, b) = term(r, i)` in `f32`, each row its [`dot_f32`]:
/// eight rows' steps side by side (eight chains of multiply-adds in flight, where a row
/// alone is one: its eight lanes are one vector) and their lanes added up at once
/// ([`reduce8_f32`], where a row alone is a horizontal reduction of its own); then four
/// rows' steps side by side; then single rows. (Against four rows side by side, each
/// reduced alone: the seed's `f32` `value_and_gradient` 8 % faster built for AVX2, 0–6 %
/// for AVX-512, the wide network's 3–4 % for AVX-512; `scripts/ab-min.sh` on the Xeon.)
#[inline(always)]
pub fn dot_rows_f32<const N: usize, const R: usize>(
    term: impl Fn(usize, usize) -> (f32, f32),
) -> [f32; R] {
    let mut out = [0.0; R];
    let mut r = 0;
    while r + 8 <= R {
        // SAFETY: this module is compiled only with the `avx` and `fma` target features;
        // `r + 8 <= R` keeps the store in `out`.
        unsafe {
            let lanes = lanes_rows_f32::<N, 8>(&term, r);
            let tail = |q: usize| tail::<f32, N>(&|k| term(r + q, k));
            let tails = _mm256_setr_ps(
                tail(0),
                tail(1),
                tail(2),
                tail(3),
                tail(4),
                tail(5),
                tail(6),
                tail(7),
            );
            let sums = _mm256_add_ps(reduce8_f32(lanes), tails);
            _mm256_storeu_ps(out.as_mut_ptr().add(r), sums);
        }
        r += 8;
    }
    while r + 4 <= R {
        // SAFETY: as above.
        unsafe {
            let lanes = lanes_rows_f32::<N, 4>(&term, r);
            for (q, &lanes) in lanes.iter().enumerate() {
                out[r + q] = reduce_f32(lanes) + tail::<f32, N>(&|k| term(r + q, k));
            }
        }
        r += 4;
    }
    while r < R {
        out[r] = dot_f32::<N>(|i| term(r, i));
        r += 1;
    }
    out
}

/// [`lanes_f32`] of `Q` rows, `term(r + q, i)` for row `q`, their steps side by side.
#[inline(always)]
unsafe fn lanes_rows_f32<const N: usize, const Q: usize>(
    term: &impl Fn(usize, usize) -> (f32, f32),
    r: usize,
) -> [__m256; Q] {
    // SAFETY: the caller's target has AVX and FMA.
    unsafe {
        let mut lanes = [_mm256_setzero_ps(); Q];
        let mut i = 0;
        while i + 8 <= N {
            for (q, lanes) in lanes.iter_mut().enumerate() {
                let (a, b) = pairs_f32(&|k| term(r + q, k), i);
                *lanes = _mm256_fmadd_ps(a, b, *lanes);
            }
            i += 8;
        }
        for (q, lanes) in lanes.iter_mut().enumerate() {
            *lanes = half_f32::<N>(&|k| term(r + q, k), *lanes);
        }
        lanes
    }
}

/// Eight `f32` dot products' lanes added up as [`reduce_f32`] adds one's (lanes four apart,
/// then two apart, then the last two), each step for all eight rows at once: shuffles of
/// pairs and one vector addition per two, four and eight rows. Returns the eight sums in
/// order.
#[inline(always)]
unsafe fn reduce8_f32(v: [__m256; 8]) -> __m256 {
    // SAFETY: the caller's target has AVX.
    unsafe {
        // `[four(q) | four(q + 4)]`, `four = [l0+l4, l1+l5, l2+l6, l3+l7]`.
        let four = |q: usize| {
            _mm256_add_ps(
                _mm256_permute2f128_ps::<0x20>(v[q], v[q + 4]),
                _mm256_permute2f128_ps::<0x31>(v[q], v[q + 4]),
            )
        };
        // `[two(q), two(q + 1) | two(q + 4), two(q + 5)]`, `two = [f0+f2, f1+f3]`.
        let two = |q: usize| {
            let (a, b) = (four(q), four(q + 1));
            _mm256_add_ps(
                _mm256_shuffle_ps::<0x44>(a, b),
                _mm256_shuffle_ps::<0xee>(a, b),
            )
        };
        // `[one(0), one(1), one(2), one(3) | one(4), …]`, `one = t0 + t1`.
        let (a, b) = (two(0), two(2));
        _mm256_add_ps(
            _mm256_shuffle_ps::<0x88>(a, b),
            _mm256_shuffle_ps::<0xdd>(a, b),
        )
    }
}

/// A kind of vector register of scalars `T`, and what the kernels do with it.
pub trait Vector<T> {
    /// `__m256d`, `__m512` and so on.
    type V: Copy;
    /// Lanes in [`Self::V`].
    const W: usize;

    /// `term(i)`, …, `term(i + W - 1)` as two vectors.
    ///
    /// # Safety
    /// The target has `Self`'s vectors.
    unsafe fn pairs(term: &impl Fn(usize) -> (T, T), i: usize) -> (Self::V, Self::V);

    /// `a·b + c`, rounded once per lane.
    ///
    /// # Safety
    /// The target has `Self`'s vectors and FMA.
    unsafe fn fmadd(a: Self::V, b: Self::V, c: Self::V) -> Self::V;

    /// `a·b`, rounded once per lane.
    ///
    /// # Safety
    /// The target has `Self`'s vectors.
    unsafe fn mul(a: Self::V, b: Self::V) -> Self::V;

    /// The `W` values from `at` on.
    ///
    /// # Safety
    /// The target has `Self`'s vectors, and `at` points at `W` values.
    unsafe fn load(at: *const T) -> Self::V;

    /// Writes `v` to the `W` values from `at` on.
    ///
    /// # Safety
    /// The target has `Self`'s vectors, and `at` points at `W` values.
    unsafe fn store(at: *mut T, v: Self::V);
}

/// AVX's 256-bit registers: four `f64` or eight `f32`.
pub struct Avx;

impl Vector<f64> for Avx {
    type V = __m256d;
    const W: usize = 4;

    #[inline(always)]
    unsafe fn pairs(term: &impl Fn(usize) -> (f64, f64), i: usize) -> (__m256d, __m256d) {
        // SAFETY: the caller's.
        unsafe { pairs_f64(term, i) }
    }

    #[inline(always)]
    unsafe fn fmadd(a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        // SAFETY: the caller's.
        unsafe { _mm256_fmadd_pd(a, b, c) }
    }

    #[inline(always)]
    unsafe fn mul(a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the caller's.
        unsafe { _mm256_mul_pd(a, b) }
    }

    #[inline(always)]
    unsafe fn load(at: *const f64) -> __m256d {
        // SAFETY: the caller's.
        unsafe { _mm256_loadu_pd(at) }
    }

    #[inline(always)]
    unsafe fn store(at: *mut f64, v: __m256d) {
        // SAFETY: the caller's.
        unsafe { _mm256_storeu_pd(at, v) }
    }
}

impl Vector<f32> for Avx {
    type V = __m256;
    const W: usize = 8;

    #[inline(always)]
    unsafe fn pairs(term: &impl Fn(usize) -> (f32, f32), i: usize) -> (__m256, __m256) {
        // SAFETY: the caller's.
        unsafe { pairs_f32(term, i) }
    }

    #[inline(always)]
    unsafe fn fmadd(a: __m256, b: __m256, c: __m256) -> __m256 {
        // SAFETY: the caller's.
        unsafe { _mm256_fmadd_ps(a, b, c) }
    }

    #[inline(always)]
    unsafe fn mul(a: __m256, b: __m256) -> __m256 {
        // SAFETY: the caller's.
        unsafe { _mm256_mul_ps(a, b) }
    }

    #[inline(always)]
    unsafe fn load(at: *const f32) -> __m256 {
        // SAFETY: the caller's.
        unsafe { _mm256_loadu_ps(at) }
    }

    #[inline(always)]
    unsafe fn store(at: *mut f32, v: __m256) {
        // SAFETY: the caller's.
        unsafe { _mm256_storeu_ps(at, v) }
    }
}

/// SSE's 128-bit registers, VEX-encoded with FMA: two `f64` or four `f32`, for the last
/// lanes of a row past AVX's vectors (each lane still its own chain of multiply-adds, in
/// order: the bits of the lanes one by one).
pub struct Sse;

impl Vector<f64> for Sse {
    type V = __m128d;
    const W: usize = 2;

    #[inline(always)]
    unsafe fn pairs(term: &impl Fn(usize) -> (f64, f64), i: usize) -> (__m128d, __m128d) {
        let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
        // SAFETY: the caller's.
        unsafe { (_mm_set_pd(a1, a0), _mm_set_pd(b1, b0)) }
    }

    #[inline(always)]
    unsafe fn fmadd(a: __m128d, b: __m128d, c: __m128d) -> __m128d {
        // SAFETY: the caller's.
        unsafe { _mm_fmadd_pd(a, b, c) }
    }

    #[inline(always)]
    unsafe fn mul(a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: the caller's.
        unsafe { _mm_mul_pd(a, b) }
    }

    #[inline(always)]
    unsafe fn load(at: *const f64) -> __m128d {
        // SAFETY: the caller's.
        unsafe { _mm_loadu_pd(at) }
    }

    #[inline(always)]
    unsafe fn store(at: *mut f64, v: __m128d) {
        // SAFETY: the caller's.
        unsafe { _mm_storeu_pd(at, v) }
    }
}

impl Vector<f32> for Sse {
    type V = __m128;
    const W: usize = 4;

    #[inline(always)]
    unsafe fn pairs(term: &impl Fn(usize) -> (f32, f32), i: usize) -> (__m128, __m128) {
        let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
        let ((a2, b2), (a3, b3)) = (term(i + 2), term(i + 3));
        // SAFETY: the caller's.
        unsafe { (_mm_set_ps(a3, a2, a1, a0), _mm_set_ps(b3, b2, b1, b0)) }
    }

    #[inline(always)]
    unsafe fn fmadd(a: __m128, b: __m128, c: __m128) -> __m128 {
        // SAFETY: the caller's.
        unsafe { _mm_fmadd_ps(a, b, c) }
    }

    #[inline(always)]
    unsafe fn mul(a: __m128, b: __m128) -> __m128 {
        // SAFETY: the caller's.
        unsafe { _mm_mul_ps(a, b) }
    }

    #[inline(always)]
    unsafe fn load(at: *const f32) -> __m128 {
        // SAFETY: the caller's.
        unsafe { _mm_loadu_ps(at) }
    }

    #[inline(always)]
    unsafe fn store(at: *mut f32, v: __m128) {
        // SAFETY: the caller's.
        unsafe { _mm_storeu_ps(at, v) }
    }
}

/// The widest vectors the target has: AVX-512's where it has them.
#[cfg(target_feature = "avx512f")]
pub type Wide = super::avx512::Avx512;
/// The widest vectors the target has: AVX-512's where it has them.
#[cfg(not(target_feature = "avx512f"))]
pub type Wide = Avx;

/// Whether rows of `N` lanes go in [`Wide`] vectors: wherever they fill one. What is left
/// past the last whole one goes in AVX vectors, then lane by lane ([`held`]); left lane by
/// lane from AVX-512's vectors, or masked, the seed network's gradient (rows of 20 and 52)
/// took 10 % longer than in AVX's alone, while with AVX's for the rest it took 10–15 % less
/// (A/B, four rounds).
const fn wide<T, const N: usize>() -> bool
where
    Wide: Vector<T>,
{
    N >= <Wide as Vector<T>>::W
}

/// From how many lanes [`axpys`] takes rows of `f32` in [`Wide`] vectors. Shorter ones go
/// in AVX's: with AVX-512, the seed's `f32` `value_and_gradient` (rows of 20 and 52)
/// measured 11–22 % faster so (`scripts/ab-min.sh`, two alignments, the Xeon), the wide
/// network's (64 and 128) 6 % slower with all its rows so. Why, I did not find (this VM
/// has no performance counters): timed alone, the seed's reverse first-layer `axpys`
/// took 22.3 ns in AVX-512's vectors and 23.6 built for AVX2.
const WIDE_F32_FROM: usize = 64;

/// `acc[l] = Σ_{v<V} a·b + acc[l]` for `(a, b) = term(v, l)`, for `l < len` (`len <= N`,
/// and `len == N` if `WHOLE`), each lane's terms in order of `v`: in [`held`] registers,
/// or, past [`REGISTER_BLOCKED_TERMS`], one `v` after the other.
#[inline(always)]
pub fn axpys<T: crate::Scalar, const N: usize, const V: usize, const WHOLE: bool>(
    acc: &mut [T; N],
    len: usize,
    term: impl Fn(usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
    Wide: Vector<T>,
{
    if const { wide::<T, N>() && (size_of::<T>() == 8 || N >= WIDE_F32_FROM) } {
        axpys_in::<T, Wide, N, V, WHOLE>(acc, len, None, term)
    } else {
        axpys_in::<T, Avx, N, V, WHOLE>(acc, len, None, term)
    }
}

/// [`scaled_axpys_of`](super::scaled_axpys_of)'s sums: `out[l] = scale[l] · Σ_{v<V} a·b`
/// for `(a, b) = term(v, l)`, [`axpys`]' sums from zero, each multiplied by its scale on
/// its way out of the registers.
#[inline(always)]
pub fn scaled_axpys<T: crate::Scalar, const N: usize, const V: usize>(
    out: &mut [T; N],
    scale: &[T; N],
    term: impl Fn(usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
    Wide: Vector<T>,
{
    if const { wide::<T, N>() && (size_of::<T>() == 8 || N >= WIDE_F32_FROM) } {
        axpys_in::<T, Wide, N, V, true>(out, N, Some(scale), term)
    } else {
        axpys_in::<T, Avx, N, V, true>(out, N, Some(scale), term)
    }
}

/// From how many lanes [`axpys`] in `f64` takes its terms through `black_box` (with AVX but
/// not AVX-512, where it was measured).
const OPAQUE_FROM: usize = 32;

/// [`axpys`] in vectors `X`; with a `scale`, [`scaled_axpys`].
#[inline(always)]
fn axpys_in<T: crate::Scalar, X: Vector<T>, const N: usize, const V: usize, const WHOLE: bool>(
    acc: &mut [T; N],
    len: usize,
    scale: Option<&[T; N]>,
    term: impl Fn(usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
{
    let len = len.min(N);
    if const { N * V > REGISTER_BLOCKED_TERMS } {
        // Row after row: `acc` stays in L1, the matrix is read in order.
        if scale.is_some() {
            acc.fill(T::zero());
        }
        let rows = core::slice::from_mut(acc);
        for v in 0..V {
            held::<T, X, N, 1, WHOLE>(rows, len, Part::ONTO, v..v + 1, |_, v, l| term(v, l));
        }
        if let Some(scale) = scale {
            super::scale_rows(rows, core::slice::from_ref(scale));
        }
    } else {
        // Long rows of `f64` see the terms through `black_box`: else, where the factors
        // were just computed (a reverse sweep's `δ`), LLVM keeps them in registers,
        // broadcasts each with a shuffle (on a unit the multiply-adds need) and, in the
        // seed's `hvp`, spilled other values to make room. The seed's `hvp` −13 to −14 %,
        // `hessian` −3 to −6 %, `value_and_gradient` the same (two A/Bs); with every row
        // so, its `value_and_gradient` was 2–5 % slower (its short reverse sums wait on
        // the reload), and in `f32` 8 %.
        let opaque =
            cfg!(not(target_feature = "avx512f")) && size_of::<T>() == 8 && N >= OPAQUE_FROM;
        let term = if opaque {
            core::hint::black_box(&term)
        } else {
            &term
        };
        // With a scale, the sums start from zero and leave scaled.
        let part = Part {
            fresh: scale.is_some(),
            scale: scale.map(|scale| scale.as_ptr()),
        };
        let rows = core::slice::from_mut(acc);
        held::<T, X, N, 1, WHOLE>(rows, len, part, 0..V, |_, v, l| term(v, l));
    }
}

/// [`sums_rows`](super::sums_rows): `acc[r][l] = Σ_v a·b` for `(a, b) = term(r, v, l)`,
/// rows side by side in registers, two or four at a time, so that eight vectors of sums are
/// in flight (a multiply-add's latency, four cycles, times its two units), and twice as
/// many with AVX-512's registers; one row alone would leave the units waiting half the
/// time. `acc` is written, never read: its sums start at zero in registers. If `LOWER`,
/// each row's lanes only up to the end of the vector its diagonal falls in, or a little
/// past ([`triangle`], for [`sums_symmetric`](super::sums_symmetric)). With a `scale` (as
/// many rows as `acc`), each sum is multiplied by its element on its way to `acc`
/// ([`scaled_sums_rows`](super::scaled_sums_rows)).
#[inline(always)]
pub fn sums_rows<
    T: crate::Scalar,
    const N: usize,
    const V: usize,
    const R: usize,
    const LOWER: bool,
>(
    acc: &mut [[T; N]; R],
    scale: Option<&[[T; N]; R]>,
    add: bool,
    term: impl Fn(usize, usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
    Wide: Vector<T>,
{
    if const { wide::<T, N>() } {
        sums_rows_in::<T, Wide, N, V, R, LOWER>(acc, scale, add, term)
    } else {
        sums_rows_in::<T, Avx, N, V, R, LOWER>(acc, scale, add, term)
    }
}

/// [`sums_rows`] in vectors `X`.
#[inline(always)]
fn sums_rows_in<
    T: crate::Scalar,
    X: Vector<T>,
    const N: usize,
    const V: usize,
    const R: usize,
    const LOWER: bool,
>(
    acc: &mut [[T; N]; R],
    scale: Option<&[[T; N]; R]>,
    add: bool,
    term: impl Fn(usize, usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
{
    // No terms: sums of zero, as the scalar form has them.
    if const { V == 0 } {
        if !add {
            acc.fill([T::zero(); N]);
        }
        if let Some(scale) = scale {
            super::scale_rows(acc, scale);
        }
        return;
    }
    const M: usize = if cfg!(target_feature = "avx512f") {
        2
    } else {
        1
    };
    // Past what L1 holds (`REGISTER_BLOCKED_TERMS`), `streamed` where it can: every term
    // at once, in tiles of eight rows by two vectors (four by two with AVX's 16
    // registers), so that each vector of the matrix, read from L2, serves eight rows, and
    // no sum leaves the registers before its last term. That needs the rows' factors (one
    // a row and term) to stay in L1 while the lanes go by, a block's are, and rows enough
    // to fill a tile; else (and for a symmetric matrix, whose groups of rows end at their
    // diagonals), `V_BLOCK` terms at a time, each block's part of the matrix read from L2
    // once and then by every group from L1, the sums stored and loaded again between
    // blocks. Streamed, the wide network's batch gradient took −0.5 % with AVX-512 (both
    // alignments) and −4 % with AVX alone (`scripts/ab-min.sh`); its reverse sums of 128
    // terms, timed alone in a scratch program, 663 → 588 ns a sample (564 at the peak;
    // sixteen rows by one vector: 607). With the Hessian's 128 rows of factors, the AVX
    // build's `hessian` took 17 % longer.
    //
    // Which of the branches below a call takes is known from its sizes: in `const`
    // blocks, those it does not take are not compiled (a program calling every method of
    // the seed network built 10–15 % faster for `native`; docs/performance-log.md, "The
    // eighteenth session").
    let streamed = const { streams(N, V, R, LOWER, M) };
    let step = if N * V > REGISTER_BLOCKED_TERMS && !streamed {
        V_BLOCK
    } else {
        V
    };
    for from in (0..V).step_by(step.max(1)) {
        let terms = from..(from + step).min(V);
        // The first terms start the sums from zero (unless `add`); the others add to them;
        // the last scale them.
        let part = Part {
            fresh: from == 0 && !add,
            scale: scale
                .filter(|_| terms.end == V)
                .map(|scale| scale.as_ptr().cast::<T>()),
        };
        if LOWER {
            triangle::<T, X, N, { 2 * M }>(acc, part, &terms, &term);
            continue;
        }
        // The lanes in chunks of up to four vectors, each chunk of every row before the
        // next: as many rows side by side as make eight vectors of sums in flight (a
        // multiply-add's latency, four cycles, times its two units). Fewer, and each chain
        // of dependent multiply-adds keeps the units waiting: by that count, the seed
        // network's rows of 52 lanes (6.5 vectors), two rows at a time, would spend two
        // thirds of their time on the last 2.5 (not measured apart; the A/B of the change
        // was within its noise). With AVX-512's 32 registers, twice the rows (`M`; four
        // rather than three where three vectors remain, six not tried): a term loads a
        // vector per chunk vector and a factor per row, six loads for eight multiply-adds
        // two rows by four vectors, eight for sixteen four by four, and on a Xeon the
        // loads bound these sums (`scripts/l1-loads.sh`: 512-bit loads feed
        // multiply-adds at 0.78 of their rate, 0.43 where they straddle cache lines, as
        // every other row of 52 `f64` does). The seed's `laplacian` −4 to −10 %,
        // `hessian_to` −5 to −7 %, batch gradient −4 % (`f32` −9 %), the wide network's
        // `hessian` −10 to −16 % (four A/Bs, two alignments). Five rows by four vectors
        // made the wide network's batch gradient and Hessian 14–16 % slower.
        let mut l = 0;
        if const { streams(N, V, R, LOWER, M) } {
            while l + 2 * X::W <= N {
                chunk::<T, X, N, R, 2, { 4 * M }, { 2 * M }, M>(acc, l, part, &terms, &term);
                l += 2 * X::W;
            }
        }
        while const { N - streamed_end(N, X::W, streams(N, V, R, LOWER, M)) >= 4 * X::W }
            && l + 4 * X::W <= N
        {
            chunk::<T, X, N, R, 4, { 2 * M }, M, 1>(acc, l, part, &terms, &term);
            l += 4 * X::W;
        }
        match const { left(N, X::W, streams(N, V, R, LOWER, M)) / X::W } {
            3 => chunk::<T, X, N, R, 3, { 2 + M }, 2, 1>(acc, l, part, &terms, &term),
            2 => chunk::<T, X, N, R, 2, { 4 * M }, { 2 * M }, M>(acc, l, part, &terms, &term),
            1 => chunk::<T, X, N, R, 1, 8, 4, 2>(acc, l, part, &terms, &term),
            _ => {}
        }
        l += (N - l) / X::W * X::W;
        // What is left past AVX-512's vectors, in AVX's, then in SSE's; then single lanes.
        if const { left(N, X::W, streams(N, V, R, LOWER, M)) % X::W >= <Avx as Vector<T>>::W } {
            chunk::<T, Avx, N, R, 1, 8, 4, 2>(acc, l, part, &terms, &term);
            l += <Avx as Vector<T>>::W;
        }
        if const {
            sse_rest::<T, N, R>()
                && left(N, X::W, streams(N, V, R, LOWER, M)) % <Avx as Vector<T>>::W
                    >= <Sse as Vector<T>>::W
        } {
            chunk::<T, Sse, N, R, 1, 8, 4, 2>(acc, l, part, &terms, &term);
            l += <Sse as Vector<T>>::W;
        }
        // Single lanes, where the vectors leave some.
        if const { left(N, X::W, streams(N, V, R, LOWER, M)).is_multiple_of(rest_width::<T, N, R>()) }
        {
            continue;
        }
        for (r, row) in acc.iter_mut().enumerate() {
            for (l, lane) in row.iter_mut().enumerate().skip(l) {
                let mut sum = if part.fresh { T::zero() } else { *lane };
                for v in terms.clone() {
                    let (a, b) = term(r, v, l);
                    sum = super::madd(a, b, sum);
                }
                *lane = match scale {
                    Some(scale) if part.scale.is_some() => scale[r][l] * sum,
                    _ => sum,
                };
            }
        }
    }
}

/// Whether [`sums_rows_in`] takes what AVX's vectors leave of rows of `N` lanes in SSE's
/// (else lane by lane): past at least one vector, for eight rows or more (a block's). So,
/// on the Xeon (`scripts/ab-min.sh`, two alignments): the seed's `f32` batch gradient −27 %
/// (its rows of 52 leave four lanes), a 30-30-30-1 network's batch `laplacian` −20 %, a
/// 10-10-10-1 network's −10 %, nothing else beyond ±3.5 %; built for `x86-64-v3`, the first
/// two −16 and −19 %, the 10-10-10-1 network's batch `value_gradient_laplacian` +6 %. A
/// single call's few rows, latency-bound, were slower so: a 32-32-6 network's Jacobian of
/// three inputs +7 to +12 %, a 10-10-10-1 network's `hvp` +4 to +6 %.
const fn sse_rest<T, const N: usize, const R: usize>() -> bool
where
    Avx: Vector<T>,
{
    N >= <Avx as Vector<T>>::W && R >= 8
}

/// The narrowest vectors [`sums_rows_in`] takes a row's last lanes in: SSE's where
/// [`sse_rest`], else AVX's.
const fn rest_width<T, const N: usize, const R: usize>() -> usize
where
    Avx: Vector<T>,
    Sse: Vector<T>,
{
    if sse_rest::<T, N, R>() {
        <Sse as Vector<T>>::W
    } else {
        <Avx as Vector<T>>::W
    }
}

/// Whether [`sums_rows_in`] streams the terms of `rows` rows of `n` lanes and `v` terms
/// (`m` the tiles' vectors a row; see there).
const fn streams(n: usize, v: usize, rows: usize, lower: bool, m: usize) -> bool {
    n * v > REGISTER_BLOCKED_TERMS && !lower && rows >= 4 * m && rows * v <= REGISTER_BLOCKED_TERMS
}

/// Where [`sums_rows_in`]'s loop over chunks of two vectors of `w` lanes (if `streamed`)
/// ends in a row of `n` lanes.
const fn streamed_end(n: usize, w: usize, streamed: bool) -> usize {
    if streamed { n / (2 * w) * (2 * w) } else { 0 }
}

/// How many of a row's `n` lanes [`sums_rows_in`]'s loops over chunks of two (if
/// `streamed`) and then four vectors of `w` lanes leave.
const fn left(n: usize, w: usize, streamed: bool) -> usize {
    let l = streamed_end(n, w, streamed);
    n - l - (n - l) / (4 * w) * (4 * w)
}

/// A lower triangle's rows of [`sums_rows`], `G` at a time, each group's lanes up to the
/// end of the vector its last row's diagonal falls in ([`held`]); the rows left one by one.
/// The lanes past a row's diagonal are computed as the others are (the mirror overwrites
/// them). Against each chunk of lanes going through every row from the first whose
/// diagonal it reaches (four vectors of lanes for the first 32 rows: for the seed's
/// Hessian, 5,040 vectors of multiply-adds where 3,920 do), the seed's `hessian_to` −8.4
/// and −6.8 %, its `hessian` −6.2 and −6.8 %, the wide network's −1 to −2 %
/// (`scripts/ab-min.sh`, two alignments); built for AVX alone, −3 % and −0.5 %. The first
/// rows eight at a time (more chains of multiply-adds for their short rows) measured the
/// same, on Zen 4 and on a Xeon.
#[inline(always)]
fn triangle<T: crate::Scalar, X: Vector<T>, const N: usize, const G: usize>(
    acc: &mut [[T; N]],
    part: Part<T>,
    terms: &Range<usize>,
    term: &impl Fn(usize, usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
{
    // A square's rows: as many as lanes (the remainder's guard below counts on it).
    debug_assert_eq!(acc.len(), N);
    let len = |end: usize| N.min(end.div_ceil(X::W) * X::W);
    let mut r = 0;
    let mut groups = acc.chunks_exact_mut(G);
    for rows in &mut groups {
        held::<T, X, N, G, false>(rows, len(r + G), part, terms.clone(), |g, v, l| {
            term(r + g, v, l)
        });
        r += G;
    }
    // The rows left one by one, where there are (else not compiled).
    if const { !N.is_multiple_of(G) } {
        for row in groups.into_remainder().chunks_mut(1) {
            held::<T, X, N, 1, false>(row, len(r + 1), part, terms.clone(), |_, v, l| {
                term(r, v, l)
            });
            r += 1;
        }
    }
}

/// Lanes `l..l + R·W` of every row of `acc`, summed over `terms` (from zero if `part.fresh`,
/// else onto what is there): `G` rows at a time,
/// then `H`, then `I`, then one by one (a block's 16 rows in groups of `G` alone; the
/// seed network's 10, in eights and twos).
#[inline(always)]
fn chunk<
    T: crate::Scalar,
    X: Vector<T>,
    const N: usize,
    const ROWS: usize,
    const R: usize,
    const G: usize,
    const H: usize,
    const I: usize,
>(
    acc: &mut [[T; N]; ROWS],
    l: usize,
    part: Part<T>,
    terms: &Range<usize>,
    term: &impl Fn(usize, usize, usize) -> (T, T),
) {
    // Each size of group only where rows are left for it (known from `ROWS`: the others
    // are not compiled).
    let mut rest: &mut [[T; N]] = acc;
    if const { ROWS >= G } {
        rest = groups::<T, X, N, R, G>(rest, 0, l, part, terms, term);
    }
    if const { ROWS % G >= H } {
        rest = groups::<T, X, N, R, H>(rest, ROWS - rest.len(), l, part, terms, term);
    }
    if const { ROWS % G % H >= I } {
        rest = groups::<T, X, N, R, I>(rest, ROWS - rest.len(), l, part, terms, term);
    }
    if const { ROWS % G % H % I >= 1 } {
        groups::<T, X, N, R, 1>(rest, ROWS - rest.len(), l, part, terms, term);
    }
}

/// What part of the sums a pass of [`sums_rows`] computes: the first terms (`fresh`: from
/// zero), or more onto them; and, for the last terms of scaled sums, the scale's first
/// element (`scale`: row `r`'s lane `l` at `scale + r·N + l`).
#[derive(Clone, Copy)]
struct Part<T> {
    fresh: bool,
    scale: Option<*const T>,
}

impl<T> Part<T> {
    /// Every lane, onto what is there.
    const ONTO: Self = Self {
        fresh: false,
        scale: None,
    };
}

/// [`chunk`]'s rows `from..` (`rows`), `G` at a time; returns those left over.
#[inline(always)]
fn groups<'a, T: crate::Scalar, X: Vector<T>, const N: usize, const R: usize, const G: usize>(
    rows: &'a mut [[T; N]],
    from: usize,
    l: usize,
    part: Part<T>,
    terms: &Range<usize>,
    term: &impl Fn(usize, usize, usize) -> (T, T),
) -> &'a mut [[T; N]] {
    let mut r = from;
    let mut groups = rows.chunks_exact_mut(G);
    for rows in &mut groups {
        // SAFETY: the target has AVX and FMA (and AVX-512F if `X` is its vectors); the
        // caller keeps `l + R·W <= N`, and there are `G` rows (in the scale too, whose rows
        // are `acc`'s, of which these are `r..r + G`).
        unsafe {
            let at = rows.as_mut_ptr().cast::<T>().add(l);
            let scale = part.scale.map(|scale| scale.add(r * N + l));
            let term = |g, v, i| term(r + g, v, i);
            columns::<T, X, N, R, G>(at, l, part.fresh, scale, terms, &term);
        }
        r += G;
    }
    groups.into_remainder()
}

/// Lanes `l < len` of the `G` rows of `rows` (`G` of them), summed over `terms` as `part`
/// says: in vectors `X`, up to four of each row at a time held in
/// registers; then, if the rest fills AVX vectors (what is left from AVX-512's), in those;
/// then single lanes. If `WHOLE`, `len` is `N`, and which of those a call takes is known
/// from `N`: in `const` blocks, the others are not compiled (LLVM would drop them once it
/// knew `len`, but only after inlining every one; with the other such choices, a program
/// calling every method of the seed network built in a fifth less time for `native`,
/// docs/performance-log.md, "The twenty-eighth session").
#[inline(always)]
fn held<T: crate::Scalar, X: Vector<T>, const N: usize, const G: usize, const WHOLE: bool>(
    rows: &mut [[T; N]],
    len: usize,
    part: Part<T>,
    terms: Range<usize>,
    term: impl Fn(usize, usize, usize) -> (T, T),
) where
    Avx: Vector<T>,
    Sse: Vector<T>,
{
    debug_assert_eq!(rows.len(), G);
    let mut l = vectors::<T, X, N, G, WHOLE>(rows, len, part, &terms, &term);
    // Fewer lanes than a vector `X` are left: at most one AVX vector of them.
    if const { !WHOLE || N % X::W >= <Avx as Vector<T>>::W } && l + <Avx as Vector<T>>::W <= len {
        // SAFETY: the target has AVX and FMA; `l + W <= len <= N` keeps each row's lanes
        // in its row (and the scale's), and there are `G` rows.
        unsafe {
            let at = rows.as_mut_ptr().cast::<T>().add(l);
            let scale = part.scale.map(|scale| scale.add(l));
            columns::<T, Avx, N, 1, G>(at, l, part.fresh, scale, &terms, &term);
        }
        l += <Avx as Vector<T>>::W;
    }
    if const { WHOLE && N.is_multiple_of(<Avx as Vector<T>>::W) } {
        return;
    }
    for (g, row) in rows.iter_mut().enumerate() {
        for (l, lane) in row.iter_mut().enumerate().take(len).skip(l) {
            let mut sum = if part.fresh { T::zero() } else { *lane };
            for v in terms.clone() {
                let (a, b) = term(g, v, l);
                sum = super::madd(a, b, sum);
            }
            *lane = match part.scale {
                // SAFETY: the scale has `G` rows of `N`, as `rows` has.
                Some(scale) => (unsafe { *scale.add(g * N + l) }) * sum,
                None => sum,
            };
        }
    }
}

/// Lanes of [`held`]'s rows in as many whole vectors `X` as fit before `len`, as `part`
/// says (if `WHOLE`, only the sizes of [`columns`] that rows of `N` take are compiled);
/// returns where they end.
#[inline(always)]
fn vectors<T: crate::Scalar, X: Vector<T>, const N: usize, const G: usize, const WHOLE: bool>(
    rows: &mut [[T; N]],
    len: usize,
    part: Part<T>,
    terms: &Range<usize>,
    term: &impl Fn(usize, usize, usize) -> (T, T),
) -> usize {
    let at = rows.as_mut_ptr().cast::<T>();
    // SAFETY (of `add`): the scale has as many rows of `N` as `rows`, and `l < N`.
    let scale = |l: usize| part.scale.map(|scale| unsafe { scale.add(l) });
    let mut l = 0;
    while const { !WHOLE || N >= 4 * X::W } && l + 4 * X::W <= len {
        // SAFETY: the target has AVX and FMA (and AVX-512F if `X` is its vectors); `l +
        // 4·W <= len <= N` keeps each row's lanes in its row, and there are `G` rows.
        unsafe { columns::<T, X, N, 4, G>(at.add(l), l, part.fresh, scale(l), terms, term) };
        l += 4 * X::W;
    }
    // SAFETY: as above, with `l + vectors·W <= len`.
    unsafe {
        match (len - l) / X::W {
            3 if const { !WHOLE || N % (4 * X::W) / X::W == 3 } => {
                columns::<T, X, N, 3, G>(at.add(l), l, part.fresh, scale(l), terms, term)
            }
            2 if const { !WHOLE || N % (4 * X::W) / X::W == 2 } => {
                columns::<T, X, N, 2, G>(at.add(l), l, part.fresh, scale(l), terms, term)
            }
            1 if const { !WHOLE || N % (4 * X::W) / X::W == 1 } => {
                columns::<T, X, N, 1, G>(at.add(l), l, part.fresh, scale(l), terms, term)
            }
            _ => {}
        }
    }
    l + (len - l) / X::W * X::W
}

/// Lanes `l..l + R·W` of `G` rows `N` apart, the first at `at`, summed over `terms` in `G·R`
/// registers: from zero if `fresh` (what is at `at` is not read), else onto what is there;
/// each multiplied by the element as far from `scale` as it is from `at`, if there is a
/// `scale`.
///
/// # Safety
/// The target has `X`'s vectors and FMA, and `at + g·N` (and `scale + g·N`) points at `R·W`
/// values for each `g < G`.
// The registers are loaded and stored by index, which leaves LLVM less to take apart
// before it unrolls those loops than iterators do: the seed network's code is the same,
// and a program calling its every method built in 0.5–4 % less time `native` (four sets
// of eight to ten builds of each by turns on a Zen 4; docs/compile-times.md). The sums'
// loop by index too changed how LLVM unrolled the loop over the terms, and so the code of
// the seed's Hessians and batch gradient; it stays an iterator.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
unsafe fn columns<
    T: crate::Scalar,
    X: Vector<T>,
    const N: usize,
    const R: usize,
    const G: usize,
>(
    at: *mut T,
    l: usize,
    fresh: bool,
    scale: Option<*const T>,
    terms: &Range<usize>,
    term: &impl Fn(usize, usize, usize) -> (T, T),
) {
    // Enough zeros for any vector's lanes (sixteen `f32` in AVX-512's); loaded, a `vxorpd`.
    let zeros = [T::zero(); 16];
    // SAFETY: the caller's.
    unsafe {
        let mut r = [[X::load(zeros.as_ptr()); R]; G];
        if !fresh {
            for g in 0..G {
                for q in 0..R {
                    r[g][q] = X::load(at.add(g * N + q * X::W));
                }
            }
        }
        for v in terms.clone() {
            for (g, r) in r.iter_mut().enumerate() {
                let row = |i: usize| term(g, v, i);
                for (q, r) in r.iter_mut().enumerate() {
                    let (a, b) = X::pairs(&row, l + q * X::W);
                    *r = X::fmadd(a, b, *r);
                }
            }
        }
        for g in 0..G {
            for q in 0..R {
                let i = g * N + q * X::W;
                let r = match scale {
                    Some(scale) => X::mul(X::load(scale.add(i)), r[g][q]),
                    None => r[g][q],
                };
                X::store(at.add(i), r);
            }
        }
    }
}
