//! [`dot_rows`](super::dot_rows), [`dot`](super::dot), [`dot_block`](super::dot_block),
//! [`sums_rows`](super::sums_rows) and [`axpys`](super::axpys) where x86-64 has no FMA: in
//! SSE2 registers (every x86-64 has them) written out, `f64` two lanes to a register and
//! `f32` four. LLVM's code for the scalar lanes of [`scalar_dot`](super::scalar_dot), a row
//! after the other, took 890 ns for a 64 × 64 matrix's product on Zen 4; these registers,
//! the same bits, 567 ns a row at a time and 498 two rows at a time, each vector of the
//! other operand loaded once for both (docs/performance-log.md, "The forty-first
//! session").
//!
//! Every `unsafe` here calls an SSE2 intrinsic, which is unsafe for its target feature
//! alone: SSE2 is part of x86-64 itself. Those that touch memory, in [`Lanes::load`] and
//! [`Lanes::store`], read and write a slice of their register's width.

use core::arch::x86_64::*;

use super::{HALF, LANES, REGISTER_BLOCKED_TERMS, V_BLOCK, madd};
use crate::Scalar;

/// `out[r] = Σ_{i<N} a·b` for `(a, b) = term(r, i)`, each row to the bit
/// [`scalar_dot`](super::scalar_dot)'s: two rows at a time, then an odd last one.
#[inline(always)]
pub fn dot_rows<V: Lanes, const N: usize, const R: usize>(
    term: impl Fn(usize, usize) -> (V::T, V::T),
) -> [V::T; R] {
    let mut out = [<V::T as num_traits::Zero>::zero(); R];
    let mut r = 0;
    while r + 2 <= R {
        [out[r], out[r + 1]] = rows::<V, N, 2>(&|k, i| term(r + k, i));
        r += 2;
    }
    if r < R {
        [out[r]] = rows::<V, N, 1>(&|_, i| term(r, i));
    }
    out
}

/// [`dot_block`](super::dot_block): each sample's rows by [`dot_rows`], its single call's
/// code. Across the samples in scalar lanes ([`scalar_dot_block`](super::scalar_dot_block):
/// eight lanes of a block's sixteen samples, far past sixteen registers), the batch
/// methods took 1.2–2 times as long: the seed's batch gradient 951 ns a sample against
/// 758 now, the wide network's batch forward 9.2 µs against 6.4, the 3-64-64-64-1
/// network's batch Laplacian 17.6 against 11.1 (on a Zen 1 EPYC, `scripts/ab-min.sh`,
/// docs/performance-log.md, "The forty-second session").
#[inline(always)]
pub fn dot_block<V: Lanes, const N: usize, const B: usize, const R: usize>(
    w: &[[V::T; N]; R],
    x: &[[V::T; N]; B],
    mut element: impl FnMut(usize, usize, V::T),
) {
    for (b, x) in x.iter().enumerate() {
        let sums = dot_rows::<V, N, R>(|r, i| (w[r][i], x[i]));
        for (j, sum) in sums.into_iter().enumerate() {
            element(b, j, sum);
        }
    }
}

/// A register of SSE2 lanes: two `f64` or four `f32`.
pub trait Lanes: Copy {
    /// The lanes' type.
    type T: Scalar;
    /// How many lanes a register holds.
    const WIDTH: usize;
    /// A register of zeros.
    fn zero() -> Self;
    /// `a·b` for `(a, b) = term(i + l)` in lane `l`, each product rounded, as `madd`
    /// computes it without FMA.
    fn products(term: impl Fn(usize) -> (Self::T, Self::T), i: usize) -> Self;
    /// Lane by lane.
    fn add(self, other: Self) -> Self;
    /// The first `WIDTH` values of `from` (panics if there are fewer).
    fn load(from: &[Self::T]) -> Self;
    /// Into the first `WIDTH` values of `to` (panics if there are fewer).
    fn store(self, to: &mut [Self::T]);
    /// The eight lanes held in the first `LANES / WIDTH` registers, added as
    /// [`combine`](super::combine) adds them: `((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 +
    /// l7))`.
    fn combine(lanes: &[Self; 4]) -> Self::T;
}

impl Lanes for __m128d {
    type T = f64;
    const WIDTH: usize = 2;

    #[inline(always)]
    fn zero() -> Self {
        unsafe { _mm_setzero_pd() }
    }

    #[inline(always)]
    fn products(term: impl Fn(usize) -> (f64, f64), i: usize) -> Self {
        let ((a0, b0), (a1, b1)) = (term(i), term(i + 1));
        unsafe { _mm_mul_pd(_mm_set_pd(a1, a0), _mm_set_pd(b1, b0)) }
    }

    #[inline(always)]
    fn add(self, other: Self) -> Self {
        unsafe { _mm_add_pd(self, other) }
    }

