//! [`Vector`] in AVX-512 registers, for targets built with AVX-512F: eight `f64` or sixteen
//! `f32` to a vector, twice AVX's. The kernels are the same ([`super::avx`]), so their
//! results are too, to the bit: each lane still takes its terms in order, one fused
//! multiply-add each.

use core::arch::x86_64::*;

use super::avx::{Vector, pairs_f64};

/// AVX-512's 512-bit registers.
pub struct Avx512;

impl Vector<f64> for Avx512 {
    type V = __m512d;
    const W: usize = 8;

    #[inline(always)]
    unsafe fn pairs(term: &impl Fn(usize) -> (f64, f64), i: usize) -> (__m512d, __m512d) {
        let t = [
            term(i),
            term(i + 1),
            term(i + 2),
            term(i + 3),
            term(i + 4),
            term(i + 5),
            term(i + 6),
            term(i + 7),
        ];
        // SAFETY: the target has AVX-512F.
        unsafe {
            (
                _mm512_set_pd(
                    t[7].0, t[6].0, t[5].0, t[4].0, t[3].0, t[2].0, t[1].0, t[0].0,
                ),
                _mm512_set_pd(
                    t[7].1, t[6].1, t[5].1, t[4].1, t[3].1, t[2].1, t[1].1, t[0].1,
                ),
            )
        }
    }

    #[inline(always)]
    unsafe fn fmadd(a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        // SAFETY: the caller's.
        unsafe { _mm512_fmadd_pd(a, b, c) }
    }

    #[inline(always)]
    unsafe fn mul(a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the caller's.
        unsafe { _mm512_mul_pd(a, b) }
    }

    #[inline(always)]
    unsafe fn load(at: *const f64) -> __m512d {
        // SAFETY: the caller's.
        unsafe { _mm512_loadu_pd(at) }
    }

    #[inline(always)]
    unsafe fn store(at: *mut f64, v: __m512d) {
        // SAFETY: the caller's.
        unsafe { _mm512_storeu_pd(at, v) }
    }
}

impl Vector<f32> for Avx512 {
    type V = __m512;
    const W: usize = 16;

    #[inline(always)]
    unsafe fn pairs(term: &impl Fn(usize) -> (f32, f32), i: usize) -> (__m512, __m512) {
        let t = [
            term(i),
            term(i + 1),
            term(i + 2),
            term(i + 3),
            term(i + 4),
            term(i + 5),
            term(i + 6),
            term(i + 7),
            term(i + 8),
            term(i + 9),
            term(i + 10),
            term(i + 11),
            term(i + 12),
            term(i + 13),
            term(i + 14),
            term(i + 15),
        ];
        // SAFETY: the target has AVX-512F.
        unsafe {
            (
                _mm512_set_ps(
                    t[15].0, t[14].0, t[13].0, t[12].0, t[11].0, t[10].0, t[9].0, t[8].0, t[7].0,
                    t[6].0, t[5].0, t[4].0, t[3].0, t[2].0, t[1].0, t[0].0,
                ),
                _mm512_set_ps(
                    t[15].1, t[14].1, t[13].1, t[12].1, t[11].1, t[10].1, t[9].1, t[8].1, t[7].1,
                    t[6].1, t[5].1, t[4].1, t[3].1, t[2].1, t[1].1, t[0].1,
                ),
            )
        }
    }

    #[inline(always)]
    unsafe fn fmadd(a: __m512, b: __m512, c: __m512) -> __m512 {
        // SAFETY: the caller's.
        unsafe { _mm512_fmadd_ps(a, b, c) }
    }

    #[inline(always)]
    unsafe fn mul(a: __m512, b: __m512) -> __m512 {
        // SAFETY: the caller's.
        unsafe { _mm512_mul_ps(a, b) }
    }

    #[inline(always)]
    unsafe fn load(at: *const f32) -> __m512 {
        // SAFETY: the caller's.
        unsafe { _mm512_loadu_ps(at) }
    }

    #[inline(always)]
    unsafe fn store(at: *mut f32, v: __m512) {
        // SAFETY: the caller's.
        unsafe { _mm512_storeu_ps(at, v) }
    }
}

/// `a·b + lanes` in lanes 0–3, lanes 4–7 as they were: a dot product's half group. A
/// 256-bit multiply-add put back, not a masked 512-bit one: on Zen 4, whose 512-bit
/// multiply-adds run at the rate of its 256-bit ones (the bench's peaks, 29.1 and 29.4 a
/// ns), the seed's `forward` measured 4 % faster so, its `value_and_gradient` 2 %, its
/// batch forward 2.5 %, the 30-30-30-1 network's `forward` 3 % (`scripts/ab-min.sh`, two
/// alignments; not measured on a Xeon).
///
/// # Safety
/// The target has AVX-512F.
#[inline(always)]
pub(super) unsafe fn fmadd_low(a: __m256d, b: __m256d, lanes: __m512d) -> __m512d {
    // SAFETY: the caller's.
    unsafe {
        let low = _mm256_fmadd_pd(a, b, _mm512_castpd512_pd256(lanes));
        _mm512_insertf64x4::<0>(lanes, low)
    }
}

