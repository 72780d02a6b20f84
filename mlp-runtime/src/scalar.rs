//! The floating-point types a network computes in.

use core::fmt::{Debug, Display, LowerExp};
use core::iter::Sum;

use num_traits::{Float, FloatConst};

/// A floating-point type a network can compute in: `f32` or `f64`.
///
/// Everything but the few functions `num_traits::Float` lacks comes from
/// [`num_traits::Float`], so activations are written once for both types.
pub trait Scalar:
    Float + FloatConst + Default + Debug + Display + LowerExp + Sum + Send + Sync + 'static
{
    /// The type's name as written in Rust: `"f32"` or `"f64"`.
    const NAME: &'static str;

    /// `value` rounded to this type.
    fn from_f64(value: f64) -> Self;

    /// The complementary error function, `1 - erf(x)`, accurate in both tails.
    fn erfc(self) -> Self;

    /// `(exp(x), exp(x) - 1)`, inline and branch-free (so that it vectorizes), within 2 ulp.
    fn exp_expm1(self) -> (Self, Self);

    /// [`Self::exp_expm1`] of `-2·self` for `self ≥ 0` (or NaN), the same but that
    /// `expm1(-0) = +0`: `tanh`'s, without the choices only a positive argument makes.
    #[inline(always)]
    fn exp_expm1_minus_twice(self) -> (Self, Self) {
        (Self::from_f64(-2.0) * self).exp_expm1()
    }

    /// `self·a + b` rounded once. With `std`, the platform's `mul_add`; without it, on
    /// x86-64 with FMA the instruction itself (`libm`'s software `fma` would be a call per
    /// multiply-add), else `libm`'s `fma` (on AArch64 the instruction too).
    fn fused_mul_add(self, a: Self, b: Self) -> Self;

    /// The body of [`Tanh`](crate::Tanh)'s `value_and_derivative_row`: element by element,
    /// but for `f64`, in its AVX-512 vectors written out where the target has them (LLVM
    /// would keep to 256-bit ones), else in a pass over the row per stage where that
    /// measured faster (see `kernels/tanh_row.rs`); for `f32`, short rows in AVX vectors
    /// written out where the target has AVX2 and FMA, long ones in AVX-512's where it has
    /// them (`kernels/tanh_f32.rs`). Every element the scalar form's to the bit.
    #[doc(hidden)]
    #[inline(always)]
    fn tanh_row<const N: usize>(x: &[Self; N], value: &mut [Self; N], slope: &mut [Self; N]) {
        crate::kernels::tanh_row::elements(x, value, slope)
    }

    /// The mirror step of [`sums_symmetric`](crate::sums_symmetric), `acc[l][r] =
    /// acc[r][l]` for every `l < r`: element by element, or, in `f64` with AVX, four by
    /// four blocks transposed in registers.
    #[doc(hidden)]
    #[inline(always)]
    fn mirror<const N: usize>(acc: &mut [[Self; N]; N]) {
        crate::kernels::mirror_from(acc, 0);
    }

    /// The body of [`dot`](crate::dot): in vector registers where the target has them
    /// (AVX with FMA; on x86-64 without FMA, SSE2), else in scalar lanes; the same result
    /// either way.
    #[doc(hidden)]
    #[inline(always)]
    fn lanes_dot<const N: usize>(term: impl Fn(usize) -> (Self, Self)) -> Self {
        crate::kernels::scalar_dot::<Self, N>(term)
    }

    /// The body of [`dot_rows`](crate::dot_rows): a [`dot`](crate::dot) per row, or, with
    /// AVX and FMA, four rows at a time (on x86-64 without FMA, two in SSE2 registers); the
    /// same results either way.
    #[doc(hidden)]
    #[inline(always)]
    fn lanes_dot_rows<const N: usize, const R: usize>(
        term: impl Fn(usize, usize) -> (Self, Self),
    ) -> [Self; R] {
        let mut out = [Self::zero(); R];
        for (r, out) in out.iter_mut().enumerate() {
            *out = Self::lanes_dot::<N>(|i| term(r, i));
        }
        out
    }

    /// The body of [`dot_block`](crate::dot_block): in scalar lanes across the samples,
    /// or, with AVX and FMA, a few rows by four samples at a time (on x86-64 without FMA,
    /// a sample at a time, two rows in SSE2 registers); the same results either way.
    #[doc(hidden)]
    #[inline(always)]
    fn lanes_dot_block<const N: usize, const B: usize, const R: usize>(
        w: &[[Self; N]; R],
        x: &[[Self; N]; B],
        element: impl FnMut(usize, usize, Self),
    ) {
        crate::kernels::scalar_dot_block(w, x, element)
    }

    /// The body of [`axpys`](crate::axpys), likewise; `len <= N`, and `len == N` if
    /// `WHOLE` (which lets the kernels choose their vectors as they are compiled).
    #[doc(hidden)]
    #[inline(always)]
    fn lanes_axpys<const N: usize, const V: usize, const WHOLE: bool>(
        acc: &mut [Self; N],
        len: usize,
        term: impl Fn(usize, usize) -> (Self, Self),
    ) {
        crate::kernels::scalar_axpys::<Self, N, V>(acc, len, term)
    }

    /// The body of [`scaled_axpys_of`](crate::scaled_axpys_of), likewise: `out[l] =
    /// scale[l] · Σ_{v<V} a·b` for `(a, b) = term(v, l)`.
    #[doc(hidden)]
    #[inline(always)]
    fn lanes_scaled_axpys<const N: usize, const V: usize>(
        out: &mut [Self; N],
        scale: &[Self; N],
        term: impl Fn(usize, usize) -> (Self, Self),
    ) {
        out.fill(Self::zero());
        Self::lanes_axpys::<N, V, true>(out, N, term);
        // The scale through `black_box`: inlined where the scale (a layer's `σ'`) was just
        // computed, LLVM's code for these multiplications ran slower; why, I did not find.
        // On Zen 4 `value_and_gradient` took −15 % so (10-10-10-1), −8 % (the wide
        // network), −6 % (two more), −2.5 % (the seed), the rest within ±1.5 %; with the
        // SSE2 dot products in, it still did (+4 to +7 % without it; `scripts/ab-min.sh`;
        // docs/performance-log.md, "The forty-first session").
        let scale = core::hint::black_box(scale);
        crate::kernels::scale_rows(core::slice::from_mut(out), core::slice::from_ref(scale));
    }

    /// The body of [`sums_rows`](crate::sums_rows), likewise; if `LOWER`, each row's lanes
    /// past its diagonal may be left out (as [`sums_symmetric`](crate::sums_symmetric) has
    /// them); with a `scale` (as many rows as `acc`), each sum multiplied by its element
    /// ([`scaled_sums_rows`](crate::scaled_sums_rows)); if `add`, the sums start from what
    /// `acc` holds rather than from zero ([`add_sums_lower`](crate::add_sums_lower)). In
    /// scalar lanes, or, with AVX and FMA, several rows side by side (on x86-64 without FMA,
    /// two in SSE2 registers); the same results either way.
    #[doc(hidden)]
    #[inline(always)]
    fn lanes_sums_rows<const N: usize, const V: usize, const R: usize, const LOWER: bool>(
        acc: &mut [[Self; N]; R],
        scale: Option<&[[Self; N]; R]>,
        add: bool,
        term: impl Fn(usize, usize, usize) -> (Self, Self),
    ) {
        // Every lane: what `LOWER` allows to leave out is computed all the same (only
        // `sums_symmetric` with AVX asks for less).
        crate::kernels::scalar_sums_rows::<Self, N, V>(acc, add, term);
        if let Some(scale) = scale {
            crate::kernels::scale_rows(acc, scale);
        }
    }
}

