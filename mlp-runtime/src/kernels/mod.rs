//! The arithmetic generated code leans on: a multiply-add that is fused where the target
//! has FMA (x86-64 with the `fma` feature, AArch64), and sums and dot products in eight
//! independent lanes, which the compiler turns into vector instructions (a sum in one
//! accumulator is a chain of dependent additions, one per cycle at best, that no compiler
//! may reorder).
//!
//! Eight lanes change the order of a sum's additions, and a fused multiply-add rounds once
//! where `a * b + c` rounds twice: the last bits of a result differ from a serial sum's by
//! at most the sum's usual rounding error, `n ε Σ|terms|` for `n` terms. The tests bound the
//! generated code's results against the ndarray reference by exactly that.

use crate::Scalar;

#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
pub(crate) mod avx;
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx512f",
    target_feature = "fma"
))]
pub(crate) mod avx512;
#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
pub(crate) mod block;
mod frame;
#[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
pub(crate) mod sse2;
#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
pub(crate) mod tanh;
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx2",
    target_feature = "fma"
))]
pub(crate) mod tanh_f32;
pub(crate) mod tanh_row;

pub use frame::align_frame;

/// Up to how many terms [`axpys`] holds lanes in registers while `v` goes by: beyond, the
/// matrix they read column-wise no longer stays in a 32 KiB L1 cache, and one row at a time
/// (memory read in order) is faster (measured on the wide benchmark network: 6.8 µs against
/// 9.3 for its gradient). The macro keeps a copy (`lower/lanes.rs`): past it, a single
/// call's matrix of such sums goes by `sums_rows` instead (a test there ties the two).
pub const REGISTER_BLOCKED_TERMS: usize = 4096;

/// How many terms [`sums_rows`] takes at a time past [`REGISTER_BLOCKED_TERMS`], where it
/// does not take them all at once (the AVX form streams a block's; see its `sums_rows_in`):
/// their part of the matrix is read from L2 once, then taken by every row from L1 (a
/// block's samples; read whole for each row, a 128 × 128 matrix made the wide network's
/// batch gradient a third slower, and an eighth on the default target).
const V_BLOCK: usize = 16;

/// The lanes of [`sum`] and [`dot`].
const LANES: usize = 8;

/// What is left of a dot product after its groups of eight, if at least this many, goes
/// into the first lanes as one more (half) group.
const HALF: usize = 4;

/// Whether the target multiplies and adds in one instruction, rounding once: x86-64 with
/// the `fma` feature, and AArch64, whose floating point always has it (`fmadd`, and
/// `fmla` in vectors). Elsewhere `mul_add` would be a slow library call.
pub(crate) const FUSED: bool = cfg!(any(
    target_feature = "fma",
    all(target_arch = "aarch64", target_feature = "neon")
));

