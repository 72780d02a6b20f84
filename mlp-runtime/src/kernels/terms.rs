//! Where a kernel's terms come from. A product's two factors by index, from a closure; or,
//! where they are a whole matrix's row and a vector (`W·v`, `Wᵀ·d`), from the arrays
//! themselves, so that the vector kernels load a vector's worth of them at once.
//!
//! Either way the kernels add the same products in the same order, so the results are the
//! same to the bit. What changes is the work left to the compiler: a closure's vector is
//! built from one call per lane, which LLVM folds back into a load in every method that
//! inlines the kernel, and that folding made the `x86-64-v3` builds of a program calling
//! every method of the seed network about half again as long (`docs/compile-times.md`).

#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
use super::avx::Vector;

/// A row of terms: `(a_i, b_i)` for `Σ_i a_i·b_i`.
pub trait Row<T: Copy> {
    /// The factors of term `i`.
    fn at(&self, i: usize) -> (T, T);

    /// Terms `i`, …, `i + W - 1` as two vectors: the first factors, and the second.
    ///
    /// # Safety
    /// The target has `X`'s vectors, and the row has terms up to `i + W - 1`.
    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    unsafe fn pairs<X: Vector<T>>(&self, i: usize) -> (X::V, X::V) {
        // SAFETY: the caller's.
        unsafe { X::pairs(&|k| self.at(k), i) }
    }
}

impl<T: Copy, F: Fn(usize) -> (T, T)> Row<T> for F {
    #[inline(always)]
    fn at(&self, i: usize) -> (T, T) {
        self(i)
    }
}

/// Rows of terms: `(a_ri, b_ri)` for `Σ_i a_ri·b_ri`, every row `r`.
pub trait Rows<T: Copy> {
    /// A row of them.
    type Row<'a>: Row<T>
    where
        Self: 'a;

    /// Row `r`.
    fn row(&self, r: usize) -> Self::Row<'_>;
}

impl<T: Copy, F: Fn(usize, usize) -> (T, T)> Rows<T> for F {
    type Row<'a>
        = RowOf<'a, F>
    where
        F: 'a;

    #[inline(always)]
    fn row(&self, r: usize) -> RowOf<'_, F> {
        RowOf { term: self, r }
    }
}

/// Row `r` of a closure's terms, `term(r, i)`.
pub struct RowOf<'a, F> {
    term: &'a F,
    r: usize,
}

impl<T: Copy, F: Fn(usize, usize) -> (T, T)> Row<T> for RowOf<'_, F> {
    #[inline(always)]
    fn at(&self, i: usize) -> (T, T) {
        (self.term)(self.r, i)
    }
}

/// `W·v`'s rows of terms, `(w[r][i], v[i])`.
pub struct MatVec<'a, T, const N: usize, const R: usize> {
    pub w: &'a [[T; N]; R],
    pub v: &'a [T; N],
}

impl<T: Copy, const N: usize, const R: usize> Rows<T> for MatVec<'_, T, N, R> {
    type Row<'a>
        = RowVec<'a, T, N>
    where
        Self: 'a;

    #[inline(always)]
    fn row(&self, r: usize) -> RowVec<'_, T, N> {
        RowVec {
            w: &self.w[r],
            v: self.v,
        }
    }
}

/// A row's terms with a vector, `(w[i], v[i])`.
pub struct RowVec<'a, T, const N: usize> {
    pub w: &'a [T; N],
    pub v: &'a [T; N],
}

impl<T: Copy, const N: usize> Row<T> for RowVec<'_, T, N> {
    #[inline(always)]
    fn at(&self, i: usize) -> (T, T) {
        (self.w[i], self.v[i])
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    unsafe fn pairs<X: Vector<T>>(&self, i: usize) -> (X::V, X::V) {
        debug_assert!(i + X::W <= N);
        // SAFETY: the caller's: the target has `X`'s vectors, and `i + W <= N`.
        unsafe {
            (
                X::load(self.w.as_ptr().add(i)),
                X::load(self.v.as_ptr().add(i)),
            )
        }
    }
}

/// One row as rows, every one of them it: a single dot product through the kernel of
/// rows side by side (AVX's, without AVX-512).
#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx",
    target_feature = "fma",
    not(target_feature = "avx512f")
))]
pub(crate) struct Single<'a, R>(pub &'a R);

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx",
    target_feature = "fma",
    not(target_feature = "avx512f")
))]
impl<T: Copy, R: Row<T>> Row<T> for Single<'_, R> {
    #[inline(always)]
    fn at(&self, i: usize) -> (T, T) {
        self.0.at(i)
    }

    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx",
        target_feature = "fma",
        not(target_feature = "avx512f")
    ))]
    #[inline(always)]
    unsafe fn pairs<X: Vector<T>>(&self, i: usize) -> (X::V, X::V) {
        // SAFETY: the caller's.
        unsafe { self.0.pairs::<X>(i) }
    }
}

