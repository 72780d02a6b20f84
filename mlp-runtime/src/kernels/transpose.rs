//! Blocks of samples between the caller's layout, a sample per row, and the block kernels',
//! a feature per row: a transpose in 4 × 4 tiles, each transposed in registers where the
//! type has vectors for it ([`Scalar::transpose4`](crate::Scalar::transpose4)). Element by
//! element, the compiler gathers or scatters, and the transposes took a quarter of the seed
//! network's batch gradient.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

/// `dst[j·dst_stride + i] = src[i·src_stride + j]` for `i < rows`, `j < columns`.
///
/// # Panics
/// If a slice is shorter than its stride and the sizes say (a bug in the caller: the batch
/// methods size both from the network).
#[cfg(any(
    feature = "ndarray",
    all(
        target_arch = "x86_64",
        target_feature = "avx512f",
        target_feature = "fma"
    )
))]
pub(crate) fn transpose<T: crate::Scalar>(
    (src, src_stride): (&[T], usize),
    (dst, dst_stride): (&mut [T], usize),
    rows: usize,
    columns: usize,
) {
    if rows == 0 || columns == 0 {
        return;
    }
    assert!(columns <= src_stride && (rows - 1) * src_stride + columns <= src.len());
    assert!(rows <= dst_stride && (columns - 1) * dst_stride + rows <= dst.len());
    let (tiled_rows, tiled_columns) = (rows / 4 * 4, columns / 4 * 4);
    for i in (0..tiled_rows).step_by(4) {
        for j in (0..tiled_columns).step_by(4) {
            // SAFETY: `i + 3 < rows` and `j + 3 < columns`, both slices checked above.
            unsafe {
                T::transpose4(
                    src.as_ptr().add(i * src_stride + j),
                    src_stride,
                    dst.as_mut_ptr().add(j * dst_stride + i),
                    dst_stride,
                );
            }
        }
    }
    for i in 0..rows {
        let from = if i < tiled_rows { tiled_columns } else { 0 };
        for j in from..columns {
            dst[j * dst_stride + i] = src[i * src_stride + j];
        }
    }
}

/// [`Scalar::transpose4`](crate::Scalar::transpose4) in `f64`: halves of rows 0 and 2 (1
/// and 3) loaded into the halves of one AVX vector, then interleaved. Half the shuffles of
/// four whole rows interleaved and their halves exchanged, which is what the shuffle unit
/// limits.
///
/// # Safety
/// The target has AVX; both pointers point at four rows of four values, their strides
/// apart.
#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
#[inline(always)]
pub(crate) unsafe fn transpose4_f64(
    src: *const f64,
    src_stride: usize,
    dst: *mut f64,
    dst_stride: usize,
) {
    // SAFETY: the caller's.
    unsafe {
        let half = |i: usize, j: usize| _mm_loadu_pd(src.add(i * src_stride + j));
        // `[row a's elements j, j + 1, row b's elements j, j + 1]`.
        let pair = |a: usize, b: usize, j: usize| {
            _mm256_insertf128_pd::<1>(_mm256_castpd128_pd256(half(a, j)), half(b, j))
        };
        let (low02, low13) = (pair(0, 2, 0), pair(1, 3, 0));
        let (high02, high13) = (pair(0, 2, 2), pair(1, 3, 2));
        let column = |j: usize, v: __m256d| _mm256_storeu_pd(dst.add(j * dst_stride), v);
        column(0, _mm256_unpacklo_pd(low02, low13));
        column(1, _mm256_unpackhi_pd(low02, low13));
        column(2, _mm256_unpacklo_pd(high02, high13));
        column(3, _mm256_unpackhi_pd(high02, high13));
    }
}

/// [`Scalar::transpose4`](crate::Scalar::transpose4) in `f64` without AVX: 2 × 2 blocks in
/// SSE2's vectors (every x86-64 has them), each pair of rows interleaved.
///
/// # Safety
/// Both pointers point at four rows of four values, their strides apart.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx")))]
#[inline(always)]
pub(crate) unsafe fn transpose4_f64(
    src: *const f64,
    src_stride: usize,
    dst: *mut f64,
    dst_stride: usize,
) {
    // SAFETY: the caller's; SSE2 is part of x86-64.
    unsafe {
        let half = |i: usize, j: usize| _mm_loadu_pd(src.add(i * src_stride + j));
        let store = |j: usize, i: usize, v: __m128d| _mm_storeu_pd(dst.add(j * dst_stride + i), v);
        for (i, j) in [(0, 0), (0, 2), (2, 0), (2, 2)] {
            // Rows `i, i + 1`, columns `j, j + 1`: `[a, b]`, `[c, d]` to `[a, c]`, `[b, d]`.
            let (upper, lower) = (half(i, j), half(i + 1, j));
            store(j, i, _mm_unpacklo_pd(upper, lower));
            store(j + 1, i, _mm_unpackhi_pd(upper, lower));
        }
    }
}

/// [`Scalar::transpose4`](crate::Scalar::transpose4) in `f32`, in SSE's vectors (every x86-64 has them).
///
/// # Safety
/// Both pointers point at four rows of four values, their strides apart.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) unsafe fn transpose4_f32(
    src: *const f32,
    src_stride: usize,
    dst: *mut f32,
    dst_stride: usize,
) {
    // SAFETY: the caller's; SSE is part of x86-64.
    unsafe {
        let row = |i: usize| _mm_loadu_ps(src.add(i * src_stride));
        let (r0, r1, r2, r3) = (row(0), row(1), row(2), row(3));
        // [r0[0], r1[0], r0[1], r1[1]] and [r0[2], r1[2], r0[3], r1[3]]; likewise r2, r3.
        let (low01, high01) = (_mm_unpacklo_ps(r0, r1), _mm_unpackhi_ps(r0, r1));
        let (low23, high23) = (_mm_unpacklo_ps(r2, r3), _mm_unpackhi_ps(r2, r3));
        let column = |j: usize, v: __m128| _mm_storeu_ps(dst.add(j * dst_stride), v);
        column(0, _mm_movelh_ps(low01, low23));
        column(1, _mm_movehl_ps(low23, low01));
        column(2, _mm_movelh_ps(high01, high23));
        column(3, _mm_movehl_ps(high23, high01));
    }
}

#[cfg(all(test, feature = "ndarray"))]
mod tests {
    use super::transpose;

    /// Every size around the tiles, both types, against the definition.
    #[test]
    fn transposes_every_element_once() {
        fn check<T: crate::Scalar>() {
            for rows in 0..10 {
                for columns in 0..10 {
                    let (src_stride, dst_stride) = (columns + 2, rows + 1);
                    let src: Vec<T> = (0..rows * src_stride)
                        .map(|v| T::from_f64(v as f64))
                        .collect();
                    let mut dst = vec![T::from_f64(-1.0); columns * dst_stride];
                    transpose((&src, src_stride), (&mut dst, dst_stride), rows, columns);
                    for j in 0..columns {
                        for i in 0..dst_stride {
                            let expected = if i < rows {
                                src[i * src_stride + j]
                            } else {
                                T::from_f64(-1.0)
                            };
                            assert_eq!(dst[j * dst_stride + i], expected, "{rows} × {columns}");
                        }
                    }
                }
            }
        }
        check::<f64>();
        check::<f32>();
    }
}