/// `a·b + c`: one rounding where the target multiplies and adds in one instruction
/// (`FUSED`), two elsewhere.
#[inline(always)]
pub fn madd<T: Scalar>(a: T, b: T, c: T) -> T {
    if FUSED {
        a.fused_mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `Σ_{i<N} term(i)`, in eight lanes.
#[inline(always)]
pub fn sum<T: Scalar, const N: usize>(term: impl Fn(usize) -> T) -> T {
    let mut lanes = [T::zero(); LANES];
    let mut i = 0;
    while i + LANES <= N {
        for (l, lane) in lanes.iter_mut().enumerate() {
            *lane = *lane + term(i + l);
        }
        i += LANES;
    }
    let mut tail = T::zero();
    while i < N {
        tail = tail + term(i);
        i += 1;
    }
    combine(|l| lanes[l]) + tail
}

/// `Σ_{i<N} term(i)`, one term after the other, from the first: as unrolled code adds a sum
/// it writes out term by term (a block kernel must add each sample's sums as its single
/// call does).
#[inline(always)]
pub fn serial_sum<T: Scalar, const N: usize>(term: impl Fn(usize) -> T) -> T {
    match N {
        0 => T::zero(),
        _ => (1..N).fold(term(0), |sum, i| sum + term(i)),
    }
}

/// `acc + term(0) + term(1) + …`, one term after the other onto `acc`: as unrolled code adds
/// a sum that follows other terms (`a + Σ_i t_i` written out is `a + t_0 + t_1 + …`, a
/// chain from `a`, not `a` plus the sum).
#[inline(always)]
pub fn serial_sum_onto<T: Scalar, const N: usize>(acc: T, term: impl Fn(usize) -> T) -> T {
    (0..N).fold(acc, |sum, i| sum + term(i))
}

/// `Σ_{i<N} a_i·b_i` for `(a_i, b_i) = term(i)`, in eight lanes of multiply-adds.
///
/// With AVX and FMA, in vector registers written out ([`Scalar::lanes_dot`]): left to
/// itself, LLVM vectorizes a layer's loop over rows instead, gathering each row's
/// elements (twice as slow). On x86-64 without FMA, in SSE2 registers written out. Either
/// way each lane adds the same terms in the same order.
#[inline(always)]
pub fn dot<T: Scalar, const N: usize>(term: impl Fn(usize) -> (T, T)) -> T {
    T::lanes_dot::<N>(term)
}

/// `out[r] = Σ_{i<N} a·b` for `(a, b) = term(r, i)`: a layer's [`dot`]s, each row's result
/// to the bit its [`dot`]. Where AVX and FMA are there, in `f64`, four rows' lanes are
/// combined at once (one horizontal reduction per row costs as much as its multiply-adds
/// in a short row), and long rows' steps go five rows side by side (ten chains of
/// multiply-adds in flight); in `f32`, eight rows' steps go side by side (a row's lanes
/// are one vector, one chain of multiply-adds), their lanes added up at once. On x86-64
/// without FMA, two rows side by side in SSE2 registers (`sse2.rs`).
#[inline(always)]
pub fn dot_rows<T: Scalar, const N: usize, const R: usize>(
    term: impl Fn(usize, usize) -> (T, T),
) -> [T; R] {
    T::lanes_dot_rows::<N, R>(term)
}

/// [`dot`] in scalar lanes, which the compiler may vectorize as it likes: term `8g + l` into
/// lane `l`; then, if four or more are left, the next four into lanes 0–3 (half a vector
/// more, rather than four dependent steps); the last few one after the other,
/// from `-0.0` (see `avx::tail`).
#[inline(always)]
pub(crate) fn scalar_dot<T: Scalar, const N: usize>(term: impl Fn(usize) -> (T, T)) -> T {
    let mut lanes = [T::zero(); LANES];
    let mut i = 0;
    while i + LANES <= N {
        for (l, lane) in lanes.iter_mut().enumerate() {
            let (a, b) = term(i + l);
            *lane = madd(a, b, *lane);
        }
        i += LANES;
    }
    if i + HALF <= N {
        for (l, lane) in lanes[..HALF].iter_mut().enumerate() {
            let (a, b) = term(i + l);
            *lane = madd(a, b, *lane);
        }
        i += HALF;
    }
    let mut tail = -T::zero();
    while i < N {
        let (a, b) = term(i);
        tail = madd(a, b, tail);
        i += 1;
    }
    combine(|l| lanes[l]) + tail
}

/// `acc[l] = a_l·b_l + acc[l]` for every lane `l < N`, `(a_l, b_l) = term(l)`: one step of
/// a sum accumulated a whole row at a time (an axpy), each lane as [`madd`] computes it.
///
/// With AVX and FMA, in vector registers written out, as [`dot`] is: left to itself, LLVM
/// may vectorize the loop around this one instead, with gathers and scatters.
#[inline(always)]
pub fn axpy<T: Scalar, const N: usize>(acc: &mut [T; N], term: impl Fn(usize) -> (T, T)) {
    axpys::<T, N, 1>(acc, |_, l| term(l))
}

/// `acc[l] = Σ_{v<V} a·b + acc[l]` for `(a, b) = term(v, l)`, every lane `l < N`: a whole
/// sum accumulated a row at a time (a matrix-vector product in column order), each lane's
/// terms in order of `v`, each one [`madd`]. Where AVX and FMA are there, and for rows of
/// 32 lanes or more in SSE2 registers where x86-64 has no FMA, a few vectors of lanes stay
/// in registers while every `v` goes by, instead of a row's worth of loads and stores per
/// `v`.
#[inline(always)]
pub fn axpys<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [T; N],
    term: impl Fn(usize, usize) -> (T, T),
) {
    T::lanes_axpys::<N, V, true>(acc, N, term)
}

/// [`dot_rows`] of a whole matrix and a vector, `out[r] = Σ_{i<N} w[r][i]·v[i]` (`W·v`), to
/// the bit: what generated code calls where a layer's sums read both whole, so that it
/// reads as the algebra.
#[inline(always)]
pub fn dot_rows_of<T: Scalar, const N: usize, const R: usize>(
    w: &[[T; N]; R],
    v: &[T; N],
) -> [T; R] {
    dot_rows::<T, N, R>(|r, i| (w[r][i], v[i]))
}

/// `(W·x, W·v)`: [`dot_rows_of`] of one matrix and two vectors, each result to the bit its
/// own call's, the matrix read once for both: row `r`'s products are rows `2r` (`W[r]·x`)
/// and `2r + 1` (`W[r]·v`) of one [`dot_rows`], four rows of `W` at a time, eight
/// products, where which vector each takes is known as the kernel is written out (one
/// [`dot_rows`] of all `2R`, with the row's parity left to the run, made two of the four
/// other networks' `hvp` 3–5 % slower). Past [`REGISTER_BLOCKED_TERMS`], where the rows
/// come from L2, with AVX alone two rows at a time (four products, [`dot_rows`]' four
/// rows combined). Those went a product at a time, the second finding its row in L1, each a
/// chain of multiply-adds waiting on the one before: the wide benchmark network's `hvp`
/// −24 % with AVX-512 (rows of `W` four at a time; two alignments), −18 % with AVX alone
/// (two at a time; four took −1.5 %), on a Xeon (`scripts/ab-min.sh`). `hvp` calls it for
/// `W1·x` and `W1·v`, and for `W2·a1` and `W2·ȧ1`; so does `jvp`.
#[inline(always)]
pub fn dot_rows_of_two<T: Scalar, const N: usize, const R: usize, const R2: usize>(
    w: &[[T; N]; R],
    x: &[T; N],
    v: &[T; N],
) -> ([T; R], [T; R]) {
    const { assert!(R2 == 2 * R) };
    let term = |r: usize, i: usize| (w[r / 2][i], if r.is_multiple_of(2) { x[i] } else { v[i] });
    let (mut wx, mut wv) = ([T::zero(); R], [T::zero(); R]);
    let mut put = |from: usize, sums: &[T]| {
        for (q, pair) in sums.chunks_exact(2).enumerate() {
            (wx[from + q], wv[from + q]) = (pair[0], pair[1]);
        }
    };
    let grouped = if const { N * R2 > REGISTER_BLOCKED_TERMS && !cfg!(target_feature = "avx512f") }
    {
        for g in 0..R / 2 {
            put(2 * g, &dot_rows::<T, N, 4>(|q, i| term(4 * g + q, i)));
        }
        R / 2 * 2
    } else {
        for g in 0..R / 4 {
            put(4 * g, &dot_rows::<T, N, 8>(|q, i| term(8 * g + q, i)));
        }
        R / 4 * 4
    };
    for r in grouped..R {
        put(r, &dot_rows::<T, N, 2>(|q, i| term(2 * r + q, i)));
    }
    (wx, wv)
}

/// [`dot_rows_of_two`] for two directions' tangents (`W2·ȧ1[c]` and `W2·ȧ1[c + 1]`, or a
/// layer's `W2·a1` and its last tangent), where AVX and FMA are there and the matrix is
/// half of an L1 cache or more (16 KiB), which a product at a time reads from L2 again
/// once the other matrices have had the cache; else a product at a time, each to the same
/// bits. On Zen 4 the 3-64-64-64-1 network's `value_gradient_laplacian` took −15 % so with
/// AVX-512, −16 % with AVX2, and +64 % on the default target; the 2-16-40 network's
/// `jacobian` (a 5 KiB matrix) +3 and +8 % (`scripts/ab-min.sh`; docs/performance-log.md,
/// "The thirty-eighth session"). `hvp`'s pairs (`W1·x` and `W1·v`) keep
/// [`dot_rows_of_two`] everywhere: on the default target a product at a time made some
/// networks' `hvp` faster by up to a third and others slower by up to a fifth (before the
/// SSE2 kernels of the forty-first session).
#[inline(always)]
pub fn dot_rows_of_pair<T: Scalar, const N: usize, const R: usize, const R2: usize>(
    w: &[[T; N]; R],
    x: &[T; N],
    v: &[T; N],
) -> ([T; R], [T; R]) {
    if const { read_once::<T, N, R>() } {
        dot_rows_of_two::<T, N, R, R2>(w, x, v)
    } else {
        (dot_rows_of(w, x), dot_rows_of(w, v))
    }
}

/// Whether an `R × N` matrix's products by several vectors read it once for all
/// ([`dot_rows_of_pair`], [`dot_rows_of_three`]): where AVX and FMA are there and it is
/// half of an L1 cache or more (16 KiB), which a product at a time would read from L2
/// again; without them, the products side by side fit no register file.
const fn read_once<T, const N: usize, const R: usize>() -> bool {
    N * R * core::mem::size_of::<T>() >= 16 * 1024
        && cfg!(all(target_feature = "avx", target_feature = "fma"))
}

/// `(W·x, W·u, W·v)`: [`dot_rows_of`] of one matrix and three vectors, each result to the
/// bit its own call's. Where AVX and FMA are there and the matrix is 16 KiB or more (as
/// [`dot_rows_of_pair`] pairs), the matrix is read once for all three: two of its rows at
/// a time, six products, in one [`dot_rows`]; else a product at a time. A Laplacian's
/// layer, `W2·a1`, its last tangent `W2·ȧ1[2]` and its second-order sums `W2·Σä1`.
#[inline(always)]
pub fn dot_rows_of_three<T: Scalar, const N: usize, const R: usize>(
    w: &[[T; N]; R],
    x: &[T; N],
    u: &[T; N],
    v: &[T; N],
) -> ([T; R], [T; R], [T; R]) {
    if const { !read_once::<T, N, R>() } {
        return (dot_rows_of(w, x), dot_rows_of(w, u), dot_rows_of(w, v));
    }
    let vectors = [x, u, v];
    let mut out = [[T::zero(); R]; 3];
    let mut put = |from: usize, sums: &[T]| {
        for (q, &sum) in sums.iter().enumerate() {
            out[q % 3][from + q / 3] = sum;
        }
    };
    for g in 0..R / 2 {
        put(
            2 * g,
            &dot_rows::<T, N, 6>(|q, i| (w[2 * g + q / 3][i], vectors[q % 3][i])),
        );
    }
    if R % 2 == 1 {
        put(
            R - 1,
            &dot_rows::<T, N, 3>(|q, i| (w[R - 1][i], vectors[q][i])),
        );
    }
    let [wx, wu, wv] = out;
    (wx, wu, wv)
}

/// [`axpys`] of a whole matrix's rows, `acc[l] = Σ_{v<V} w[v][l]·d[v] + acc[l]` (`acc +
/// Wᵀ·d`), to the bit.
#[inline(always)]
pub fn axpys_of<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [T; N],
    w: &[[T; N]; V],
    d: &[T; V],
) {
    axpys::<T, N, V>(acc, |v, l| (w[v][l], d[v]))
}

/// `(Wᵀ·d, Wᵀ·e)`: [`axpys_of`] of one matrix and two vectors into zeros, each result to
/// the bit its own call's, the matrix read once for both (by [`sums_rows`], the two rows
/// side by side) where it is 4 KiB or more; else one product after the other. A reverse
/// sweep's adjoint and its tangent's sum, `ā2 = W3ᵀ·δ3` and `W3ᵀ·δ̇3`, once `δ̇3` moves up
/// to be known with `δ3`. On Zen 4 the 3-64-64-64-1 network's `hvp` took −6 to −7 % so
/// (AVX-512; −9 % AVX2), a 30-30-30-1 network's −6 %; a 12-16-16-16-1 network's (a 2 KiB
/// `W3`) +2 % side by side, −4 % one after the other (`scripts/ab-min.sh`;
/// docs/performance-log.md, "The thirty-ninth session").
#[inline(always)]
pub fn axpys_of_two<T: Scalar, const N: usize, const V: usize>(
    w: &[[T; N]; V],
    d: &[T; V],
    e: &[T; V],
) -> ([T; N], [T; N]) {
    let mut accs = [[T::zero(); N]; 2];
    if const { N * V * core::mem::size_of::<T>() >= 4 * 1024 } {
        let vectors = [d, e];
        sums_rows::<T, N, V, 2>(&mut accs, |r, v, l| (w[v][l], vectors[r][v]));
    } else {
        let [wd, we] = &mut accs;
        axpys_of(wd, w, d);
        axpys_of(we, w, e);
    }
    let [wd, we] = accs;
    (wd, we)
}

/// [`axpys_of`] into zeros, each sum multiplied by the element of `scale` at its place:
/// `out[l] = scale[l] · Σ_{v<V} w[v][l]·d[v]` (`s ⊙ Wᵀ·d`, a reverse sweep's `δ1 = σ'(z1)
/// ⊙ W2ᵀδ2`), to the bit `scale[l] * s` for [`axpys_of`]'s sum `s`. Where AVX and FMA are
/// there, each vector of sums is multiplied on its way out of the registers, where a loop
/// after [`axpys_of`] would store the sums and load them back, in the chain of steps a
/// single call waits on.
#[inline(always)]
pub fn scaled_axpys_of<T: Scalar, const N: usize, const V: usize>(
    out: &mut [T; N],
    scale: &[T; N],
    w: &[[T; N]; V],
    d: &[T; V],
) {
    T::lanes_scaled_axpys::<N, V>(out, scale, |v, l| (w[v][l], d[v]))
}

