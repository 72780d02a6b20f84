//! A layer's dot products for a block of samples, `out[b][j] = Σ_k w[j][k]·x[b][k]`, each
//! to the bit the single call's [`dot`](super::dot): a few rows by a few samples at a time
//! (a tile), each lane taking its terms in the order of [`dot`](super::dot)'s, each weight
//! vector loaded once for several samples and each sample's once for several rows (a
//! sample at a time, [`dot_rows`](super::dot_rows) loads one for each multiply-add). Each
//! dot's eight lanes are then added up as [`dot`](super::dot) adds them, four dots at once.
//!
//! - `f64` with AVX-512: four rows by four samples, sixteen vectors of lanes, eight loads
//!   per sixteen multiply-adds (on a Xeon, 512-bit loads feed multiply-adds at 0.78 of
//!   their rate: `scripts/l1-loads.sh`); two rows by four samples for two rows left over.
//! - `f64` with AVX alone: a dot's eight lanes are two 256-bit vectors, lanes 0–3 of a
//!   tile's dots, then lanes 4–7. Six rows by two samples where the rows are long (twelve
//!   chains of multiply-adds in flight, eight loads per twelve, fifteen of AVX's sixteen
//!   registers), then two rows by four samples (eight chains, six loads per eight).
//! - `f32` with AVX-512: a dot's eight lanes are half a vector, two rows' to a vector (each
//!   sample's eight terms in both halves): four rows by eight samples, sixteen vectors of
//!   lanes, two rows' pairs and eight samples loaded per sixteen multiply-adds; two rows by
//!   eight samples for two rows left over. Against a dot's lanes in one 256-bit vector (four
//!   rows by four samples), on the Xeon with two 512-bit multiply-add units
//!   (`scripts/ab-min.sh`, two alignments): the wide network's `f32` batch forward −24 %,
//!   its batch gradient −18 %, the seed's −16 % and −5 %. On a Zen 4, whose 512-bit
//!   multiply-adds run at the rate of its 256-bit ones, AVX's tiles of two rows by four
//!   samples are the faster: those four 0.91–0.96 of the time (docs/performance-log.md,
//!   "The sixty-fifth session"). No target feature tells the two CPUs apart; the Xeon's
//!   gain is the larger.
//! - `f32` with AVX alone: a dot's eight lanes are one 256-bit vector; two rows by four
//!   samples.
//! - Rows of fewer than `SHORT_ROWS` terms, with AVX alone: a sample at a time, four rows
//!   at once, by the single call's [`dot_rows`](super::dot_rows).
//! - `f64` rows of 8 to 23 terms, with AVX-512: eight rows to a vector, a row in each lane
//!   (`lane_rows`), each sample's eight sums a vector with no reduction across lanes. The
//!   control network's (12-32-32-6) batch `jvp` −9 %, `vjp` −5.5 %, the seed's batches
//!   (its second layer, 20 terms) −1.5 to −3 % (the Xeon, `scripts/ab-min.sh`, two
//!   alignments). On a Zen 4 neither faster nor slower: every batch of the timing program
//!   0.98–1.00 of the time without them (the sixty-fifth session).

use core::arch::x86_64::*;
use core::hint::black_box;

#[cfg(not(target_feature = "avx512f"))]
use super::avx::combine;
use super::avx::{tail, tail_start};
#[cfg(target_feature = "avx512f")]
use super::avx512::{fmadd_low, reduce, reduce_pairs_f32};

/// The rows of a tile with AVX's 16 registers: two (eight vectors of lanes: `f32`'s, or
/// each half of `f64`'s eight; `f64` takes six rows by two samples first on long rows,
/// `LONG_ROWS`). Four rows of `f32` so measured slower (the seed's first layer, 16 samples:
/// 1.1–1.3 µs against 0.9). AVX-512's 32 registers take four (`fours_and_twos`: sixteen
/// vectors of lanes).
#[cfg(not(target_feature = "avx512f"))]
const TILE_ROWS: usize = 2;

/// Rows of at least this many terms take tiles of six rows by two samples first with AVX
/// alone (not AVX-512).
#[cfg(not(target_feature = "avx512f"))]
const LONG_ROWS: usize = 64;

/// Fewer terms than this fill no vector of lanes, and the rows go by
/// [`scalar_dot_block`](super::scalar_dot_block). (Tiles from 8 terms on or from 32 on made
/// no difference to the seed network's batches, rows of 52 and 20 terms; A/B, five rounds.)
const TILED_TERMS: usize = 8;