/// The kernels' bodies in AVX registers, for a target built with AVX and FMA.
macro_rules! avx_kernels {
    ($dot:ident) => {
        #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
        #[inline(always)]
        fn lanes_dot<const N: usize>(term: impl Fn(usize) -> (Self, Self)) -> Self {
            crate::kernels::avx::$dot::<N>(term)
        }

        #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
        #[inline(always)]
        fn lanes_axpys<const N: usize, const V: usize, const WHOLE: bool>(
            acc: &mut [Self; N],
            len: usize,
            term: impl Fn(usize, usize) -> (Self, Self),
        ) {
            crate::kernels::avx::axpys::<Self, N, V, WHOLE>(acc, len, term)
        }

        #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
        #[inline(always)]
        fn lanes_scaled_axpys<const N: usize, const V: usize>(
            out: &mut [Self; N],
            scale: &[Self; N],
            term: impl Fn(usize, usize) -> (Self, Self),
        ) {
            crate::kernels::avx::scaled_axpys::<Self, N, V>(out, scale, term)
        }

        #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
        #[inline(always)]
        fn lanes_sums_rows<const N: usize, const V: usize, const R: usize, const LOWER: bool>(
            acc: &mut [[Self; N]; R],
            scale: Option<&[[Self; N]; R]>,
            add: bool,
            term: impl Fn(usize, usize, usize) -> (Self, Self),
        ) {
            crate::kernels::avx::sums_rows::<Self, N, V, R, LOWER>(acc, scale, add, term)
        }
    };
}