/// Every row's sums of products: `acc[r][l] = Σ_{v<V} a·b` for `(a, b) = term(r, v, l)`,
/// each row's lanes to the bit as [`axpys`] computes them into zeros. `acc` is written, not
/// read (a block kernel's result, or sums a block reuses, need no zeroing first). Where AVX
/// and FMA are there, rows go side by side, which a loop of [`axpys`] calls cannot: one
/// row's few vectors of sums, each a chain of dependent multiply-adds, keep the units busy
/// half the time. On x86-64 without FMA, two rows side by side in SSE2 registers up to
/// [`REGISTER_BLOCKED_TERMS`] terms a row (`sse2.rs`).
#[inline(always)]
pub fn sums_rows<T: Scalar, const N: usize, const V: usize, const R: usize>(
    acc: &mut [[T; N]; R],
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    T::lanes_sums_rows::<N, V, R, false>(acc, None, false, term)
}

/// [`sums_rows`], each sum multiplied by the element of `scale` at its place: `out[r][l] =
/// scale[r][l] · Σ_{v<V} a·b`, to the bit `scale[r][l] * s` for [`sums_rows`]' sum `s` (a
/// block's `δ1 = σ'(z1) ⊙ W2ᵀδ2`). Where AVX and FMA are there, each vector of sums is
/// multiplied on its way out of the registers: a loop over the sums after [`sums_rows`]
/// would store them, load them back and store them again.
#[inline(always)]
pub fn scaled_sums_rows<T: Scalar, const N: usize, const V: usize, const R: usize>(
    out: &mut [[T; N]; R],
    scale: &[[T; N]; R],
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    T::lanes_sums_rows::<N, V, R, false>(out, Some(scale), false, term)
}

/// [`scaled_sums_rows`] with one `scale` for every row: `out[r][l] = scale[l] · Σ_{v<V}
/// a·b`, to the bit `scale[l] * s` for [`sums_rows`]' sum `s` (a Jacobian's `δ1[r] = σ'(z1)
/// ⊙ W2ᵀδ2[r]`, a row per output; the same as a row at a time by [`scaled_axpys_of`], in
/// less time where AVX and FMA put the rows side by side). The scale is repeated for each
/// row: `R·N` stores, against the `R·N·V` multiply-adds.
#[inline(always)]
pub fn lane_scaled_sums_rows<T: Scalar, const N: usize, const V: usize, const R: usize>(
    out: &mut [[T; N]; R],
    scale: &[T; N],
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    T::lanes_sums_rows::<N, V, R, false>(out, Some(&[*scale; R]), false, term)
}

/// `acc[r][l] = scale[r][l] * acc[r][l]` for every row `r` and lane `l`.
#[inline(always)]
pub(crate) fn scale_rows<T: Scalar, const N: usize>(acc: &mut [[T; N]], scale: &[[T; N]]) {
    for (row, scale) in acc.iter_mut().zip(scale) {
        for (lane, &scale) in row.iter_mut().zip(scale) {
            *lane = scale * *lane;
        }
    }
}

/// A symmetric matrix from its lower triangle: `acc[r][l] = Σ_{v<V} a·b` for `(a, b) =
/// term(r, v, l)` and every `l ≤ r`, each to the bit as [`sums_rows`] computes it, then
/// mirrored, `acc[l][r] = acc[r][l]`, so that the matrix is exactly symmetric. `acc` is
/// written, not read.
///
/// Where AVX and FMA are there, [`sums_rows`]' rows side by side, each group of rows up
/// to the vector of lanes its last row's diagonal falls in; then the mirror. On x86-64
/// without FMA likewise, two rows up to the group of eight lanes their diagonal falls in.
/// Else (and so before, everywhere) a row at a time up to its diagonal, written to both
/// halves at once: with AVX, a row's few vectors of sums were short chains of
/// multiply-adds that kept the units waiting. The seed network's Hessian on Zen 3
/// (`scripts/ab-min.sh`, native): 7.02 → 5.12 µs and 7.38 → 5.08 µs in two runs; the whole
/// square by [`sums_rows`], then mirrored, had been 5.86. On the default target on a Zen 1
/// EPYC, in SSE2 registers: 26.3 → 18.1 µs (the wide network's, in blocks of sixteen
/// terms, 445 → 348).
// The mirror indexes `acc` both ways, `[r][l]` and `[l][r]`: no iterator says that better.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
pub fn sums_symmetric<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [[T; N]; N],
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    if TRIANGLE_SIDE_BY_SIDE {
        T::lanes_sums_rows::<N, V, N, true>(acc, None, false, term);
        T::mirror(acc);
        return;
    }
    for r in 0..N {
        // Aligned to a cache line's half: else half of the vectors' loads and stores of
        // the sums could be misaligned, one in four across lines (the seed network's
        // Hessian, default target, measured 5–9 % slower so).
        let mut sums = Aligned([T::zero(); N]);
        T::lanes_axpys::<N, V, false>(&mut sums.0, r + 1, |v, l| term(r, v, l));
        for l in 0..=r {
            acc[r][l] = sums.0[l];
            acc[l][r] = sums.0[l];
        }
    }
}

/// A symmetric matrix's lower triangle: `acc[r][l] = Σ_{v<V} a·b` for `(a, b) = term(r,
/// v, l)` and every `l ≤ r`, each to the bit as [`sums_symmetric`] computes it; the lanes
/// past each row's diagonal are left unspecified, for [`mirror`] to overwrite. With
/// [`add_sums_lower`] and [`mirror`], a symmetric matrix that is a sum of such sums (a
/// Hessian's `Σ_j q1[j,k]·W1[j,c] + Σ_i q2[i,k]·ż2[i,c]`), each a triangle of rows side by
/// side as [`sums_symmetric`] takes them.
#[inline(always)]
pub fn sums_lower<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [[T; N]; N],
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    lower::<T, N, V>(acc, false, term);
}

/// [`sums_lower`] added to what the lower triangle of `acc` holds: `acc[r][l] += Σ_{v<V}
/// a·b` for every `l ≤ r`, the terms multiplied and added one at a time onto it, in order.
#[inline(always)]
pub fn add_sums_lower<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [[T; N]; N],
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    lower::<T, N, V>(acc, true, term);
}

/// [`sums_lower`] or [`add_sums_lower`].
// A row's lanes up to its diagonal, indexed as `acc` is: no iterator says that better.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
fn lower<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [[T; N]; N],
    add: bool,
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    if TRIANGLE_SIDE_BY_SIDE {
        T::lanes_sums_rows::<N, V, N, true>(acc, None, add, term);
        return;
    }
    for r in 0..N {
        let mut sums = Aligned([T::zero(); N]);
        if add {
            sums.0[..=r].copy_from_slice(&acc[r][..=r]);
        }
        T::lanes_axpys::<N, V, false>(&mut sums.0, r + 1, |v, l| term(r, v, l));
        acc[r][..=r].copy_from_slice(&sums.0[..=r]);
    }
}

/// Whether [`sums_symmetric`] and [`sums_lower`] take a triangle's rows side by side, by
/// [`sums_rows`]' kernels: with AVX and FMA, and on x86-64 without FMA (two rows in SSE2
/// registers). Else a row at a time up to its diagonal.
const TRIANGLE_SIDE_BY_SIDE: bool = cfg!(any(
    all(target_feature = "avx", target_feature = "fma"),
    all(target_arch = "x86_64", not(target_feature = "fma"))
));

/// `acc[l][r] = acc[r][l]` for every `l < r`: a symmetric matrix from its lower triangle
/// ([`sums_lower`]), exactly symmetric.
#[inline(always)]
pub fn mirror<T: Scalar, const N: usize>(acc: &mut [[T; N]; N]) {
    T::mirror(acc);
}

/// `acc[l][r] = acc[r][l]` for every `l < r`, except, in rows `r < from`, those before
/// `r`'s own block of four (`l < r / 4 · 4`): from 0 the whole mirror; from
/// `avx::mirror_f64` (with AVX), what its blocks leave (the diagonal's blocks, and the rows
/// from the last whole block on).
// The mirror indexes `acc` both ways, `[r][l]` and `[l][r]`: no iterator says that better.
#[allow(clippy::needless_range_loop)]
#[inline(always)]
pub(crate) fn mirror_from<T: Copy, const N: usize>(acc: &mut [[T; N]; N], from: usize) {
    for r in 0..N {
        let start = if r < from { r / 4 * 4 } else { 0 };
        for l in start..r {
            acc[l][r] = acc[r][l];
        }
    }
}

/// A value aligned to 32 bytes (an AVX vector, half a cache line).
#[repr(C, align(32))]
struct Aligned<A>(A);

/// [`axpys`] on the first `len` lanes (a symmetric matrix's row up to its diagonal), and,
/// with AVX, on those after them up to a whole 256-bit vector's worth (the last few lanes
/// one at a time, in scalar multiply-adds, made the seed network's Hessian 4 % slower on
/// Zen 3). Lanes from `len` on are the caller's to ignore.
#[inline(always)]
pub fn axpys_prefix<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [T; N],
    len: usize,
    term: impl Fn(usize, usize) -> (T, T),
) {
    let len = if cfg!(all(target_feature = "avx", target_feature = "fma")) {
        len.next_multiple_of(32 / core::mem::size_of::<T>())
    } else {
        len
    };
    T::lanes_axpys::<N, V, false>(acc, len.min(N), term)
}