/// `element(b, j, Σ_{k<N} w[j][k]·x[b][k])` for every `b < B`, `j < R`: rows of fewer than
/// [`LANE_ROW_TERMS`] terms eight at a time in a vector's lanes ([`lane_rows`]), then tiles
/// of four rows by four samples, then of two rows, then the rows left a `dot` each. (The
/// seed's second layer, 10 = 8 + 2 rows, took a `dot` per sample for its last two, each
/// ending in a reduction of its own; in a tile of two: its batch forward −1.5 %, batch
/// gradient −0.4 to −1.1 %, A/B at two alignments.)
#[cfg(target_feature = "avx512f")]
#[inline(always)]
pub fn dot_block_f64<const N: usize, const B: usize, const R: usize>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    mut element: impl FnMut(usize, usize, f64),
) {
    if const { lane_rows_end(N, R) > 0 } {
        // SAFETY: the target has AVX-512F.
        unsafe { lane_rows::<N, B, R>(w, samples, &mut element) };
    }
    fours_and_twos::<f64, N, B, R, 4, true>(
        w,
        samples,
        element,
        // SAFETY: the target has AVX-512F and FMA; `tiled` keeps `j + 4 <= R` (or `+ 2`)
        // and `b + 4 <= B`.
        |w, samples, j, b| unsafe { tile::<N, B, R, 4>(w, samples, j, b) },
        |w, samples, j, b| unsafe { tile::<N, B, R, 2>(w, samples, j, b) },
        |w, x| super::avx::dot_f64::<N>(|k| (w[k], x[k])),
    );
}

/// The block's rows by tiles of four rows by `S` samples ([`tiled`]), then of two rows,
/// then the rows left a `dot` each, past those [`lane_rows`] took if `LANE_ROWS`; rows too
/// short to tile by [`scalar_dot_block`](super::scalar_dot_block). Each kind of tile only
/// where rows are left for it (in `const`: the others are not compiled), as in
/// `sums_rows`.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
fn fours_and_twos<
    T: crate::Scalar,
    const N: usize,
    const B: usize,
    const R: usize,
    const S: usize,
    const LANE_ROWS: bool,
>(
    w: &[[T; N]; R],
    samples: &[[T; N]; B],
    mut element: impl FnMut(usize, usize, T),
    fours: impl Fn(&[[T; N]; R], &[[T; N]; B], usize, usize) -> [[T; S]; 4],
    twos: impl Fn(&[[T; N]; R], &[[T; N]; B], usize, usize) -> [[T; S]; 2],
    dot: impl Fn(&[T; N], &[T; N]) -> T,
) {
    if const { N < TILED_TERMS } {
        return super::scalar_dot_block(w, samples, element);
    }
    let mut j = const { tiles_from(N, R, LANE_ROWS) };
    if const { R - tiles_from(N, R, LANE_ROWS) >= 4 } {
        j = tiled::<T, N, B, R, 4, S>(w, samples, j, &mut element, fours, &dot);
    }
    if const { R % 4 >= 2 } {
        j = tiled::<T, N, B, R, 2, S>(w, samples, j, &mut element, twos, &dot);
    }
    if const { R % 2 == 1 } {
        singles(w, samples, j, element, dot);
    }
}

/// Rows of fewer terms than this go eight at a time in a vector's lanes with AVX-512
/// ([`lane_rows`]). Against the tiles, 16 samples, the fastest of 3,000 runs of 20 (a
/// scratch program, the Xeon of model 207): rows of 8 terms by 32 rows 0.58 of the time,
/// 11 terms 0.40, 12 terms 0.62–0.63 (by 64 rows too), 16 terms 0.72–0.76, 20 terms
/// 0.74–0.75, 24 terms 0.87, 32 terms 1.02, 52 terms 1.38.
#[cfg(target_feature = "avx512f")]
const LANE_ROW_TERMS: usize = 24;

/// The rows [`lane_rows`] takes of `r` rows of `n` terms: whole groups of eight, where the
/// rows are short enough.
#[cfg(target_feature = "avx512f")]
const fn lane_rows_end(n: usize, r: usize) -> usize {
    if TILED_TERMS <= n && n < LANE_ROW_TERMS {
        r / 8 * 8
    } else {
        0
    }
}

/// The first row [`fours_and_twos`] tiles: past [`lane_rows`]' if `lane_rows`.
#[cfg(target_feature = "avx512f")]
const fn tiles_from(n: usize, r: usize, lane_rows: bool) -> usize {
    if lane_rows { lane_rows_end(n, r) } else { 0 }
}