#[cfg(all(
    target_arch = "x86_64",
    target_feature = "avx",
    target_feature = "fma",
    not(target_feature = "avx512f")
))]
impl<T: Copy, R: Row<T>> Rows<T> for Single<'_, R> {
    type Row<'b>
        = Single<'b, R>
    where
        Self: 'b;

    #[inline(always)]
    fn row(&self, _: usize) -> Single<'_, R> {
        Single(self.0)
    }
}

/// A grid of rows of terms, row `(g, v)`'s term `l` for `acc[g][l] += Σ_v a·b`: the sums of
/// [`sums_rows`](super::sums_rows), a row of lanes per `(g, v)`.
#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
pub trait Grid<T: Copy> {
    /// A row of them.
    type Row<'a>: Row<T>
    where
        Self: 'a;

    /// Row `(g, v)`.
    fn row(&self, g: usize, v: usize) -> Self::Row<'_>;
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
impl<T: Copy, F: Fn(usize, usize, usize) -> (T, T)> Grid<T> for F {
    type Row<'a>
        = GridRow<'a, F>
    where
        F: 'a;

    #[inline(always)]
    fn row(&self, g: usize, v: usize) -> GridRow<'_, F> {
        GridRow { term: self, g, v }
    }
}

/// Row `(g, v)` of a closure's terms, `term(g, v, l)`.
#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
pub struct GridRow<'a, F> {
    term: &'a F,
    g: usize,
    v: usize,
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
impl<T: Copy, F: Fn(usize, usize, usize) -> (T, T)> Row<T> for GridRow<'_, F> {
    #[inline(always)]
    fn at(&self, l: usize) -> (T, T) {
        (self.term)(self.g, self.v, l)
    }
}

/// `Wᵀ·d`'s terms, row `v` the lanes `(w[v][l], d[v])` (an axpy of `w[v]` by `d[v]`).
pub struct MatTVec<'a, T, const N: usize, const V: usize> {
    pub w: &'a [[T; N]; V],
    pub d: &'a [T; V],
}

impl<T: Copy, const N: usize, const V: usize> Rows<T> for MatTVec<'_, T, N, V> {
    type Row<'a>
        = Scaled<'a, T, N>
    where
        Self: 'a;

    #[inline(always)]
    fn row(&self, v: usize) -> Scaled<'_, T, N> {
        Scaled {
            w: &self.w[v],
            d: self.d[v],
        }
    }
}

/// A row by a scalar's terms, `(w[l], d)`.
pub struct Scaled<'a, T, const N: usize> {
    pub w: &'a [T; N],
    pub d: T,
}

impl<T: Copy, const N: usize> Row<T> for Scaled<'_, T, N> {
    #[inline(always)]
    fn at(&self, l: usize) -> (T, T) {
        (self.w[l], self.d)
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
    #[inline(always)]
    unsafe fn pairs<X: Vector<T>>(&self, l: usize) -> (X::V, X::V) {
        debug_assert!(l + X::W <= N);
        // SAFETY: the caller's: the target has `X`'s vectors, and `l + W <= N`.
        unsafe { (X::load(self.w.as_ptr().add(l)), X::splat(self.d)) }
    }
}

/// Rows as a grid of one row of sums, [`axpys`](super::axpys)'s: row `(g, v)` is row `v`.
#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
pub(crate) struct Each<'a, R>(pub &'a R);

#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
impl<T: Copy, R: Rows<T>> Grid<T> for Each<'_, R> {
    type Row<'b>
        = R::Row<'b>
    where
        Self: 'b;

    #[inline(always)]
    fn row(&self, _: usize, v: usize) -> R::Row<'_> {
        self.0.row(v)
    }
}

/// A grid's rows of sums from `from` on: row `(g, v)` is its `(from + g, v)`.
#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
pub(crate) struct Skip<'a, G> {
    pub grid: &'a G,
    pub from: usize,
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx", target_feature = "fma"))]
impl<T: Copy, G: Grid<T>> Grid<T> for Skip<'_, G> {
    type Row<'b>
        = G::Row<'b>
    where
        Self: 'b;

    #[inline(always)]
    fn row(&self, g: usize, v: usize) -> G::Row<'_> {
        self.grid.row(self.from + g, v)
    }
}