/// [`sums_rows`] in scalar lanes: every row zeroed (unless `add`), then its
/// [`scalar_axpys`], [`V_BLOCK`] terms at a time past [`REGISTER_BLOCKED_TERMS`].
#[inline(always)]
pub(crate) fn scalar_sums_rows<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [[T; N]],
    add: bool,
    term: impl Fn(usize, usize, usize) -> (T, T),
) {
    if !add {
        acc.fill([T::zero(); N]);
    }
    if const { N * V <= REGISTER_BLOCKED_TERMS } {
        for (r, row) in acc.iter_mut().enumerate() {
            scalar_axpys::<T, N, V>(row, N, |v, l| term(r, v, l));
        }
        return;
    }
    // Whole blocks of a known length, then the rest; in each, a row's lanes eight at a
    // time, held while the block's terms go by (a whole row of sums, 128 lanes, does not
    // stay in registers: loaded and stored for every term, the wide network's batch
    // gradient took a fifth longer on the default target than with its lanes the
    // samples).
    let whole = V / V_BLOCK * V_BLOCK;
    for from in (0..whole).step_by(V_BLOCK) {
        for (r, row) in acc.iter_mut().enumerate() {
            held_lanes::<T, N, V_BLOCK>(row, |v, l| term(r, from + v, l));
        }
    }
    for (r, row) in acc.iter_mut().enumerate() {
        for v in whole..V {
            for (l, lane) in row.iter_mut().enumerate() {
                let (a, b) = term(r, v, l);
                *lane = madd(a, b, *lane);
            }
        }
    }
}

/// [`scalar_axpys`] of a whole row, its lanes eight at a time held while every `v` goes
/// by.
#[inline(always)]
fn held_lanes<T: Scalar, const N: usize, const V: usize>(
    row: &mut [T; N],
    term: impl Fn(usize, usize) -> (T, T),
) {
    let mut chunks = row.chunks_exact_mut(LANES);
    for (c, chunk) in (&mut chunks).enumerate() {
        let mut lanes = [T::zero(); LANES];
        lanes.copy_from_slice(chunk);
        for v in 0..V {
            for (i, lane) in lanes.iter_mut().enumerate() {
                let (a, b) = term(v, c * LANES + i);
                *lane = madd(a, b, *lane);
            }
        }
        chunk.copy_from_slice(&lanes);
    }
    let from = N / LANES * LANES;
    for (i, lane) in chunks.into_remainder().iter_mut().enumerate() {
        for v in 0..V {
            let (a, b) = term(v, from + i);
            *lane = madd(a, b, *lane);
        }
    }
}

/// [`axpys`] on lanes `l < len`, one `v` at a time.
#[inline(always)]
pub(crate) fn scalar_axpys<T: Scalar, const N: usize, const V: usize>(
    acc: &mut [T; N],
    len: usize,
    term: impl Fn(usize, usize) -> (T, T),
) {
    for v in 0..V {
        for (l, lane) in acc.iter_mut().enumerate().take(len) {
            let (a, b) = term(v, l);
            *lane = madd(a, b, *lane);
        }
    }
}

/// A block's samples, `0..B`, for a loop over them that takes one sample at a time: each
/// index is opaque to the optimizer, so that a sample's lanes go in vectors. Else, where
/// a sample's row is short enough to be written out (the seed network's rows of 20 and
/// 10), LLVM tuning for Zen 4 (`target-cpu=znver4`) vectorizes across the samples instead,
/// gathering and scattering each lane: on a Zen 4 the seed's batch gradient took 169 ns
/// a sample so, against 143 ns this way (`scripts/ab-min.sh`; unchanged built for
/// `x86-64-v3`, which vectorizes the lanes either way).
#[inline(always)]
pub fn samples<const B: usize>() -> impl Iterator<Item = usize> {
    (0..B).map(core::hint::black_box)
}

/// `element(b, j, Σ_{k<N} w[j][k]·x[b][k])` for every sample `b < B` and row `j < R`: a
/// layer's pre-activations for a block of samples, each sample's sums to the bit its
/// single call's [`dot_rows`]. With AVX and FMA, two or four rows at a time go with four
/// samples, each weight vector loaded once for the four; with AVX-512, rows of 8 to 23
/// terms eight at a time, a row to each lane of a vector.
#[inline(always)]
pub fn dot_block<T: Scalar, const N: usize, const B: usize, const R: usize>(
    w: &[[T; N]; R],
    x: &[[T; N]; B],
    element: impl FnMut(usize, usize, T),
) {
    T::lanes_dot_block(w, x, element)
}

/// [`dot_block`] in scalar lanes, for the compiler to vectorize across the samples: the
/// block turned to columns (`x[b][k]` to `columns[k][b]`), then each row's dot products
/// for all samples at once, every sample's terms in its [`dot`]'s lanes. (A sample at a
/// time in these lanes, each dot product ends in a horizontal sum: on the default target
/// the wide network's batch forward took 11 % longer so, the `f32` batches 40–50 %. The
/// default target now takes a sample at a time in SSE2 registers instead, its lanes here
/// too many for its sixteen: 0.51–0.86 times this one's time, `kernels/sse2.rs`.)
#[inline(always)]
pub(crate) fn scalar_dot_block<T: Scalar, const N: usize, const B: usize, const R: usize>(
    w: &[[T; N]; R],
    x: &[[T; N]; B],
    mut element: impl FnMut(usize, usize, T),
) {
    let mut columns = [[T::zero(); B]; N];
    for (b, sample) in x.iter().enumerate() {
        for (k, &value) in sample.iter().enumerate() {
            columns[k][b] = value;
        }
    }
    // `lanes[l][b] += w[i]·columns[i][b]` for every sample.
    let step = |lanes: &mut [T; B], i: usize, w: &[T; N]| {
        for (lane, &x) in lanes.iter_mut().zip(&columns[i]) {
            *lane = madd(w[i], x, *lane);
        }
    };
    for (j, w) in w.iter().enumerate() {
        let mut lanes = [[T::zero(); B]; LANES];
        let mut i = 0;
        while i + LANES <= N {
            for (l, lanes) in lanes.iter_mut().enumerate() {
                step(lanes, i + l, w);
            }
            i += LANES;
        }
        if i + HALF <= N {
            for (l, lanes) in lanes[..HALF].iter_mut().enumerate() {
                step(lanes, i + l, w);
            }
            i += HALF;
        }
        let mut tail = [-T::zero(); B];
        while i < N {
            step(&mut tail, i, w);
            i += 1;
        }
        for (b, &tail) in tail.iter().enumerate() {
            element(b, j, combine(|l| lanes[l][b]) + tail);
        }
    }
}

/// The lanes added pairwise, four apart first (as two vectors of four add).
#[inline(always)]
fn combine<T: Scalar>(l: impl Fn(usize) -> T) -> T {
    ((l(0) + l(4)) + (l(2) + l(6))) + ((l(1) + l(5)) + (l(3) + l(7)))
}

#[cfg(test)]
mod tests {
    use super::{
        add_sums_lower, axpy, axpys, axpys_of, axpys_of_two, axpys_prefix, dot, dot_block,
        dot_rows, dot_rows_of, dot_rows_of_pair, dot_rows_of_three, dot_rows_of_two,
        lane_scaled_sums_rows, madd, mirror, scalar_axpys, scalar_dot, scalar_dot_block,
        scaled_axpys_of, scaled_sums_rows, sum, sums_lower, sums_rows, sums_symmetric,
    };

    /// A value's bits, any NaN as one: `∞·0` is a NaN whose sign the hardware and the
    /// compiler's constant folding choose differently.
    fn any_nan64(x: f64) -> u64 {
        if x.is_nan() { f64::NAN } else { x }.to_bits()
    }

    /// [`any_nan64`] of `f32`.
    fn any_nan32(x: f32) -> u32 {
        if x.is_nan() { f32::NAN } else { x }.to_bits()
    }

    /// One `axpy` step on the first `len` lanes, by the scalar definition.
    fn scalar_axpy_prefix<T: crate::Scalar, const N: usize>(
        acc: &mut [T; N],
        len: usize,
        term: impl Fn(usize) -> (T, T),
    ) {
        scalar_axpys::<T, N, 1>(acc, len, |_, l| term(l));
    }

    #[test]
    fn sums_and_dots() {
        let a: [f64; 21] = core::array::from_fn(|i| i as f64 * 0.5);
        let b: [f64; 21] = core::array::from_fn(|i| 1.0 - i as f64);
        let serial: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert_eq!(
            dot::<f64, 21>(|i| (a[i], b[i])),
            serial,
            "small integers: exact"
        );
        assert_eq!(sum::<f64, 21>(|i| a[i]), a.iter().sum::<f64>());
        assert_eq!(dot::<f64, 0>(|i| (a[i], b[i])), 0.0);
        assert_eq!(sum::<f32, 3>(|i| [1.0, 2.0, 3.0][i]), 6.0);
        assert_eq!(madd(2.0, 3.0, 1.0), 7.0);
    }