    #[inline(always)]
    fn load(from: &[f64]) -> Self {
        unsafe { _mm_loadu_pd(from[..2].as_ptr()) }
    }

    #[inline(always)]
    fn store(self, to: &mut [f64]) {
        unsafe { _mm_storeu_pd(to[..2].as_mut_ptr(), self) }
    }

    /// Lanes `2q` and `2q + 1` in register `q`: registers two apart, then the two halves.
    #[inline(always)]
    fn combine(lanes: &[Self; 4]) -> f64 {
        let [q0, q1, q2, q3] = *lanes;
        unsafe {
            let halves = _mm_add_pd(_mm_add_pd(q0, q2), _mm_add_pd(q1, q3));
            _mm_cvtsd_f64(halves) + _mm_cvtsd_f64(_mm_unpackhi_pd(halves, halves))
        }
    }
}

impl Lanes for __m128 {
    type T = f32;
    const WIDTH: usize = 4;

    #[inline(always)]
    fn zero() -> Self {
        unsafe { _mm_setzero_ps() }
    }

    #[inline(always)]
    fn products(term: impl Fn(usize) -> (f32, f32), i: usize) -> Self {
        let [(a0, b0), (a1, b1), (a2, b2), (a3, b3)] = core::array::from_fn(|l| term(i + l));
        unsafe { _mm_mul_ps(_mm_set_ps(a3, a2, a1, a0), _mm_set_ps(b3, b2, b1, b0)) }
    }

    #[inline(always)]
    fn add(self, other: Self) -> Self {
        unsafe { _mm_add_ps(self, other) }
    }

    #[inline(always)]
    fn load(from: &[f32]) -> Self {
        unsafe { _mm_loadu_ps(from[..4].as_ptr()) }
    }

    #[inline(always)]
    fn store(self, to: &mut [f32]) {
        unsafe { _mm_storeu_ps(to[..4].as_mut_ptr(), self) }
    }

    /// Lanes 0–3 in the first register, 4–7 in the second: the two registers, then lanes
    /// two apart, then the two left.
    #[inline(always)]
    fn combine(lanes: &[Self; 4]) -> f32 {
        let [low, high, ..] = *lanes;
        unsafe {
            let fours = _mm_add_ps(low, high);
            let twos = _mm_add_ps(fours, _mm_movehl_ps(fours, fours));
            _mm_cvtss_f32(_mm_add_ss(twos, _mm_shuffle_ps::<0b01>(twos, twos)))
        }
    }
}

/// `K` rows' dot products side by side, each as [`scalar_dot`](super::scalar_dot) adds
/// it: lane `l` of eight takes term `8g + l`, a product then a sum (no FMA here, as
/// `madd` has none); four terms left over go into lanes 0–3, the last few into a sum from
/// `-0.0` one after the other; the lanes are then combined, and the last few added after.
#[inline(always)]
fn rows<V: Lanes, const N: usize, const K: usize>(
    term: &impl Fn(usize, usize) -> (V::T, V::T),
) -> [V::T; K] {
    let mut lanes = [[V::zero(); 4]; K];
    let mut step = |i: usize, registers: usize| {
        for q in 0..registers {
            for (k, lanes) in lanes.iter_mut().enumerate() {
                lanes[q] = V::products(|j| term(k, j), i + q * V::WIDTH).add(lanes[q]);
            }
        }
    };
    let mut i = 0;
    while i + LANES <= N {
        step(i, LANES / V::WIDTH);
        i += LANES;
    }
    if i + HALF <= N {
        step(i, HALF / V::WIDTH);
        i += HALF;
    }
    core::array::from_fn(|k| {
        let mut tail = -<V::T as num_traits::Zero>::zero();
        for j in i..N {
            let (a, b) = term(k, j);
            tail = madd(a, b, tail);
        }
        V::combine(&lanes[k]) + tail
    })
}