/// The eight lanes of each of `Q` rows' dot products, `term(r + q, i)` for row `q`, as
/// [`dot_f64`](super::avx::dot_f64) takes them: the groups of eight, then the half group
/// into lanes 0–3 ([`fmadd_low`]). (Its loops stay iterators: by index, as `avx::columns`
/// loads its registers, LLVM unrolled a 12-16-16-16-1 network's `hvp` another way, and it
/// took 2–4 % longer: `scripts/ab-min.sh` on a Zen 4, two alignments.)
///
/// # Safety
/// The target has AVX-512F.
#[inline(always)]
pub(super) unsafe fn lanes_rows<const N: usize, const Q: usize>(
    term: &impl Fn(usize, usize) -> (f64, f64),
    r: usize,
) -> [__m512d; Q] {
    // SAFETY: the caller's.
    unsafe {
        let mut lanes = [_mm512_setzero_pd(); Q];
        let mut i = 0;
        while i + 8 <= N {
            for (q, lanes) in lanes.iter_mut().enumerate() {
                let (a, b) = <Avx512 as Vector<f64>>::pairs(&|i| term(r + q, i), i);
                *lanes = _mm512_fmadd_pd(a, b, *lanes);
            }
            i += 8;
        }
        if i + 4 <= N {
            for (q, lanes) in lanes.iter_mut().enumerate() {
                let (a, b) = pairs_f64(&|i| term(r + q, i), i);
                *lanes = fmadd_low(a, b, *lanes);
            }
        }
        lanes
    }
}

/// Eight dot products' lanes (`a[s]`, `b[s]`) added up as [`dot_f64`](super::avx::dot_f64)
/// adds one's: lanes four apart, then two apart, then the last two; three steps of all eight
/// at once, each a shuffle of pairs and one vector addition. Returns `[a[0], b[0], a[1],
/// b[1], …]`.
///
/// # Safety
/// The target has AVX-512F.
#[inline(always)]
pub(super) unsafe fn reduce(a: [__m512d; 4], b: [__m512d; 4]) -> __m512d {
    // SAFETY: the caller's.
    unsafe {
        // `[l0+l4, l1+l5, l2+l6, l3+l7]` of two at once: the low halves plus the high.
        let four = |x: __m512d, y: __m512d| {
            _mm512_add_pd(
                _mm512_shuffle_f64x2::<0x44>(x, y),
                _mm512_shuffle_f64x2::<0xee>(x, y),
            )
        };
        // `[s0+s2, s1+s3]` of four at once, from two `four`s: `[x0, y0, z0, w0]`'s.
        let two = |xy: __m512d, zw: __m512d| {
            _mm512_add_pd(
                _mm512_shuffle_f64x2::<0x88>(xy, zw),
                _mm512_shuffle_f64x2::<0xdd>(xy, zw),
            )
        };
        // `a[0] a[1] a[2] a[3]` and `b[0] …`, two lanes each.
        let (a2, b2) = (
            two(four(a[0], a[1]), four(a[2], a[3])),
            two(four(b[0], b[1]), four(b[2], b[3])),
        );
        // Their two lanes added: `[a[0], b[0], a[1], b[1], …]`.
        _mm512_add_pd(_mm512_unpacklo_pd(a2, b2), _mm512_unpackhi_pd(a2, b2))
    }
}

/// Sixteen `f32` dot products' lanes, two to a vector (`v[s]`: one dot's eight lanes low,
/// another's high), added up as [`dot_f32`](super::avx::dot_f32) adds one's: lanes four
/// apart, then two apart, then the last two, each step of all sixteen at once. Returns, in
/// 128-bit blocks, the low dots of `v[0]`, `v[2]`, `v[4]`, `v[6]`, then the high ones, then
/// the low dots of `v[1]`, `v[3]`, `v[5]`, `v[7]`, then the high ones.
///
/// # Safety
/// The target has AVX-512F.
#[inline(always)]
pub(super) unsafe fn reduce_pairs_f32(v: [__m512; 8]) -> __m512 {
    // SAFETY: the caller's.
    unsafe {
        // `[four(x.low), four(x.high), four(y.low), four(y.high)]`, `four = [l0+l4, l1+l5,
        // l2+l6, l3+l7]`: the 128-bit blocks 0 and 2 of each plus blocks 1 and 3.
        let four = |x: __m512, y: __m512| {
            _mm512_add_ps(
                _mm512_shuffle_f32x4::<0x88>(x, y),
                _mm512_shuffle_f32x4::<0xdd>(x, y),
            )
        };
        // In each block, `[f0+f2, f1+f3]` of one `four`'s block, then of the other's.
        let two = |a: __m512, b: __m512| {
            _mm512_add_ps(
                _mm512_shuffle_ps::<0x44>(a, b),
                _mm512_shuffle_ps::<0xee>(a, b),
            )
        };
        let (a, b) = (
            two(four(v[0], v[1]), four(v[2], v[3])),
            two(four(v[4], v[5]), four(v[6], v[7])),
        );
        // In each block, `t0 + t1` of each pair.
        _mm512_add_ps(
            _mm512_shuffle_ps::<0x88>(a, b),
            _mm512_shuffle_ps::<0xdd>(a, b),
        )
    }
}