    /// Under AVX and FMA, `dot` is written with vector intrinsics; it must be `scalar_dot`
    /// to the bit (else the block kernels would not be single calls to the bit).
    #[test]
    fn vector_and_scalar_lanes_agree_to_the_bit() {
        let a: [f64; 61] = core::array::from_fn(|i| (i as f64 * 0.731).sin() * 1e3);
        let b: [f64; 61] = core::array::from_fn(|i| (i as f64 * 1.37).cos() / 7.0);
        fn check<const N: usize>(a: &[f64; 61], b: &[f64; 61]) {
            for n in [1.0, -3.3, 1e-7] {
                let vector = dot::<f64, N>(|i| (a[i] * n, b[i]));
                let scalar = scalar_dot::<f64, N>(|i| (a[i] * n, b[i]));
                assert_eq!(vector.to_bits(), scalar.to_bits(), "{N} terms");
            }
            // Products too small for a subnormal, each -0 with FMA: the zero's sign too.
            let vector = dot::<f64, N>(|_| (-1e-200, 1e-200));
            let scalar = scalar_dot::<f64, N>(|_| (-1e-200, 1e-200));
            assert_eq!(vector.to_bits(), scalar.to_bits(), "{N} terms of -0");
        }
        // Around the vectors' eight lanes and the half group of four.
        check::<61>(&a, &b);
        check::<52>(&a, &b);
        check::<20>(&a, &b);
        check::<16>(&a, &b);
        check::<12>(&a, &b);
        check::<8>(&a, &b);
        check::<7>(&a, &b);
        check::<4>(&a, &b);
        let (a, b) = (a.map(|v| v as f32), b.map(|v| v as f32));
        let vector = dot::<f32, 61>(|i| (a[i], b[i]));
        assert_eq!(
            vector.to_bits(),
            scalar_dot::<f32, 61>(|i| (a[i], b[i])).to_bits()
        );
        let vector = dot::<f32, 13>(|i| (a[i], b[i]));
        assert_eq!(
            vector.to_bits(),
            scalar_dot::<f32, 13>(|i| (a[i], b[i])).to_bits()
        );
    }

    /// Likewise `axpy` and `axpys` and their scalar definition, at every length around the
    /// vector widths.
    #[test]
    fn vector_and_scalar_axpy_agree_to_the_bit() {
        fn check<const N: usize>() {
            let a: [f64; N] = core::array::from_fn(|i| (i as f64 * 0.731).sin() * 1e3);
            let b: [f64; N] = core::array::from_fn(|i| (i as f64 * 1.37).cos() / 7.0);
            let (mut vector, mut scalar) = (b.map(|v| v * 0.3), b.map(|v| v * 0.3));
            axpy(&mut vector, |l| (a[l], b[l] * 1.1));
            scalar_axpy_prefix(&mut scalar, N, |l| (a[l], b[l] * 1.1));
            assert_eq!(vector.map(f64::to_bits), scalar.map(f64::to_bits));
            // Eleven steps at once, against as many single steps.
            let w = |v: usize, l: usize| ((v * 31 + l) as f64 * 0.37).sin();
            // The prefix's lanes, and with AVX those to the end of its last vector.
            let vectors = cfg!(all(target_feature = "avx", target_feature = "fma"));
            let end = |len: usize, lanes: usize| {
                if vectors {
                    len.next_multiple_of(lanes).min(N)
                } else {
                    len.min(N)
                }
            };
            for len in [0, 1, N / 2, N - 1, N, N + 3] {
                let (mut vector, mut scalar) = (b, b);
                axpys_prefix::<f64, N, 11>(&mut vector, len, |v, l| (w(v, l), a[l]));
                for v in 0..11 {
                    scalar_axpy_prefix(&mut scalar, end(len, 4), |l| (w(v, l), a[l]));
                }
                assert_eq!(vector.map(f64::to_bits), scalar.map(f64::to_bits));
                let (mut vector, mut scalar) = (b.map(|v| v as f32), b.map(|v| v as f32));
                let term = |v: usize, l: usize| (w(v, l) as f32, a[l] as f32);
                axpys_prefix::<f32, N, 11>(&mut vector, len, term);
                for v in 0..11 {
                    scalar_axpy_prefix(&mut scalar, end(len, 8), |l| term(v, l));
                }
                assert_eq!(vector.map(f32::to_bits), scalar.map(f32::to_bits));
            }
            let (mut vector, mut scalar) = (b, b);
            axpys::<f64, N, 3>(&mut vector, |v, l| (w(v, l), a[l]));
            for v in 0..3 {
                axpy(&mut scalar, |l| (w(v, l), a[l]));
            }
            assert_eq!(vector.map(f64::to_bits), scalar.map(f64::to_bits));
        }
        // Past the AVX form's `REGISTER_BLOCKED_TERMS`, row after row: the same sums.
        let w = |v: usize, l: usize| ((v * 31 + l) as f64 * 0.37).sin();
        let (mut vector, mut scalar) = ([0.5; 67], [0.5; 67]);
        axpys::<f64, 67, 70>(&mut vector, |v, l| (w(v, l), 0.3));
        axpys_prefix::<f64, 67, 70>(&mut scalar, 67, |v, l| (w(v, l), 0.3));
        let mut serial = [0.5; 67];
        for v in 0..70 {
            axpy(&mut serial, |l| (w(v, l), 0.3));
        }
        assert_eq!(vector.map(f64::to_bits), serial.map(f64::to_bits));
        assert_eq!(scalar.map(f64::to_bits), serial.map(f64::to_bits));
        let (mut vector, mut serial) = ([0.5f32; 67], [0.5f32; 67]);
        axpys_prefix::<f32, 67, 70>(&mut vector, 40, |v, l| (w(v, l) as f32, 0.3));
        for v in 0..70 {
            scalar_axpy_prefix(&mut serial, 40, |l| (w(v, l) as f32, 0.3));
        }
        assert_eq!(vector.map(f32::to_bits), serial.map(f32::to_bits));
        check::<1>();
        check::<3>();
        check::<4>();
        check::<7>();
        check::<8>();
        check::<13>();
        check::<15>();
        check::<16>();
        check::<17>();
        check::<20>();
        check::<31>();
        check::<33>();
        check::<40>();
        check::<52>();
    }

    /// `lane_scaled_sums_rows` is `scaled_axpys_of` a row at a time, to the bit: short,
    /// medium and long rows (past `REGISTER_BLOCKED_TERMS`), row counts around the groups.
    #[test]
    fn lane_scaled_rows_are_each_their_scaled_axpys() {
        fn check<const N: usize, const V: usize, const R: usize>() {
            let w: [[f64; N]; V] = core::array::from_fn(|v| {
                core::array::from_fn(|l| ((v * 31 + l) as f64 * 0.37).sin())
            });
            let d: [[f64; V]; R] = core::array::from_fn(|r| {
                core::array::from_fn(|v| ((r * 17 + v) as f64 * 1.37).cos())
            });
            let scale: [f64; N] = core::array::from_fn(|l| match l % 7 {
                0 => -0.0,
                1 => f64::INFINITY,
                k => (k as f64 * 0.71).tan(),
            });
            let mut rows = [[f64::NAN; N]; R];
            lane_scaled_sums_rows::<f64, N, V, R>(&mut rows, &scale, |r, v, l| (w[v][l], d[r][v]));
            let (w32, d32) = (
                w.map(|w| w.map(|w| w as f32)),
                d.map(|d| d.map(|d| d as f32)),
            );
            let scale32 = scale.map(|s| s as f32);
            let mut rows32 = [[f32::NAN; N]; R];
            lane_scaled_sums_rows::<f32, N, V, R>(&mut rows32, &scale32, |r, v, l| {
                (w32[v][l], d32[r][v])
            });
            for r in 0..R {
                let mut row = [f64::NAN; N];
                scaled_axpys_of(&mut row, &scale, &w, &d[r]);
                assert_eq!(rows[r].map(any_nan64), row.map(any_nan64), "row {r}");
                let mut row = [f32::NAN; N];
                scaled_axpys_of(&mut row, &scale32, &w32, &d32[r]);
                assert_eq!(
                    rows32[r].map(any_nan32),
                    row.map(any_nan32),
                    "row {r} (f32)"
                );
            }
        }
        check::<32, 32, 6>();
        check::<12, 32, 6>();
        check::<52, 20, 3>();
        check::<45, 33, 5>();
        check::<7, 5, 2>();
        check::<64, 70, 9>();
        check::<64, 130, 3>();
    }