/// Rows `0..lane_rows_end(N, R)` of [`dot_block_f64`], eight at a time, a row to each lane
/// of a vector: lane `r` of vector `l` holds lane `l` of row `j + r`'s dot, each taking
/// `dot`'s terms in `dot`'s order (term `8g + l` into vector `l`, the half group into
/// vectors 0–3, the last few one after the other from `-0.0`), and the eight added up as
/// `dot` adds its lanes, `((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))`: each row's
/// sum to the bit its `dot`, a sample's eight come out in one vector, and no reduction
/// across lanes is left. The eight rows' weights, a term a vector (gathered, which measured
/// faster than copying them through the stack), stay in registers while the samples go
/// by. In a tile, a dot of twelve terms is a multiply-add and a half, then its share of a
/// reduction; here twelve multiply-adds and seven additions serve eight.
///
/// # Safety
/// The target has AVX-512F.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
unsafe fn lane_rows<const N: usize, const B: usize, const R: usize>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    element: &mut impl FnMut(usize, usize, f64),
) {
    for j in (0..lane_rows_end(N, R)).step_by(8) {
        // SAFETY: the caller's; `j + 8 <= R` (`lane_rows_end`).
        let columns: [__m512d; N] = core::array::from_fn(|k| unsafe { column(w, j, k) });
        for (b, x) in samples.iter().enumerate() {
            // SAFETY: the target has AVX-512F.
            let sums = unsafe { lanes::<N>(&columns, x) };
            for (r, sum) in sums.into_iter().enumerate() {
                element(b, j + r, sum);
            }
        }
    }
}

/// Term `k` of rows `j..j + 8` of `w`, a row to each lane.
///
/// # Safety
/// The target has AVX-512F; `j + 8 <= R`, `k < N`.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
unsafe fn column<const N: usize, const R: usize>(w: &[[f64; N]; R], j: usize, k: usize) -> __m512d {
    // SAFETY: the caller's. Row `j + r`'s term `k` is `N·r` values past row `j`'s, in `w`
    // for every `r < 8`.
    #[cfg(not(miri))]
    unsafe {
        let n = N as i64;
        let rows = _mm512_set_epi64(7 * n, 6 * n, 5 * n, 4 * n, 3 * n, 2 * n, n, 0);
        _mm512_i64gather_pd::<8>(rows, w[j].as_ptr().add(k).cast())
    }
    // Miri does not emulate AVX-512's gathers: the same values through the stack.
    // SAFETY: the target has AVX-512F; the load reads the eight values of `column`.
    #[cfg(miri)]
    unsafe {
        let column: [f64; 8] = core::array::from_fn(|r| w[j + r][k]);
        _mm512_loadu_pd(column.as_ptr())
    }
}

/// One sample's sums of [`lane_rows`]' eight rows.
///
/// # Safety
/// The target has AVX-512F.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
unsafe fn lanes<const N: usize>(columns: &[__m512d; N], x: &[f64; N]) -> [f64; 8] {
    // SAFETY: the caller's; the store writes the eight values of `sums`.
    unsafe {
        let term =
            |k: usize, lane: __m512d| _mm512_fmadd_pd(columns[k], _mm512_set1_pd(x[k]), lane);
        let mut lanes = [_mm512_setzero_pd(); 8];
        let mut k = 0;
        while k + 8 <= N {
            for (l, lane) in lanes.iter_mut().enumerate() {
                *lane = term(k + l, *lane);
            }
            k += 8;
        }
        if k + 4 <= N {
            for (l, lane) in lanes.iter_mut().take(4).enumerate() {
                *lane = term(k + l, *lane);
            }
            k += 4;
        }
        let [l0, l1, l2, l3, l4, l5, l6, l7] = lanes;
        let add = |a, b| _mm512_add_pd(a, b);
        let mut sum = add(add(add(l0, l4), add(l2, l6)), add(add(l1, l5), add(l3, l7)));
        // The last few from `-0.0`, where there are (`x + -0.0` is `x`, bit for bit).
        if k < N {
            let mut tail = _mm512_set1_pd(-0.0);
            for k in k..N {
                tail = term(k, tail);
            }
            sum = add(sum, tail);
        }
        let mut sums = [0.0; 8];
        _mm512_storeu_pd(sums.as_mut_ptr(), sum);
        sums
    }
}

/// Rows of fewer terms than this go a sample at a time with AVX alone (not AVX-512), four
/// rows at once by the single call's [`dot_rows`](super::dot_rows) (`by_samples`): a
/// tile's chains of two or three multiply-adds a half do not pay for its reduction. Against
/// the tiles, 16 samples, the fastest of 300 runs (Zen 3, 2026-11-30): `f64` rows of 8 to
/// 28 terms 20–43 % faster, of 32 terms 9–11 %, of 40 terms 43–69 % slower (`dot_rows`
/// takes rows of 32 terms or more five at a time, for a single call's sake); `f32` rows of
/// 12 to 28 terms 12–22 % faster, of 32 and 40 the same.
#[cfg(not(target_feature = "avx512f"))]
const SHORT_ROWS: usize = 32;