/// The dot products, sums of rows and long rows' `axpys` in SSE2 registers, for x86-64
/// without FMA (`kernels/sse2.rs`).
macro_rules! sse2_kernels {
    ($lanes:ident) => {
        #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
        #[inline(always)]
        fn lanes_axpys<const N: usize, const V: usize, const WHOLE: bool>(
            acc: &mut [Self; N],
            len: usize,
            term: impl Fn(usize, usize) -> (Self, Self),
        ) {
            crate::kernels::sse2::axpys::<core::arch::x86_64::$lanes, N, V, WHOLE>(acc, len, term)
        }

        #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
        #[inline(always)]
        fn lanes_dot<const N: usize>(term: impl Fn(usize) -> (Self, Self)) -> Self {
            let [dot] =
                crate::kernels::sse2::dot_rows::<core::arch::x86_64::$lanes, N, 1>(|_, i| term(i));
            dot
        }

        #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
        #[inline(always)]
        fn lanes_dot_rows<const N: usize, const R: usize>(
            term: impl Fn(usize, usize) -> (Self, Self),
        ) -> [Self; R] {
            crate::kernels::sse2::dot_rows::<core::arch::x86_64::$lanes, N, R>(term)
        }

        #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
        #[inline(always)]
        fn lanes_dot_block<const N: usize, const B: usize, const R: usize>(
            w: &[[Self; N]; R],
            x: &[[Self; N]; B],
            element: impl FnMut(usize, usize, Self),
        ) {
            crate::kernels::sse2::dot_block::<core::arch::x86_64::$lanes, N, B, R>(w, x, element)
        }

        #[cfg(all(target_arch = "x86_64", not(target_feature = "fma")))]
        #[inline(always)]
        fn lanes_sums_rows<const N: usize, const V: usize, const R: usize, const LOWER: bool>(
            acc: &mut [[Self; N]; R],
            scale: Option<&[[Self; N]; R]>,
            add: bool,
            term: impl Fn(usize, usize, usize) -> (Self, Self),
        ) {
            crate::kernels::sse2::sums_rows::<core::arch::x86_64::$lanes, N, V, R, LOWER>(
                acc, add, term,
            );
            if let Some(scale) = scale {
                crate::kernels::scale_rows(acc, scale);
            }
        }
    };
}

/// `a·b + c` by the FMA instruction, for `no_std` builds of targets that have it.
#[cfg(all(not(feature = "std"), target_arch = "x86_64", target_feature = "fma"))]
mod hardware {
    use core::arch::x86_64::*;

    #[inline(always)]
    pub fn fma64(a: f64, b: f64, c: f64) -> f64 {
        // SAFETY: the `fma` target feature is enabled for the whole build.
        unsafe { _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(c))) }
    }

    #[inline(always)]
    pub fn fma32(a: f32, b: f32, c: f32) -> f32 {
        // SAFETY: as above.
        unsafe { _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c))) }
    }
}

impl Scalar for f32 {
    const NAME: &'static str = "f32";

    #[inline]
    fn from_f64(value: f64) -> Self {
        value as f32
    }

    #[inline]
    fn erfc(self) -> Self {
        libm::erfcf(self)
    }