    /// `sums_rows` takes several rows at a time where it can: each row must still be its
    /// `axpys` into zeros, for every row count around the group sizes and every lane count
    /// around the vector widths; and what was in the rows is not read (NaN there stays out).
    /// `scaled_sums_rows` is each of those sums times its scale, to the bit, the scale's
    /// signed zeros and infinities included.
    #[test]
    fn rows_are_each_their_axpys_to_the_bit() {
        fn check<const N: usize, const V: usize, const R: usize>() {
            let w = |r: usize, v: usize, l: usize| ((r * 131 + v * 31 + l) as f64 * 0.37).sin();
            let x = |v: usize, l: usize| ((v * 17 + l) as f64 * 1.37).cos() / 7.0;
            let scale: [[f64; N]; R] = core::array::from_fn(|r| {
                core::array::from_fn(|l| match (r * 7 + l) % 11 {
                    0 => -0.0,
                    1 => 0.0,
                    2 => f64::INFINITY,
                    k => (k as f64 * 0.71).tan(),
                })
            });
            let mut rows = [[f64::NAN; N]; R];
            sums_rows::<f64, N, V, R>(&mut rows, |r, v, l| (w(r, v, l), x(v, l)));
            let mut scaled = [[f64::NAN; N]; R];
            scaled_sums_rows::<f64, N, V, R>(&mut scaled, &scale, |r, v, l| (w(r, v, l), x(v, l)));
            let mut rows32 = [[f32::NAN; N]; R];
            let term32 = |r: usize, v: usize, l: usize| (w(r, v, l) as f32, x(v, l) as f32);
            sums_rows::<f32, N, V, R>(&mut rows32, term32);
            let scale32 = scale.map(|row| row.map(|s| s as f32));
            let mut scaled32 = [[f32::NAN; N]; R];
            scaled_sums_rows::<f32, N, V, R>(&mut scaled32, &scale32, term32);
            for r in 0..R {
                let mut row = [0.0; N];
                scalar_axpys::<f64, N, V>(&mut row, N, |v, l| (w(r, v, l), x(v, l)));
                assert_eq!(rows[r].map(f64::to_bits), row.map(f64::to_bits), "row {r}");
                let row: [f64; N] = core::array::from_fn(|l| scale[r][l] * row[l]);
                assert_eq!(scaled[r].map(any_nan64), row.map(any_nan64), "row {r}");
                let mut row = [0.0; N];
                scalar_axpys::<f32, N, V>(&mut row, N, |v, l| term32(r, v, l));
                assert_eq!(
                    rows32[r].map(f32::to_bits),
                    row.map(f32::to_bits),
                    "row {r}"
                );
                let row: [f32; N] = core::array::from_fn(|l| scale32[r][l] * row[l]);
                assert_eq!(scaled32[r].map(any_nan32), row.map(any_nan32), "row {r}");
            }
        }
        check::<1, 13, 1>();
        check::<5, 0, 3>();
        check::<4, 13, 3>();
        check::<7, 13, 5>();
        check::<8, 13, 4>();
        check::<16, 13, 20>();
        check::<20, 13, 1>();
        check::<24, 13, 7>();
        check::<33, 13, 2>();
        check::<40, 13, 3>();
        check::<52, 13, 9>();
        check::<52, 13, 15>();
        check::<56, 13, 11>();
        // Lanes left past AVX's vectors: lane by lane for a few rows, in SSE's vectors
        // then lane by lane for eight rows or more.
        check::<10, 13, 3>();
        check::<12, 13, 6>();
        check::<30, 13, 9>();
        check::<6, 13, 16>();
        check::<13, 5, 8>();
        // Past the AVX form's `REGISTER_BLOCKED_TERMS`: `V_BLOCK` terms at a time where
        // there are few rows (fewer than eight with AVX-512, four with AVX) or many
        // factors (rows × terms past it too); else streamed, every term at once, two
        // vectors of lanes by eight rows (four with AVX), then what is left of both.
        #[cfg(not(miri))]
        {
            check::<400, 13, 3>();
            check::<128, 40, 16>();
            check::<70, 70, 5>();
            check::<72, 80, 60>();
            check::<100, 50, 13>();
            check::<27, 160, 8>();
        }
        // Under Miri (`scripts/miri.sh`), where the test with those sizes was stopped at
        // 27 minutes, each of their branches once, at about the least size that reaches
        // it: few rows (three blocks, the last of one term), streamed (a row and lanes
        // left past the tiles), many factors.
        #[cfg(miri)]
        {
            check::<130, 33, 3>();
            check::<27, 152, 9>();
            check::<9, 456, 9>();
        }
    }

    /// `sums_symmetric` is `sums_rows`'s lower triangle to the bit, mirrored, for sizes
    /// around the group sizes and vector widths (NaN in `acc` stays out).
    #[test]
    fn symmetric_sums_are_their_rows_lower_triangle_to_the_bit() {
        fn check<const N: usize, const V: usize>() {
            let w = |r: usize, v: usize, l: usize| ((r * 131 + v * 31 + l) as f64 * 0.37).sin();
            let x = |v: usize, l: usize| ((v * 17 + l) as f64 * 1.37).cos() / 7.0;
            let (mut symmetric, mut rows) = ([[f64::NAN; N]; N], [[0.0; N]; N]);
            sums_symmetric::<f64, N, V>(&mut symmetric, |r, v, l| (w(r, v, l), x(v, l)));
            sums_rows::<f64, N, V, N>(&mut rows, |r, v, l| (w(r, v, l), x(v, l)));
            let term32 = |r: usize, v: usize, l: usize| (w(r, v, l) as f32, x(v, l) as f32);
            let (mut symmetric32, mut rows32) = ([[f32::NAN; N]; N], [[0.0; N]; N]);
            sums_symmetric::<f32, N, V>(&mut symmetric32, term32);
            sums_rows::<f32, N, V, N>(&mut rows32, term32);
            for r in 0..N {
                for l in 0..=r {
                    let want = (rows[r][l].to_bits(), rows32[r][l].to_bits());
                    let lower = (symmetric[r][l].to_bits(), symmetric32[r][l].to_bits());
                    let upper = (symmetric[l][r].to_bits(), symmetric32[l][r].to_bits());
                    assert_eq!((lower, upper), (want, want), "{r}, {l}");
                }
            }
        }
        check::<1, 13>();
        check::<4, 7>();
        check::<7, 13>();
        check::<12, 20>();
        check::<17, 5>();
        check::<33, 13>();
        check::<52, 20>();
        check::<64, 10>();
        // Past the AVX form's `REGISTER_BLOCKED_TERMS`: `V_BLOCK` terms at a time (under
        // Miri, about the least size that gets there).
        #[cfg(not(miri))]
        check::<100, 50>();
        #[cfg(miri)]
        check::<17, 242>();
    }

    /// `sums_lower` of the first terms, `add_sums_lower` of the others, then `mirror`: to
    /// the bit `sums_symmetric` of all the terms, one after the other (NaN in `acc` stays
    /// out).
    #[test]
    fn lower_sums_added_up_are_the_symmetric_sums_of_all_terms() {
        fn check<const N: usize, const V1: usize, const V2: usize, const V: usize>() {
            assert_eq!(V1 + V2, V);
            let w = |r: usize, v: usize, l: usize| ((r * 131 + v * 31 + l) as f64 * 0.37).sin();
            let x = |v: usize, l: usize| ((v * 17 + l) as f64 * 1.37).cos() / 7.0;
            let term = |r, v, l| (w(r, v, l), x(v, l));
            let (mut parts, mut all) = ([[f64::NAN; N]; N], [[0.0; N]; N]);
            sums_lower::<f64, N, V1>(&mut parts, term);
            add_sums_lower::<f64, N, V2>(&mut parts, |r, v, l| term(r, V1 + v, l));
            mirror(&mut parts);
            sums_symmetric::<f64, N, V>(&mut all, term);
            let term32 = |r, v, l| (w(r, v, l) as f32, x(v, l) as f32);
            let (mut parts32, mut all32) = ([[f32::NAN; N]; N], [[0.0; N]; N]);
            sums_lower::<f32, N, V1>(&mut parts32, term32);
            add_sums_lower::<f32, N, V2>(&mut parts32, |r, v, l| term32(r, V1 + v, l));
            mirror(&mut parts32);
            sums_symmetric::<f32, N, V>(&mut all32, term32);
            assert_eq!(
                parts.map(|row| row.map(f64::to_bits)),
                all.map(|row| row.map(f64::to_bits))
            );
            assert_eq!(
                parts32.map(|row| row.map(f32::to_bits)),
                all32.map(|row| row.map(f32::to_bits))
            );
        }
        check::<1, 3, 2, 5>();
        check::<7, 13, 6, 19>();
        check::<12, 20, 10, 30>();
        check::<33, 13, 7, 20>();
        // The seed network's Hessian; and both parts past the AVX form's
        // `REGISTER_BLOCKED_TERMS`, which alone Miri takes, at about the least size that
        // gets there.
        #[cfg(not(miri))]
        {
            check::<52, 20, 10, 30>();
            check::<64, 128, 128, 256>();
        }
        #[cfg(miri)]
        check::<9, 456, 457, 913>();
    }