/// `element(b, j, Σ_{k<N} w[j][k]·x[b][k])` for every `b < B`, `j < R`: rows of
/// [`LONG_ROWS`] terms or more six at a time by two samples (twelve chains of multiply-adds
/// in flight), the rows left two at a time by four samples. Three rows by four samples,
/// sixteen registers with the loaded vectors, had LLVM keep a sum on the stack, a store
/// and a load in its chain at every step (and the first layer of the wide benchmark
/// network, 64 terms a row, both halves' sums at once, most of them there): against them
/// the wide network's batch forward −14 %, its gradient −4 % (A/B, eight rounds). On the
/// seed's rows of 52 and 20 terms six by two measured the same as two by four.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
pub fn dot_block_f64<const N: usize, const B: usize, const R: usize>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    mut element: impl FnMut(usize, usize, f64),
) {
    if const { N < TILED_TERMS } {
        return super::scalar_dot_block(w, samples, element);
    }
    // `dot_rows` takes four rows at once only up to `REGISTER_BLOCKED_TERMS` in all.
    if const { N < SHORT_ROWS && N * R <= super::REGISTER_BLOCKED_TERMS } {
        return by_samples(w, samples, element, |w, x| {
            super::avx::dot_rows_f64::<N, R>(|j, k| (w[j][k], x[k]))
        });
    }
    let dot = |w: &[f64; N], x: &[f64; N]| super::avx::dot_f64::<N>(|k| (w[k], x[k]));
    let mut j = 0;
    if const { N >= LONG_ROWS && R >= 6 } {
        // SAFETY: the target has AVX and FMA; `tiled` keeps `j + 6 <= R` and `b + 2 <= B`.
        let tile = |w: &_, samples: &_, j, b| unsafe { tile::<N, B, R, 6, 2>(w, samples, j, b) };
        j = tiled::<f64, N, B, R, 6, 2>(w, samples, j, &mut element, tile, dot);
    }
    // The rows those leave; each kind of tile only where rows are left for it (in `const`:
    // the others are not compiled).
    const fn left(n: usize, r: usize) -> usize {
        if n >= LONG_ROWS { r % 6 } else { r }
    }
    // SAFETY: as above, with `j + TILE_ROWS <= R` and `b + 4 <= B`.
    let tile =
        |w: &_, samples: &_, j, b| unsafe { tile::<N, B, R, TILE_ROWS, 4>(w, samples, j, b) };
    if const { left(N, R) >= TILE_ROWS } {
        j = tiled::<f64, N, B, R, TILE_ROWS, 4>(w, samples, j, &mut element, tile, dot);
    }
    if const { !left(N, R).is_multiple_of(TILE_ROWS) } {
        singles(w, samples, j, element, dot);
    }
}

/// [`dot_block_f64`] in `f32`, in AVX-512's vectors: tiles of four rows by eight samples,
/// then of two rows, then the rows left a `dot` each.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
pub fn dot_block_f32<const N: usize, const B: usize, const R: usize>(
    w: &[[f32; N]; R],
    samples: &[[f32; N]; B],
    element: impl FnMut(usize, usize, f32),
) {
    fours_and_twos::<f32, N, B, R, 8, false>(
        w,
        samples,
        element,
        // SAFETY: the target has AVX-512F; `tiled` keeps `j + 4 <= R` (or `+ 2`) and `b + 8
        // <= B`.
        |w, samples, j, b| unsafe { tile_f32::<N, B, R, 4, 2>(w, samples, j, b) },
        |w, samples, j, b| unsafe { tile_f32::<N, B, R, 2, 1>(w, samples, j, b) },
        |w, x| super::avx::dot_f32::<N>(|k| (w[k], x[k])),
    );
}

/// [`dot_block_f64`] in `f32`, in AVX's vectors.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
pub fn dot_block_f32<const N: usize, const B: usize, const R: usize>(
    w: &[[f32; N]; R],
    samples: &[[f32; N]; B],
    element: impl FnMut(usize, usize, f32),
) {
    // `dot_rows_f32` takes four rows at once however many there are.
    if (TILED_TERMS..SHORT_ROWS).contains(&N) {
        return by_samples(w, samples, element, |w, x| {
            super::avx::dot_rows_f32::<N, R>(|j, k| (w[j][k], x[k]))
        });
    }
    whole::<f32, N, B, R, TILE_ROWS>(
        w,
        samples,
        element,
        // SAFETY: the target has AVX and FMA; `tiled` keeps `j + TILE_ROWS <= R` and `b + 4
        // <= B`.
        |w, samples, j, b| unsafe { tile_f32::<N, B, R, TILE_ROWS>(w, samples, j, b) },
        |w, x| super::avx::dot_f32::<N>(|k| (w[k], x[k])),
    )
}

/// The whole block by tiles of `Q` rows by four samples ([`tiled`]), the rows left a
/// `dot` each; rows too short to tile by [`scalar_dot_block`](super::scalar_dot_block).
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
fn whole<T: crate::Scalar, const N: usize, const B: usize, const R: usize, const Q: usize>(
    w: &[[T; N]; R],
    samples: &[[T; N]; B],
    mut element: impl FnMut(usize, usize, T),
    tile: impl Fn(&[[T; N]; R], &[[T; N]; B], usize, usize) -> [[T; 4]; Q],
    dot: impl Fn(&[T; N], &[T; N]) -> T,
) {
    if const { N < TILED_TERMS } {
        return super::scalar_dot_block(w, samples, element);
    }
    let mut j = 0;
    if const { R >= Q } {
        j = tiled::<T, N, B, R, Q, 4>(w, samples, j, &mut element, tile, &dot);
    }
    if const { !R.is_multiple_of(Q) } {
        singles(w, samples, j, element, dot);
    }
}