    #[inline(always)]
    fn exp_expm1(self) -> (Self, Self) {
        let (e, em1) = crate::exp::exp_expm1(f64::from(self));
        (e as f32, em1 as f32)
    }

    #[inline(always)]
    fn exp_expm1_minus_twice(self) -> (Self, Self) {
        crate::exp_f32::exp_expm1_minus_twice(self)
    }

    #[inline(always)]
    fn fused_mul_add(self, a: Self, b: Self) -> Self {
        #[cfg(all(not(feature = "std"), target_arch = "x86_64", target_feature = "fma"))]
        return hardware::fma32(self, a, b);
        #[allow(unreachable_code)]
        Float::mul_add(self, a, b)
    }

    avx_kernels!(dot_f32);
    sse2_kernels!(__m128);

    /// Short rows (the single calls') in AVX vectors written out where the target has AVX2
    /// and FMA; long ones (a batch's) in AVX-512's written out where the target has them,
    /// else as LLVM vectorizes them (`kernels/tanh_row.rs`).
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx2",
        target_feature = "fma"
    ))]
    #[inline(always)]
    fn tanh_row<const N: usize>(x: &[f32; N], value: &mut [f32; N], slope: &mut [f32; N]) {
        if const { N < 64 } {
            return crate::kernels::tanh_f32::row_f32(x, value, slope);
        }
        #[cfg(target_feature = "avx512f")]
        crate::kernels::tanh_f32::row_f32_512(x, value, slope);
        #[cfg(not(target_feature = "avx512f"))]
        crate::kernels::tanh_row::elements(x, value, slope);
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    fn lanes_dot_rows<const N: usize, const R: usize>(
        term: impl Fn(usize, usize) -> (f32, f32),
    ) -> [f32; R] {
        crate::kernels::avx::dot_rows_f32::<N, R>(term)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    fn lanes_dot_block<const N: usize, const B: usize, const R: usize>(
        w: &[[f32; N]; R],
        x: &[[f32; N]; B],
        element: impl FnMut(usize, usize, f32),
    ) {
        crate::kernels::block::dot_block_f32(w, x, element)
    }
}

impl Scalar for f64 {
    const NAME: &'static str = "f64";

    #[inline]
    fn from_f64(value: f64) -> Self {
        value
    }

    #[inline]
    fn erfc(self) -> Self {
        libm::erfc(self)
    }

    #[inline(always)]
    fn exp_expm1(self) -> (Self, Self) {
        crate::exp::exp_expm1(self)
    }

    #[inline(always)]
    fn exp_expm1_minus_twice(self) -> (Self, Self) {
        crate::exp::exp_expm1_minus_twice(self)
    }

    #[inline(always)]
    fn fused_mul_add(self, a: Self, b: Self) -> Self {
        #[cfg(all(not(feature = "std"), target_arch = "x86_64", target_feature = "fma"))]
        return hardware::fma64(self, a, b);
        #[allow(unreachable_code)]
        Float::mul_add(self, a, b)
    }

    avx_kernels!(dot_f64);
    sse2_kernels!(__m128d);

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    fn lanes_dot_rows<const N: usize, const R: usize>(
        term: impl Fn(usize, usize) -> (f64, f64),
    ) -> [f64; R] {
        crate::kernels::avx::dot_rows_f64::<N, R>(term)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    fn mirror<const N: usize>(acc: &mut [[f64; N]; N]) {
        crate::kernels::avx::mirror_f64(acc)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    fn lanes_dot_block<const N: usize, const B: usize, const R: usize>(
        w: &[[f64; N]; R],
        x: &[[f64; N]; B],
        element: impl FnMut(usize, usize, f64),
    ) {
        crate::kernels::block::dot_block_f64(w, x, element)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
    #[inline(always)]
    fn tanh_row<const N: usize>(x: &[f64; N], value: &mut [f64; N], slope: &mut [f64; N]) {
        crate::kernels::tanh::row_f64(x, value, slope)
    }

    #[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
    #[inline(always)]
    fn tanh_row<const N: usize>(x: &[f64; N], value: &mut [f64; N], slope: &mut [f64; N]) {
        crate::kernels::tanh_row::row_f64(x, value, slope)
    }
}