    /// `dot_rows_of_three`'s products are three `dot_rows_of`'s, to the bit, in their
    /// order, read once for all or a product at a time.
    #[test]
    fn dot_rows_of_three_is_three_dot_rows_of() {
        fn check<const N: usize, const R: usize>() {
            let w: [[f64; N]; R] = core::array::from_fn(|r| {
                core::array::from_fn(|i| ((r * 131 + i * 31) as f64 * 0.37).sin() * 1e2)
            });
            let x: [f64; N] = core::array::from_fn(|i| ((i * 17) as f64 * 1.37).cos() / 7.0);
            let u: [f64; N] = core::array::from_fn(|i| ((i * 5) as f64 * 0.91).sin() * 3.0);
            let v: [f64; N] = core::array::from_fn(|i| ((i * 11) as f64 * 0.29).cos() - 0.5);
            let bits = |a: [f64; R]| a.map(f64::to_bits);
            let (wx, wu, wv) = dot_rows_of_three(&w, &x, &u, &v);
            assert_eq!(bits(wx), bits(dot_rows_of(&w, &x)));
            assert_eq!(bits(wu), bits(dot_rows_of(&w, &u)));
            assert_eq!(bits(wv), bits(dot_rows_of(&w, &v)));
            let w32 = w.map(|row| row.map(|w| w as f32));
            let (x32, u32, v32) = (
                x.map(|a| a as f32),
                u.map(|a| a as f32),
                v.map(|a| a as f32),
            );
            let bits = |a: [f32; R]| a.map(f32::to_bits);
            let (wx, wu, wv) = dot_rows_of_three(&w32, &x32, &u32, &v32);
            assert_eq!(bits(wx), bits(dot_rows_of(&w32, &x32)));
            assert_eq!(bits(wu), bits(dot_rows_of(&w32, &u32)));
            assert_eq!(bits(wv), bits(dot_rows_of(&w32, &v32)));
        }
        // Read once for three (16 KiB or more in `f64`; with AVX and FMA), an odd row
        // left over or not; and a product at a time.
        check::<64, 64>();
        check::<64, 65>();
        check::<130, 23>();
        check::<20, 10>();
        check::<3, 7>();
    }

    /// `axpys_of_two`'s sums are two `axpys_of`'s into zeros, to the bit, in their order,
    /// side by side or one after the other.
    #[test]
    fn axpys_of_two_is_two_axpys_of() {
        fn check<const N: usize, const V: usize>() {
            let w: [[f64; N]; V] = core::array::from_fn(|v| {
                core::array::from_fn(|l| ((v * 131 + l * 31) as f64 * 0.37).sin() * 1e2)
            });
            let d: [f64; V] = core::array::from_fn(|v| ((v * 17) as f64 * 1.37).cos() / 7.0);
            let e: [f64; V] = core::array::from_fn(|v| ((v * 5) as f64 * 0.91).sin() * 3.0);
            let alone = |x: &[f64; V]| {
                let mut acc = [0.0; N];
                axpys_of(&mut acc, &w, x);
                acc.map(f64::to_bits)
            };
            let (wd, we) = axpys_of_two(&w, &d, &e);
            assert_eq!(
                (wd.map(f64::to_bits), we.map(f64::to_bits)),
                (alone(&d), alone(&e))
            );
            let w32 = w.map(|row| row.map(|w| w as f32));
            let (d32, e32) = (d.map(|x| x as f32), e.map(|x| x as f32));
            let alone = |x: &[f32; V]| {
                let mut acc = [0.0; N];
                axpys_of(&mut acc, &w32, x);
                acc.map(f32::to_bits)
            };
            let (wd, we) = axpys_of_two(&w32, &d32, &e32);
            assert_eq!(
                (wd.map(f32::to_bits), we.map(f32::to_bits)),
                (alone(&d32), alone(&e32))
            );
        }
        // Both sides of the 4 KiB line: 64 × 64, 130 × 23 and (in `f64`) 13 × 45 side by
        // side; 20 × 10, 3 × 7 and 13 × 45 in `f32` one after the other.
        check::<64, 64>();
        check::<20, 10>();
        check::<3, 7>();
        check::<13, 45>();
        check::<130, 23>();
    }

    /// Both products of `dot_rows_of_two`, and of `dot_rows_of_pair` (which pairs matrices
    /// of 16 KiB or more: `64 × 128` here), are `dot_rows_of`'s to the bit.
    #[test]
    fn dot_rows_of_two_is_two_dot_rows_of() {
        fn check<const N: usize, const R: usize, const R2: usize>() {
            let w: [[f64; N]; R] = core::array::from_fn(|r| {
                core::array::from_fn(|i| ((r * 131 + i * 31) as f64 * 0.37).sin() * 1e2)
            });
            let x: [f64; N] = core::array::from_fn(|i| ((i * 17) as f64 * 1.37).cos() / 7.0);
            let v: [f64; N] = core::array::from_fn(|i| ((i * 5) as f64 * 0.91).sin() * 3.0);
            for (wx, wv) in [
                dot_rows_of_two::<f64, N, R, R2>(&w, &x, &v),
                dot_rows_of_pair::<f64, N, R, R2>(&w, &x, &v),
            ] {
                assert_eq!(wx.map(f64::to_bits), dot_rows_of(&w, &x).map(f64::to_bits));
                assert_eq!(wv.map(f64::to_bits), dot_rows_of(&w, &v).map(f64::to_bits));
            }
            let w32 = w.map(|row| row.map(|w| w as f32));
            let (x32, v32) = (x.map(|x| x as f32), v.map(|v| v as f32));
            for (wx, wv) in [
                dot_rows_of_two::<f32, N, R, R2>(&w32, &x32, &v32),
                dot_rows_of_pair::<f32, N, R, R2>(&w32, &x32, &v32),
            ] {
                assert_eq!(
                    wx.map(f32::to_bits),
                    dot_rows_of(&w32, &x32).map(f32::to_bits)
                );
                assert_eq!(
                    wv.map(f32::to_bits),
                    dot_rows_of(&w32, &v32).map(f32::to_bits)
                );
            }
        }
        check::<52, 20, 40>();
        check::<3, 4, 8>();
        check::<13, 7, 14>();
        check::<20, 10, 20>();
        // Past `REGISTER_BLOCKED_TERMS` (two rows at a time with AVX alone), with and
        // without rows left past the groups of two and four.
        check::<64, 128, 256>();
        check::<130, 23, 46>();
        check::<45, 94, 188>();
    }

    /// `dot_rows` combines four rows' lanes at once where it can: each row must still be
    /// its `dot`, for row counts around four and term counts with and without a half
    /// group and a tail.
    #[test]
    fn dot_rows_are_each_their_dot_to_the_bit() {
        fn check<const N: usize, const R: usize>() {
            let w = |r: usize, i: usize| ((r * 131 + i * 31) as f64 * 0.37).sin() * 1e2;
            let x = |i: usize| ((i * 17) as f64 * 1.37).cos() / 7.0;
            let rows = dot_rows::<f64, N, R>(|r, i| (w(r, i), x(i)));
            let rows32 = dot_rows::<f32, N, R>(|r, i| (w(r, i) as f32, x(i) as f32));
            for r in 0..R {
                let single = dot::<f64, N>(|i| (w(r, i), x(i)));
                assert_eq!(rows[r].to_bits(), single.to_bits(), "{N} terms, row {r}");
                let single = dot::<f32, N>(|i| (w(r, i) as f32, x(i) as f32));
                assert_eq!(rows32[r].to_bits(), single.to_bits(), "{N} terms, row {r}");
            }
            // A whole matrix and vector: the same bits, in either type.
            let matrix: [[f64; N]; R] = core::array::from_fn(|r| core::array::from_fn(|i| w(r, i)));
            let vector: [f64; N] = core::array::from_fn(x);
            let of = dot_rows_of(&matrix, &vector);
            assert_eq!(of.map(f64::to_bits), rows.map(f64::to_bits), "{N} × {R}");
            let of = dot_rows_of(
                &matrix.map(|row| row.map(|w| w as f32)),
                &vector.map(|x| x as f32),
            );
            assert_eq!(
                of.map(f32::to_bits),
                rows32.map(f32::to_bits),
                "{N} × {R}, f32"
            );
            // Signed zeros: a row of zero terms, or of products too small for a
            // subnormal (each -0), is +0 or -0 as `dot` makes it.
            for (a, b) in [(-0.0, 1.0), (-1e-200, 1e-200)] {
                let zeros = dot_rows::<f64, N, R>(|_, _| (a, b));
                let single = dot::<f64, N>(|_| (a, b));
                assert!(zeros.iter().all(|z| z.to_bits() == single.to_bits()));
            }
        }
        check::<1, 1>();
        check::<3, 4>();
        check::<4, 5>();
        check::<8, 8>();
        check::<10, 1>();
        check::<13, 7>();
        // Groups of five rows side by side, with groups of four and single rows; rows
        // too short for them.
        check::<52, 5>();
        check::<32, 9>();
        check::<40, 11>();
        check::<33, 18>();
        check::<7, 18>();
        check::<20, 10>();
        check::<52, 20>();
        check::<64, 32>();
        // Side-by-side groups: three, five, nine.
        check::<32, 15>();
        check::<40, 25>();
        check::<48, 45>();
        // Past the AVX form's `REGISTER_BLOCKED_TERMS`: row after row.
        check::<64, 128>();
    }