/// Rows `from..` of the block, `Q` at a time as far as they fill tiles, by its samples `S`
/// at a time: `tile(w, samples, j, b)` (`[row][sample]`); those rows' samples left over a
/// `dot` each. Returns the first row not tiled.
///
/// Each tile sees `w` and `samples` through [`black_box`]: else LLVM finds the same loads
/// in the tiles it unrolls, keeps their values across them and, with too few registers,
/// copies them to the stack (a store per multiply-add, seen in the disassembly; with AVX,
/// the seed network's first layer took 2.0–2.4 µs for 16 samples so, 1.1–1.4 with this and
/// the two-row tile together).
#[inline(always)]
fn tiled<
    T: crate::Scalar,
    const N: usize,
    const B: usize,
    const R: usize,
    const Q: usize,
    const S: usize,
>(
    w: &[[T; N]; R],
    samples: &[[T; N]; B],
    from: usize,
    element: &mut impl FnMut(usize, usize, T),
    tile: impl Fn(&[[T; N]; R], &[[T; N]; B], usize, usize) -> [[T; S]; Q],
    dot: impl Fn(&[T; N], &[T; N]) -> T,
) -> usize {
    let (end, columns) = (from + (R - from) / Q * Q, B / S * S);
    for j in (from..end).step_by(Q) {
        for b in (0..columns).step_by(S) {
            for (q, sums) in tile(black_box(w), black_box(samples), j, b)
                .iter()
                .enumerate()
            {
                for (s, &sum) in sums.iter().enumerate() {
                    element(b + s, j + q, sum);
                }
            }
        }
        // The samples left past the last tile, where there are (else not compiled).
        if const { !B.is_multiple_of(S) } {
            for (b, sample) in samples.iter().enumerate().skip(columns) {
                for (q, w) in w.iter().enumerate().skip(j).take(Q) {
                    element(b, q, dot(w, sample));
                }
            }
        }
    }
    end
}

/// Every sample's dot products at once, `rows(w, x)`, into `element`. Each sample sees the
/// weights through [`black_box`], as a tile does (measured so).
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
fn by_samples<T: crate::Scalar, const N: usize, const B: usize, const R: usize>(
    w: &[[T; N]; R],
    samples: &[[T; N]; B],
    mut element: impl FnMut(usize, usize, T),
    rows: impl Fn(&[[T; N]; R], &[T; N]) -> [T; R],
) {
    for (b, x) in samples.iter().enumerate() {
        for (j, sum) in rows(black_box(w), x).into_iter().enumerate() {
            element(b, j, sum);
        }
    }
}

/// Rows `from..` of the block, a `dot` for each sample.
#[inline(always)]
fn singles<T: crate::Scalar, const N: usize, const B: usize, const R: usize>(
    w: &[[T; N]; R],
    samples: &[[T; N]; B],
    from: usize,
    mut element: impl FnMut(usize, usize, T),
    dot: impl Fn(&[T; N], &[T; N]) -> T,
) {
    for (j, w) in w.iter().enumerate().skip(from) {
        for (b, sample) in samples.iter().enumerate() {
            element(b, j, dot(w, sample));
        }
    }
}