/// [`sums_rows`](super::sums_rows), its scaled forms and a triangle's rows
/// ([`sums_symmetric`](super::sums_symmetric), [`sums_lower`](super::sums_lower), if
/// `LOWER`: each pair of rows up to the group of eight lanes its diagonal falls in), each
/// row's lanes to the bit [`scalar_axpys`](super::scalar_axpys)' onto zeros, or onto what
/// they hold if `add`: rows two at a time, eight lanes of each (four or two registers) held
/// while every term goes by, eight chains of additions. Past [`REGISTER_BLOCKED_TERMS`]
/// terms a row, a triangle goes by blocks of [`V_BLOCK`] terms likewise (a row at a time,
/// its only other way, took a fifth to a quarter longer: the wide network's Hessian),
/// whole rows by the scalar lanes' blocks, which took less time there than these (128
/// lanes × 128 terms × 16 rows: 48–52 µs against 53–54). On a Zen 1 EPYC
/// (`scripts/ab-min.sh`, at two alignments) six networks' Laplacians took 0.72–0.90 of the
/// scalar lanes' time, six networks' `hvp`s 0.81–0.93, the others within −3 and +5 %, the
/// whole set 0.955; the seed's `hvp`, whose only sums of rows are 20 lanes × 10 terms × 2
/// rows, 1.02–1.06; the Hessians, against a row of the triangle at a time, 0.66–0.82.
/// On that machine a term of two rows by four registers is 30 instructions, run at about
/// four a cycle as every arrangement measured is: 7.0–7.2 cycles for its 16 multiply-adds,
/// against 4.6–4.8 for the multiplications and additions alone (`scripts/sse2-loop.sh`).
/// Three rows a term took 6–8 % fewer cycles in assembly, but as Rust LLVM spilled them.
///
/// Out of line, with the rows' count a constant: inlined, beside it LLVM stopped inlining
/// [`rows`]' closures in the six-input network's batch Hessian (twice as long); over a
/// slice of rows, a count it did not know, it copied the whole matrix to the stack ahead
/// of the loop over pairs (20 × 10 × 2: 229 ns against 117; docs/performance-log.md, "The
/// forty-third session").
#[inline(never)]
pub fn sums_rows<
    V: Lanes,
    const N: usize,
    const TERMS: usize,
    const R: usize,
    const LOWER: bool,
>(
    acc: &mut [[V::T; N]; R],
    add: bool,
    term: impl Fn(usize, usize, usize) -> (V::T, V::T),
) {
    if const { N * TERMS <= REGISTER_BLOCKED_TERMS } {
        return pairs::<V, N, R, LOWER>(acc, add, TERMS, &term);
    }
    if const { !LOWER } {
        return super::scalar_sums_rows::<V::T, N, TERMS>(acc, add, term);
    }
    // A triangle past the line: `V_BLOCK` terms at a time, each block's part of the matrix
    // read from L2 once, then by every pair of rows from L1.
    let mut from = 0;
    while from < TERMS {
        let terms = V_BLOCK.min(TERMS - from);
        pairs::<V, N, R, LOWER>(acc, add || from > 0, terms, &|r, v, l| term(r, from + v, l));
        from += terms;
    }
}

/// Every row's sums of `terms` terms, two rows at a time; if `LOWER`, each pair's lanes up
/// to its second row's diagonal.
#[inline(always)]
fn pairs<V: Lanes, const N: usize, const R: usize, const LOWER: bool>(
    acc: &mut [[V::T; N]; R],
    add: bool,
    terms: usize,
    term: &impl Fn(usize, usize, usize) -> (V::T, V::T),
) {
    let end = |last: usize| if LOWER { last + 1 } else { N };
    let mut r = 0;
    while r + 2 <= R {
        let pair: &mut [[V::T; N]; 2] = (&mut acc[r..r + 2]).try_into().unwrap();
        held::<V, N, 2>(pair, &|k, v, l| term(r + k, v, l), add, terms, end(r + 1));
        r += 2;
    }
    if r < R {
        let last = core::array::from_mut(&mut acc[r]);
        held::<V, N, 1>(last, &|_, v, l| term(r, v, l), add, terms, end(r));
    }
}

/// `K` rows' sums, from what they hold if `add`, else from zero, in lanes up to `end` at
/// least: eight lanes at a time, then the whole registers left together (alone, each would
/// be a chain of dependent additions), then the last lane or three, in scalar
/// multiply-adds.
#[inline(always)]
fn held<V: Lanes, const N: usize, const K: usize>(
    rows: &mut [[V::T; N]; K],
    term: &impl Fn(usize, usize, usize) -> (V::T, V::T),
    add: bool,
    terms: usize,
    end: usize,
) {
    let mut l = 0;
    while l + LANES <= N && l < end {
        registers::<V, N, K>(rows, term, add, terms, l, LANES / V::WIDTH);
        l += LANES;
    }
    if l >= end {
        return;
    }
    let left = (N - l) / V::WIDTH;
    if left > 0 {
        registers::<V, N, K>(rows, term, add, terms, l, left);
        l += left * V::WIDTH;
    }
    for (k, row) in rows.iter_mut().enumerate() {
        for (i, lane) in row.iter_mut().enumerate().skip(l) {
            if !add {
                *lane = <V::T as num_traits::Zero>::zero();
            }
            for v in 0..terms {
                let (a, b) = term(k, v, i);
                *lane = madd(a, b, *lane);
            }
        }
    }
}