    /// `axpys_of` is `axpys` over a whole matrix's rows, to the bit, and that is
    /// `scalar_axpys`: for lane counts around the vector widths (AVX's and AVX-512's,
    /// whole ones and a rest), long rows (seen through `black_box`), past
    /// `REGISTER_BLOCKED_TERMS` (row after row), and the SSE2 form's passes (32 lanes:
    /// two even ones in `f64`; 53: two and a lane; 70: two of 12 registers and one of 11
    /// in `f64`, 9 and 8 and two lanes in `f32`).
    #[test]
    fn axpys_of_a_matrix_is_its_axpys_to_the_bit_and_scaled_times_its_scale() {
        fn check<const N: usize, const V: usize>() {
            let w: [[f64; N]; V] = core::array::from_fn(|v| {
                core::array::from_fn(|l| ((v * 131 + l * 31) as f64 * 0.37).sin() * 1e2)
            });
            let d: [f64; V] = core::array::from_fn(|v| ((v * 17) as f64 * 1.37).cos() / 7.0);
            let start: [f64; N] = core::array::from_fn(|l| l as f64 / 3.0);
            let (mut of, mut closure, mut scalar) = (start, start, start);
            axpys_of(&mut of, &w, &d);
            axpys::<f64, N, V>(&mut closure, |v, l| (w[v][l], d[v]));
            scalar_axpys::<f64, N, V>(&mut scalar, N, |v, l| (w[v][l], d[v]));
            assert_eq!(of.map(f64::to_bits), closure.map(f64::to_bits), "{N} × {V}");
            assert_eq!(of.map(f64::to_bits), scalar.map(f64::to_bits), "{N} × {V}");
            scaled::<f64, N, V>(&w, &d);
            let (w, d) = (w.map(|row| row.map(|w| w as f32)), d.map(|d| d as f32));
            let start = start.map(|s| s as f32);
            let (mut of, mut scalar) = (start, start);
            axpys_of(&mut of, &w, &d);
            scalar_axpys::<f32, N, V>(&mut scalar, N, |v, l| (w[v][l], d[v]));
            assert_eq!(
                of.map(f32::to_bits),
                scalar.map(f32::to_bits),
                "{N} × {V}, f32"
            );
            scaled::<f32, N, V>(&w, &d);
        }
        // `scaled_axpys_of` is `axpys_of` into zeros, each sum then times its scale, to the
        // bit (the scale's signed zeros and infinities included; NaN in `out` stays out).
        fn scaled<T: crate::Scalar, const N: usize, const V: usize>(w: &[[T; N]; V], d: &[T; V]) {
            let scale: [T; N] = core::array::from_fn(|l| match l % 7 {
                0 => T::from_f64(-0.0),
                1 => T::from_f64(f64::INFINITY),
                k => T::from_f64((k as f64 * 0.71).tan()),
            });
            let (mut sums, mut scaled) = ([T::zero(); N], [T::from_f64(f64::NAN); N]);
            axpys_of(&mut sums, w, d);
            scaled_axpys_of(&mut scaled, &scale, w, d);
            let expected: [T; N] = core::array::from_fn(|l| scale[l] * sums[l]);
            // Any NaN as one, as `any_nan64` has it; `f32` widened exactly.
            let any_nan = |x: T| (!x.is_nan()).then(|| x.to_f64().map(f64::to_bits));
            assert_eq!(
                scaled.map(any_nan),
                expected.map(any_nan),
                "{N} × {V}, {}",
                T::NAME
            );
        }
        check::<1, 3>();
        check::<9, 0>();
        check::<3, 2>();
        check::<4, 3>();
        check::<8, 5>();
        check::<15, 7>();
        check::<16, 4>();
        check::<20, 10>();
        check::<25, 3>();
        check::<33, 9>();
        check::<32, 4>();
        check::<52, 20>();
        check::<53, 6>();
        check::<64, 128>();
        check::<70, 5>();
        check::<128, 128>();
    }

    #[test]
    fn madd_rounds_once_exactly_where_the_target_has_fma() {
        // The targets with the instruction, named apart from `FUSED`.
        let has_fma = cfg!(any(
            target_feature = "fma",
            all(target_arch = "aarch64", target_feature = "neon")
        ));
        // (1 + 2⁻³⁰)(1 − 2⁻³⁰) − 1 = −2⁻⁶⁰, which a rounded product loses.
        let e = 2f64.powi(-30);
        let fused = if has_fma { -e * e } else { 0.0 };
        assert_eq!(madd(1.0 + e, 1.0 - e, -1.0), fused);
        let e = 2f32.powi(-13);
        let fused = if has_fma { -e * e } else { 0.0 };
        assert_eq!(madd(1.0 + e, 1.0 - e, -1.0f32), fused);
    }

    /// `samples` is `0..B`, in order: only the optimizer cannot see it.
    #[test]
    fn samples_are_a_block_in_order() {
        assert!(super::samples::<16>().eq(0..16));
        assert_eq!(super::samples::<0>().count(), 0);
    }

    /// A block's pre-activations, rows and samples tiled where the target allows, and in
    /// the scalar lanes across the samples (other targets'): each sample to the bit its
    /// single call's `dot`, at every size around the tiles and the vectors' eight lanes.
    #[test]
    fn block_dots_are_each_sample_as_a_single_call() {
        fn check<const N: usize, const B: usize, const R: usize>() {
            let w: [[f64; N]; R] = core::array::from_fn(|j| {
                core::array::from_fn(|k| ((j * 131 + k * 31) as f64 * 0.37).sin() * 10.0)
            });
            let x: [[f64; N]; B] = core::array::from_fn(|b| {
                core::array::from_fn(|k| ((k * 7 + b) as f64 * 0.11 - 1.3).cos())
            });
            let (mut block, mut block32) = ([[f64::NAN; R]; B], [[f32::NAN; R]; B]);
            dot_block::<f64, N, B, R>(&w, &x, |b, j, sum| block[b][j] = sum);
            let w32 = w.map(|row| row.map(|v| v as f32));
            let x32 = x.map(|row| row.map(|v| v as f32));
            dot_block::<f32, N, B, R>(&w32, &x32, |b, j, sum| block32[b][j] = sum);
            let (mut lanes, mut lanes32) = ([[f64::NAN; R]; B], [[f32::NAN; R]; B]);
            scalar_dot_block::<f64, N, B, R>(&w, &x, |b, j, sum| lanes[b][j] = sum);
            scalar_dot_block::<f32, N, B, R>(&w32, &x32, |b, j, sum| lanes32[b][j] = sum);
            for j in 0..R {
                for b in 0..B {
                    let single = dot::<f64, N>(|k| (w[j][k], x[b][k]));
                    assert_eq!(block[b][j].to_bits(), single.to_bits(), "{N} × {B} × {R}");
                    assert_eq!(lanes[b][j].to_bits(), single.to_bits(), "{N} × {B} × {R}");
                    let single = dot::<f32, N>(|k| (w[j][k] as f32, x[b][k] as f32));
                    assert_eq!(block32[b][j].to_bits(), single.to_bits(), "{N} × {B} × {R}");
                    assert_eq!(lanes32[b][j].to_bits(), single.to_bits(), "{N} × {B} × {R}");
                }
            }
            // Products too small for a subnormal, each -0: the sign of the zero sums too.
            let (tiny, minus) = ([[1e-200; N]; B], [[-1e-200; N]; R]);
            dot_block::<f64, N, B, R>(&minus, &tiny, |b, j, sum| block[b][j] = sum);
            let single = dot::<f64, N>(|_| (-1e-200, 1e-200));
            assert!(
                block
                    .as_flattened()
                    .iter()
                    .all(|z| z.to_bits() == single.to_bits())
            );
        }
        check::<52, 16, 20>();
        check::<20, 16, 10>();
        check::<10, 16, 1>();
        check::<128, 16, 12>();
        // Six-row tiles with AVX alone, and rows and samples left over from them.
        check::<64, 16, 7>();
        check::<64, 16, 13>();
        check::<128, 16, 8>();
        check::<76, 7, 14>();
        check::<67, 3, 6>();
        check::<68, 7, 5>();
        check::<13, 16, 7>();
        // `f32`'s tiles of eight samples with AVX-512, and samples and rows left over.
        check::<52, 13, 14>();
        check::<12, 9, 6>();
        check::<36, 24, 3>();
        // Short rows a sample at a time with AVX alone, too many of them for that, and
        // rows just long enough for the tiles.
        check::<31, 5, 9>();
        check::<20, 4, 250>();
        check::<40, 3, 120>();
        check::<40, 16, 12>();
        check::<32, 16, 10>();
        check::<3, 8, 5>();
        // Short rows eight to a vector with AVX-512: with a half group, a tail, both,
        // neither, two groups; rows and samples left over; the longest rows so (23 terms)
        // and the shortest past them (24, tiles).
        check::<12, 16, 32>();
        check::<8, 3, 8>();
        check::<11, 16, 17>();
        check::<15, 5, 9>();
        check::<16, 16, 24>();
        check::<23, 7, 15>();
        check::<24, 16, 8>();
        check::<61, 6, 9>();
        check::<4, 4, 4>();
        check::<1, 1, 1>();
    }
}