/// Rows `j..j + Q` (`Q` even) by samples `b..b + 4` of [`dot_block_f64`]: `[row][sample]`.
///
/// # Safety
/// The target has AVX-512F; `j + Q <= R`, `b + 4 <= B`.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
unsafe fn tile<const N: usize, const B: usize, const R: usize, const Q: usize>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    j: usize,
    b: usize,
) -> [[f64; 4]; Q] {
    // The lanes are added up two rows at a time.
    const { assert!(Q.is_multiple_of(2)) };
    // SAFETY: the caller's; every load is of terms `k..k + 8` (or `+ 4`) with `k + 8 <= N`
    // (or `+ 4`), of rows `j + q < R` and samples `b + s < B`.
    unsafe {
        let row = |q: usize| w[j + q].as_ptr();
        let sample = |s: usize| samples[b + s].as_ptr();
        let mut lanes = [[_mm512_setzero_pd(); 4]; Q];
        let mut weights = [_mm512_setzero_pd(); Q];
        let mut k = 0;
        while k + 8 <= N {
            for (q, weights) in weights.iter_mut().enumerate() {
                *weights = _mm512_loadu_pd(row(q).add(k));
            }
            let inputs = [0, 1, 2, 3].map(|s| _mm512_loadu_pd(sample(s).add(k)));
            for (lanes, &weights) in lanes.iter_mut().zip(&weights) {
                for (lanes, inputs) in lanes.iter_mut().zip(inputs) {
                    *lanes = _mm512_fmadd_pd(weights, inputs, *lanes);
                }
            }
            k += 8;
        }
        // The half group into lanes 0–3 only, lanes 4–7 keeping their bits.
        if k + 4 <= N {
            debug_assert_eq!(tail_start(N), k + 4);
            let half = |at: *const f64| _mm256_loadu_pd(at.add(k));
            let weights: [__m256d; Q] = core::array::from_fn(|q| half(row(q)));
            let inputs = [0, 1, 2, 3].map(|s| half(sample(s)));
            for (lanes, &weights) in lanes.iter_mut().zip(&weights) {
                for (lanes, inputs) in lanes.iter_mut().zip(inputs) {
                    *lanes = fmadd_low(weights, inputs, *lanes);
                }
            }
        }
        let mut out = [[0.0; 4]; Q];
        for pair in (0..Q).step_by(2) {
            // Rows `pair` and `pair + 1`, each sample's sum at `2·s` and `2·s + 1`.
            let [first, second] = [pair, pair + 1].map(|q| lanes[q]);
            let mut sums = [0.0; 8];
            _mm512_storeu_pd(sums.as_mut_ptr(), reduce(first, second));
            for s in 0..4 {
                for (d, q) in [pair, pair + 1].into_iter().enumerate() {
                    let tail = tail::<f64, N>(&|i| (w[j + q][i], samples[b + s][i]));
                    out[q][s] = sums[2 * s + d] + tail;
                }
            }
        }
        out
    }
}

/// Rows `j..j + Q` by samples `b..b + S` of [`dot_block_f64`] in AVX's vectors:
/// `[row][sample]`. Lanes 0–3 of every dot, then lanes 4–7: the low half's sums go through
/// [`black_box`] before the high half starts, or LLVM interleaves the two, twice the sums
/// AVX's sixteen registers hold (the wide network's first layer spent most of its
/// multiply-adds loading and storing them).
///
/// # Safety
/// The target has AVX and FMA; `j + Q <= R`, `b + S <= B`; `Q·S` is a multiple of four.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
unsafe fn tile<const N: usize, const B: usize, const R: usize, const Q: usize, const S: usize>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    j: usize,
    b: usize,
) -> [[f64; S]; Q] {
    const { assert!((Q * S).is_multiple_of(4)) };
    let mut out = [[0.0; S]; Q];
    // SAFETY: the caller's.
    let (low, high) = unsafe {
        let low = black_box(half::<N, B, R, 0, Q, S>(w, samples, j, b));
        (
            low,
            half::<N, B, R, 4, Q, S>(black_box(w), black_box(samples), j, b),
        )
    };
    // The dots in the order of `out`, four at a time: a row's four samples, or two rows'
    // two.
    let at = |d: usize| (d / S, d % S);
    for first in (0..Q * S).step_by(4) {
        // SAFETY: the target has AVX; `out` holds `Q·S` values, `first + 4` of them before
        // this store's end.
        unsafe {
            // Each dot's `[l0+l4, l1+l5, l2+l6, l3+l7]`, as `dot_f64`'s `four`.
            let four = |d: usize| {
                let (q, s) = at(first + d);
                _mm256_add_pd(low[q][s], high[q][s])
            };
            let tail = |d: usize| {
                let (q, s) = at(first + d);
                tail::<f64, N>(&|i| (w[j + q][i], samples[b + s][i]))
            };
            let tails = _mm256_setr_pd(tail(0), tail(1), tail(2), tail(3));
            let sums = combine(four(0), four(1), four(2), four(3), tails);
            _mm256_storeu_pd(out.as_mut_ptr().cast::<f64>().add(first), sums);
        }
    }
    out
}

/// Lanes `O..O + 4` (0–3 or 4–7) of the dots of rows `j..j + Q` with samples `b..b + S`:
/// `[row][sample]`. Lanes 0–3 take the half group too. The fewer of the two, rows or
/// samples, stay in registers, the others are loaded one at a time: `Q·S` sums and
/// `min(Q, S) + 1` loaded vectors in registers.
///
/// # Safety
/// The target has AVX and FMA; `j + Q <= R`, `b + S <= B`.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
unsafe fn half<
    const N: usize,
    const B: usize,
    const R: usize,
    const O: usize,
    const Q: usize,
    const S: usize,