/// `registers` of lanes from lane `l` of each of `K` rows, from what they hold if `add`,
/// else from zero, held while the terms go by.
#[inline(always)]
fn registers<V: Lanes, const N: usize, const K: usize>(
    rows: &mut [[V::T; N]; K],
    term: &impl Fn(usize, usize, usize) -> (V::T, V::T),
    add: bool,
    terms: usize,
    l: usize,
    registers: usize,
) {
    let mut lanes = [[V::zero(); 4]; K];
    if add {
        for (lanes, row) in lanes.iter_mut().zip(rows.iter()) {
            for (q, lane) in lanes.iter_mut().take(registers).enumerate() {
                *lane = V::load(&row[l + q * V::WIDTH..]);
            }
        }
    }
    for v in 0..terms {
        for (k, lanes) in lanes.iter_mut().enumerate() {
            for (q, lane) in lanes.iter_mut().take(registers).enumerate() {
                *lane = V::products(|i| term(k, v, i), l + q * V::WIDTH).add(*lane);
            }
        }
    }
    for (lanes, row) in lanes.iter().zip(rows.iter_mut()) {
        for (q, lane) in lanes.iter().take(registers).enumerate() {
            lane.store(&mut row[l + q * V::WIDTH..]);
        }
    }
}

/// [`axpys`](super::axpys) of a whole row, `acc[l] = Σ_{v<V} a·b + acc[l]` for `(a, b) =
/// term(v, l)`, each lane to the bit [`scalar_axpys`](super::scalar_axpys)': the row's
/// registers in as few passes of at most [`HELD`] as will do, as even as they go, each
/// pass's held while every term goes by; then the last lane or three. The scalar lanes
/// take each term across the whole row, and past sixteen registers LLVM keeps the sums in
/// memory, a load and a store for most products: on a Zen 1 EPYC the seed's reverse first
/// layer (52 lanes, 20 terms) took 270 ns so and 183 held, its `value_and_gradient` 1–3 %
/// less, its `hvp` 5–7 %, the 40-24-1 network's `value_and_gradient` 12–13 %, the wide
/// network's 13–17 % (with [`scaled_axpys_of`](super::scaled_axpys_of) so too;
/// `scripts/ab-min.sh`, two alignments; docs/performance-log.md, "The forty-fifth
/// session"). Passes of eight and then one of the rest made that layer a quarter faster
/// but the seed's `value_and_gradient` 2–4 % slower. Rows shorter than 32 lanes (the
/// 10-10-10-1 network's `value_and_gradient` took 7–8 % longer held) and parts of rows
/// (`WHOLE` false: a length known only at run time, whose sums would stay in memory) go
/// in the scalar lanes.
#[inline(always)]
pub fn axpys<V: Lanes, const N: usize, const TERMS: usize, const WHOLE: bool>(
    acc: &mut [V::T; N],
    len: usize,
    term: impl Fn(usize, usize) -> (V::T, V::T),
) {
    if const { N < 32 || !WHOLE } {
        return super::scalar_axpys::<V::T, N, TERMS>(acc, len, term);
    }
    let registers = N / V::WIDTH;
    let passes = registers.div_ceil(HELD);
    // `long` passes of `size + 1` registers, then the rest of `size`: the same size all
    // through each loop, so that its registers stay registers.
    let (size, long) = (registers / passes, registers % passes);
    for pass in 0..long {
        row_registers::<V, N>(acc, &term, pass * (size + 1) * V::WIDTH, size + 1, TERMS);
    }
    for pass in long..passes {
        row_registers::<V, N>(acc, &term, (long + pass * size) * V::WIDTH, size, TERMS);
    }
    for (i, lane) in acc.iter_mut().enumerate().skip(registers * V::WIDTH) {
        for v in 0..TERMS {
            let (a, b) = term(v, i);
            *lane = madd(a, b, *lane);
        }
    }
}

/// The most registers of lanes [`axpys`] holds at a time: with a term's broadcast and
/// product, fifteen of SSE2's sixteen.
const HELD: usize = 13;

/// `registers` (at most [`HELD`]) registers of a row's lanes from lane `l`, from what they
/// hold, held while the terms go by.
#[inline(always)]
fn row_registers<V: Lanes, const N: usize>(
    row: &mut [V::T; N],
    term: &impl Fn(usize, usize) -> (V::T, V::T),
    l: usize,
    registers: usize,
    terms: usize,
) {
    let mut lanes = [V::zero(); HELD];
    for (q, lane) in lanes.iter_mut().take(registers).enumerate() {
        *lane = V::load(&row[l + q * V::WIDTH..]);
    }
    for v in 0..terms {
        for (q, lane) in lanes.iter_mut().take(registers).enumerate() {
            *lane = V::products(|i| term(v, i), l + q * V::WIDTH).add(*lane);
        }
    }
    for (q, lane) in lanes.iter().take(registers).enumerate() {
        lane.store(&mut row[l + q * V::WIDTH..]);
    }
}