>(
    w: &[[f64; N]; R],
    samples: &[[f64; N]; B],
    j: usize,
    b: usize,
) -> [[__m256d; S]; Q] {
    // SAFETY: the caller's; every load is of terms `k..k + 4` with `k + 4 <= N`, of rows
    // `j + q < R` and samples `b + s < B`.
    unsafe {
        let row = |q: usize| w[j + q].as_ptr();
        let sample = |s: usize| samples[b + s].as_ptr();
        let mut lanes = [[_mm256_setzero_pd(); S]; Q];
        let mut step = |k: usize| {
            if Q <= S {
                let weights: [__m256d; Q] =
                    core::array::from_fn(|q| _mm256_loadu_pd(row(q).add(k)));
                for s in 0..S {
                    let inputs = _mm256_loadu_pd(sample(s).add(k));
                    for (lanes, &weights) in lanes.iter_mut().zip(&weights) {
                        lanes[s] = _mm256_fmadd_pd(weights, inputs, lanes[s]);
                    }
                }
            } else {
                let inputs: [__m256d; S] =
                    core::array::from_fn(|s| _mm256_loadu_pd(sample(s).add(k)));
                for (q, lanes) in lanes.iter_mut().enumerate() {
                    let weights = _mm256_loadu_pd(row(q).add(k));
                    for (lanes, &inputs) in lanes.iter_mut().zip(&inputs) {
                        *lanes = _mm256_fmadd_pd(weights, inputs, *lanes);
                    }
                }
            }
        };
        let mut k = 0;
        while k + 8 <= N {
            step(k + O);
            k += 8;
        }
        if O == 0 && k + 4 <= N {
            debug_assert_eq!(tail_start(N), k + 4);
            step(k);
        }
        lanes
    }
}

/// Rows `j..j + Q` by samples `b..b + 4` of [`dot_block_f32`]: `[row][sample]`.
///
/// # Safety
/// The target has AVX and FMA; `j + Q <= R`, `b + 4 <= B`; `Q` is even.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
unsafe fn tile_f32<const N: usize, const B: usize, const R: usize, const Q: usize>(
    w: &[[f32; N]; R],
    samples: &[[f32; N]; B],
    j: usize,
    b: usize,
) -> [[f32; 4]; Q] {
    // SAFETY: the caller's; every load is of terms `k..k + 8` (or `+ 4`) with `k + 8 <= N`
    // (or `+ 4`), of rows `j + q < R` and samples `b + s < B`.
    unsafe {
        let row = |q: usize| w[j + q].as_ptr();
        let sample = |s: usize| samples[b + s].as_ptr();
        let mut lanes = [[_mm256_setzero_ps(); 4]; Q];
        let mut k = 0;
        while k + 8 <= N {
            let weights: [_; Q] = core::array::from_fn(|q| _mm256_loadu_ps(row(q).add(k)));
            let inputs = [0, 1, 2, 3].map(|s| _mm256_loadu_ps(sample(s).add(k)));
            for (lanes, weights) in lanes.iter_mut().zip(weights) {
                for (lanes, inputs) in lanes.iter_mut().zip(inputs) {
                    *lanes = _mm256_fmadd_ps(weights, inputs, *lanes);
                }
            }
            k += 8;
        }
        // The half group into lanes 0–3, as `dot_f32` adds it.
        if k + 4 <= N {
            debug_assert_eq!(tail_start(N), k + 4);
            for (q, lanes) in lanes.iter_mut().enumerate() {
                for (s, lanes) in lanes.iter_mut().enumerate() {
                    let (a, x) = (_mm_loadu_ps(row(q).add(k)), _mm_loadu_ps(sample(s).add(k)));
                    let low = _mm_fmadd_ps(a, x, _mm256_castps256_ps128(*lanes));
                    *lanes = _mm256_insertf128_ps::<0>(*lanes, low);
                }
            }
        }
        let mut out = [[0.0; 4]; Q];
        for pair in (0..Q).step_by(2) {
            // Row `pair`'s four samples in lanes 0–3, row `pair + 1`'s in lanes 4–7.
            let mut sums = [0.0; 8];
            _mm256_storeu_ps(sums.as_mut_ptr(), reduce_f32(lanes[pair], lanes[pair + 1]));
            for s in 0..4 {
                for (d, q) in [pair, pair + 1].into_iter().enumerate() {
                    let tail = tail::<f32, N>(&|i| (w[j + q][i], samples[b + s][i]));
                    out[q][s] = sums[4 * d + s] + tail;
                }
            }
        }
        out
    }
}

/// Eight `f32` dot products' lanes (`a[s]`, `b[s]`) added up as
/// [`dot_f32`](super::avx::dot_f32) adds one's: lanes four apart, then two apart, then the
/// last two, each step of all eight at once. Returns `[a[0], a[1], a[2], a[3], b[0], …]`.
///
/// # Safety
/// The target has AVX.
#[cfg(not(target_feature = "avx512f"))]
#[inline(always)]
unsafe fn reduce_f32(a: [__m256; 4], b: [__m256; 4]) -> __m256 {
    // SAFETY: the caller's.
    unsafe {
        // `[l0+l4, l1+l5, l2+l6, l3+l7]` of `x`, then of `y`.
        let four = |x: __m256, y: __m256| {
            _mm256_add_ps(
                _mm256_permute2f128_ps::<0x20>(x, y),
                _mm256_permute2f128_ps::<0x31>(x, y),
            )
        };
        // `[s0+s2, s1+s3]` of `x` and `z`, then of `y` and `w`, from `four(x, y)`, `four(z, w)`.
        let two = |xy: __m256, zw: __m256| {
            _mm256_add_ps(
                _mm256_shuffle_ps::<0x44>(xy, zw),
                _mm256_shuffle_ps::<0xee>(xy, zw),
            )
        };
        let (a01, a23) = (
            two(four(a[0], b[0]), four(a[1], b[1])),
            two(four(a[2], b[2]), four(a[3], b[3])),
        );
        // Their two lanes added.
        _mm256_add_ps(
            _mm256_shuffle_ps::<0x88>(a01, a23),
            _mm256_shuffle_ps::<0xdd>(a01, a23),
        )
    }
}

/// Rows `j..j + Q` by samples `b..b + 8` of [`dot_block_f32`] with AVX-512, `Q = 2·P`:
/// `[row][sample]`. Rows `j + 2p` and `j + 2p + 1` share a vector of lanes for each sample
/// (the first's eight lanes low, the second's high), loaded as two 256-bit halves; each
/// sample's eight terms are broadcast to both halves. Every lane takes its terms as
/// [`dot_f32`](super::avx::dot_f32)'s does, and [`reduce_pairs_f32`] adds them up as it
/// does: the same bits as the single call.
///
/// # Safety
/// The target has AVX-512F; `j + Q <= R`, `b + 8 <= B`.
#[cfg(target_feature = "avx512f")]
#[inline(always)]
unsafe fn tile_f32<
    const N: usize,
    const B: usize,
    const R: usize,
    const Q: usize,
    const P: usize,
>(
    w: &[[f32; N]; R],
    samples: &[[f32; N]; B],
    j: usize,
    b: usize,
) -> [[f32; 8]; Q] {
    const { assert!(Q == 2 * P) };
    // SAFETY: the caller's; every load is of terms `k..k + 8` (or `+ 4`) with `k + 8 <= N`
    // (or `+ 4`), of rows `j + q < R` and samples `b + s < B`.
    unsafe {
        let row = |q: usize| w[j + q].as_ptr();
        let sample = |s: usize| samples[b + s].as_ptr();
        let mut lanes = [[_mm512_setzero_ps(); 8]; P];
        let mut k = 0;
        while k + 8 <= N {
            // In `f64` lanes: AVX-512F alone inserts and broadcasts 256 bits only so.
            let pairs: [_; P] = core::array::from_fn(|p| {
                let half = |q: usize| _mm256_castps_pd(_mm256_loadu_ps(row(q).add(k)));
                let low = _mm512_castpd256_pd512(half(2 * p));
                _mm512_castpd_ps(_mm512_insertf64x4::<1>(low, half(2 * p + 1)))
            });
            for s in 0..8 {
                let terms = _mm256_castps_pd(_mm256_loadu_ps(sample(s).add(k)));
                let inputs = _mm512_castpd_ps(_mm512_broadcast_f64x4(terms));
                for (lanes, &pair) in lanes.iter_mut().zip(&pairs) {
                    lanes[s] = _mm512_fmadd_ps(pair, inputs, lanes[s]);
                }
            }
            k += 8;
        }
        // The half group into lanes 0–3 of each row (0–3 and 8–11), as `dot_f32` adds it.
        if k + 4 <= N {
            debug_assert_eq!(tail_start(N), k + 4);
            let pairs: [_; P] = core::array::from_fn(|p| {
                let low = _mm512_zextps128_ps512(_mm_loadu_ps(row(2 * p).add(k)));
                _mm512_insertf32x4::<2>(low, _mm_loadu_ps(row(2 * p + 1).add(k)))
            });
            for s in 0..8 {
                let inputs = _mm512_broadcast_f32x4(_mm_loadu_ps(sample(s).add(k)));
                for (lanes, &pair) in lanes.iter_mut().zip(&pairs) {
                    lanes[s] = _mm512_mask3_fmadd_ps(pair, inputs, lanes[s], 0x0f0f);
                }
            }
        }
        let mut out = [[0.0; 8]; Q];
        for (p, lanes) in lanes.iter().enumerate() {
            let mut sums = [0.0; 16];
            _mm512_storeu_ps(sums.as_mut_ptr(), reduce_pairs_f32(*lanes));
            for s in 0..8 {
                for (d, q) in [2 * p, 2 * p + 1].into_iter().enumerate() {
                    let tail = tail::<f32, N>(&|i| (w[j + q][i], samples[b + s][i]));
                    // Row `2p`'s sums in lanes 0–3 (samples 0, 2, 4, 6) and 8–11 (1, 3, 5,
                    // 7), row `2p + 1`'s in lanes 4–7 and 12–15.
                    out[q][s] = sums[8 * (s % 2) + 4 * d + s / 2] + tail;
                }
            }
        }
        out
    }
}
