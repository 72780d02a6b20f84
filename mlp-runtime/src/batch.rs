//! Evaluating a network on every row of an `ndarray` matrix: no allocation per row, each
//! row computed exactly as a single call computes it, rows split across cores with the
//! `rayon` feature.

use std::borrow::Cow;
use std::vec::Vec;

use std::vec;

use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut2, ArrayViewMut3, CowArray, Ix2};

use crate::BLOCK;

use crate::{Scalar, ShapeError};

/// Inputs checked to have `columns` columns (and `rows` rows, if given), in row-major order.
pub(crate) fn rows<'a, T: Scalar>(
    x: ArrayView2<'a, T>,
    columns: usize,
    what: &'static str,
    rows: Option<usize>,
) -> Result<CowArray<'a, T, Ix2>, ShapeError> {
    if x.ncols() != columns {
        return Err(ShapeError::new(what, columns, x.ncols()));
    }
    if let Some(rows) = rows
        && x.nrows() != rows
    {
        return Err(ShapeError::new("rows", rows, x.nrows()));
    }
    Ok(if x.is_standard_layout() {
        CowArray::from(x)
    } else {
        CowArray::from(x.as_standard_layout().into_owned())
    })
}

/// How many blocks of samples a call of a block kernel takes at most: its intermediates
/// are set up once a call, and a run's results are zeroed just before it writes them.
/// (Against runs of 4 blocks, in an interleaved min-of-runs A/B on Zen 3: the seed
/// network's batch gradient −4 %, the wide network's forward −6 % and gradient −3 %; runs
/// of 64 measured as 16.)
const RUN: usize = 16;

/// Writes each row's result into a new `(rows, width)` array, [`BLOCK`] rows at a time, up
/// to [`RUN`] blocks a call: `kernel` takes whole blocks of samples as they lie in `x` (one
/// row after the other, as block kernels take them), with the same rows of `v` if given
/// (else an empty slice), and writes their results likewise. The last block, if short, is
/// computed padded with zeros. (Its rows by single calls instead made a program calling
/// the seed's `gradient_batch` build in 2.9–3.3 s against 1.9–2.0: the single method
/// compiled too.)
pub(crate) fn blocks<T, F>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    width: usize,
    kernel: F,
) -> Result<Array2<T>, ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], &mut [T]) -> Result<(), ShapeError> + Sync,
{
    let [out] = blocks_apart(x, v, [width], |x, v, [out]| kernel(x, v, out))?;
    Ok(out)
}

/// [`blocks`] of a kernel that writes `P` results a sample, each into an array of its own
/// (the value-and-gradient's `y` and `gradient`), `widths[p]` values of part `p`: one new
/// `(rows, widths[p])` array a part.
pub(crate) fn blocks_apart<T, F, const P: usize>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    widths: [usize; P],
    kernel: F,
) -> Result<[Array2<T>; P], ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError> + Sync,
{
    let runs = Runs::new(x, v);
    let rows = x.nrows();
    #[cfg(feature = "rayon")]
    let parts = {
        let mut parts = widths.map(|w| vec![T::zero(); rows * w]);
        runs.all(parts.each_mut().map(Vec::as_mut_slice), widths, &kernel)?;
        parts
    };
    #[cfg(not(feature = "rayon"))]
    let parts = {
        // Zeroed a run at a time, just before the kernel writes it: zeroing the whole
        // result first, where the allocator clears memory it reuses, took a tenth of the
        // seed network's batch gradient.
        let mut parts = widths.map(|w| Vec::with_capacity(rows * w));
        for i in 0..rows.div_ceil(runs.run) {
            let first = i * runs.run;
            let end = (first + runs.run).min(rows);
            let mut p = 0;
            let outs = parts.each_mut().map(|part| {
                let w = widths[p];
                p += 1;
                part.resize(end * w, T::zero());
                &mut part[first * w..]
            });
            runs.one(i, outs, widths, &kernel)?;
        }
        parts
    };
    arrays(parts, rows, widths)
}

/// `parts` as arrays of `rows` rows.
fn arrays<T: Scalar, const P: usize>(
    parts: [Vec<T>; P],
    rows: usize,
    widths: [usize; P],
) -> Result<[Array2<T>; P], ShapeError> {
    let mut arrays = Vec::with_capacity(P);
    for (part, width) in parts.into_iter().zip(widths) {
        let found = part.len();
        let array = Array2::from_shape_vec((rows, width), part);
        arrays.push(array.map_err(|_| ShapeError::new("batch results", rows * width, found))?);
    }
    arrays
        .try_into()
        .map_err(|_| ShapeError::new("batch result arrays", P, 0))
}

/// [`blocks`] into `out`, which must be `(rows, width)` (else an error naming `what` it
/// holds): written over where it lies if it is in standard layout, without zeroing it
/// first; else computed apart and copied in.
pub(crate) fn blocks_into<T, F>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    out: ArrayViewMut2<'_, T>,
    width: usize,
    what: &'static str,
    kernel: F,
) -> Result<(), ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], &mut [T]) -> Result<(), ShapeError> + Sync,
{
    blocks_apart_into(x, v, [out], [width], [what], |x, v, [out]| {
        kernel(x, v, out)
    })
}

/// [`blocks_apart`] into `outs`, each `(rows, widths[p])` (else an error naming `whats[p]`,
/// its columns): written over where they lie if every one is in standard layout; else
/// computed apart and copied in.
pub(crate) fn blocks_apart_into<T, F, const P: usize>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    outs: [ArrayViewMut2<'_, T>; P],
    widths: [usize; P],
    whats: [&'static str; P],
    kernel: F,
) -> Result<(), ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError> + Sync,
{
    written_into(
        outs,
        (x.nrows(), widths, whats),
        |slices| Runs::new(x, v).all(slices, widths, &kernel),
        || blocks_apart(x, v, widths, &kernel),
    )
}

/// `outs`, each `(rows, widths[p])` (else an error naming `whats[p]`, its columns), written
/// by `in_place` where every one is in standard layout; else `apart`'s arrays copied in.
fn written_into<T: Scalar, const P: usize>(
    mut outs: [ArrayViewMut2<'_, T>; P],
    (rows, widths, whats): (usize, [usize; P], [&'static str; P]),
    in_place: impl FnOnce([&mut [T]; P]) -> Result<(), ShapeError>,
    apart: impl FnOnce() -> Result<[Array2<T>; P], ShapeError>,
) -> Result<(), ShapeError> {
    for ((out, width), what) in outs.iter().zip(widths).zip(whats) {
        shaped(out, rows, width, what)?;
    }
    if outs.iter().all(|out| out.is_standard_layout()) {
        let slices = outs
            .each_mut()
            .map(|out| out.as_slice_mut().unwrap_or_default());
        return in_place(slices);
    }
    for (out, part) in outs.iter_mut().zip(&apart()?) {
        out.assign(part);
    }
    Ok(())
}

/// An error unless `out` is `(rows, width)`, naming what differs: `what` (its columns), or
/// the result rows.
pub(crate) fn shaped<T>(
    out: &ArrayViewMut2<'_, T>,
    rows: usize,
    width: usize,
    what: &'static str,
) -> Result<(), ShapeError> {
    if out.ncols() != width {
        return Err(ShapeError::new(what, width, out.ncols()));
    }
    if out.nrows() != rows {
        return Err(ShapeError::new("result rows", rows, out.nrows()));
    }
    Ok(())
}

/// The samples of a batch, row-major, in runs of up to [`RUN`] blocks: what one call of a
/// block kernel takes; with directions `v` (as many rows), theirs alike. A kernel writes
/// `P` results (one, but for the value-and-gradient's two and the
/// value-gradient-Laplacian's and value-gradient-Hessian's three), each `widths[p]` values
/// a sample, into slices of its own.
struct Runs<'a, T: Clone> {
    x: Cow<'a, [T]>,
    v: Option<Cow<'a, [T]>>,
    columns: usize,
    v_columns: usize,
    /// Samples a run.
    run: usize,
}

impl<'a, T: Scalar> Runs<'a, T> {
    fn new(x: &'a CowArray<'_, T, Ix2>, v: Option<&'a CowArray<'_, T, Ix2>>) -> Self {
        let (rows, columns) = x.dim();
        // Row-major, as `rows` left it: plain slices, row after row.
        let flat = |x: &'a CowArray<'_, T, Ix2>| {
            x.as_slice()
                .map_or_else(|| Cow::Owned(x.iter().copied().collect()), Cow::Borrowed)
        };
        // No longer than the rows need; with threads, short enough that each has some.
        #[cfg(feature = "rayon")]
        let threads = rayon::current_num_threads();
        #[cfg(not(feature = "rayon"))]
        let threads = 1;
        let run = RUN.min(rows.div_ceil(BLOCK * threads).max(1)) * BLOCK;
        Self {
            x: flat(x),
            v: v.map(flat),
            columns,
            v_columns: v.map_or(0, |v| v.ncols()),
            run,
        }
    }

    /// Every run's results into `outs` (each `(rows, widths[p])`, row-major), across
    /// threads with `rayon`.
    fn all<F, const P: usize>(
        &self,
        outs: [&mut [T]; P],
        widths: [usize; P],
        kernel: &F,
    ) -> Result<(), ShapeError>
    where
        F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError> + Sync,
    {
        // Each result cut into runs, taken a run at a time.
        let mut p = 0;
        let mut chunks = outs.map(|out| {
            let step = (self.run * widths[p]).max(1);
            p += 1;
            out.chunks_mut(step)
        });
        let rows = self.x.len() / self.columns.max(1);
        let runs = (0..rows.div_ceil(self.run))
            .map(|_| chunks.each_mut().map(|c| c.next().unwrap_or_default()));
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            runs.collect::<Vec<_>>()
                .into_par_iter()
                .enumerate()
                .try_for_each(|(i, outs)| self.one(i, outs, widths, kernel))
        }
        #[cfg(not(feature = "rayon"))]
        runs.enumerate()
            .try_for_each(|(i, outs)| self.one(i, outs, widths, kernel))
    }

    /// Run `i`'s samples into `outs`, their part of each result: the whole blocks in one
    /// call, then what is left, padded to a block.
    fn one<F, const P: usize>(
        &self,
        i: usize,
        outs: [&mut [T]; P],
        widths: [usize; P],
        kernel: &F,
    ) -> Result<(), ShapeError>
    where
        F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError>,
    {
        let (columns, v_columns) = (self.columns, self.v_columns);
        let x = nth_block(&self.x, i, (self.run * columns).max(1));
        let v =
            (self.v.as_deref()).map_or(&[][..], |v| nth_block(v, i, (self.run * v_columns).max(1)));
        let rows = x.len() / columns.max(1);
        let whole = rows / BLOCK * BLOCK;
        let (x, x_rest) = x.split_at(whole * columns);
        let (v, v_rest) = v.split_at(v.len().min(whole * v_columns));
        let mut p = 0;
        let mut outs = outs.map(|out| {
            let w = widths[p];
            p += 1;
            out.split_at_mut(whole * w)
        });
        if whole > 0 {
            kernel(x, v, outs.each_mut().map(|(out, _)| &mut **out))?;
        }
        if whole == rows {
            return Ok(());
        }
        let padded = |rest: &[T], columns: usize| {
            let mut padded = vec![T::zero(); BLOCK * columns];
            padded[..rest.len()].copy_from_slice(rest);
            padded
        };
        let v = if self.v.is_some() {
            padded(v_rest, v_columns)
        } else {
            Vec::new()
        };
        let mut full = widths.map(|w| vec![T::zero(); BLOCK * w]);
        kernel(
            &padded(x_rest, columns),
            &v,
            full.each_mut().map(Vec::as_mut_slice),
        )?;
        for ((_, rest), full) in outs.iter_mut().zip(&full) {
            rest.copy_from_slice(&full[..rest.len()]);
        }
        Ok(())
    }
}

/// Block `i` of `x`, blocks of `step` values (the last may be shorter; none past it).
fn nth_block<T>(x: &[T], i: usize, step: usize) -> &[T] {
    let x = x.get(i * step..).unwrap_or_default();
    &x[..x.len().min(step)]
}

/// A row as a slice: borrowed, as rows of a standard-layout array always are.
fn slice<'a, T: Scalar>(row: &'a ArrayView1<'_, T>) -> Cow<'a, [T]> {
    row.as_slice()
        .map_or_else(|| Cow::Owned(row.to_vec()), Cow::Borrowed)
}

/// Writes `f(x_i, v_i)` into each row of a new `(rows, width)` array.
pub(crate) fn map<T, F>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    width: usize,
    f: F,
) -> Result<Array2<T>, ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], &mut [T]) -> Result<(), ShapeError> + Sync,
{
    let [out] = map_apart(x, v, [width], |x, v, [out]| f(x, v, out))?;
    Ok(out)
}

/// [`map`] of an `f` that writes `P` results a row, each into an array of its own (the
/// value-and-gradient's `y` and `gradient`), `widths[p]` values of part `p`: one new
/// `(rows, widths[p])` array a part, as [`blocks_apart`] returns them.
pub(crate) fn map_apart<T, F, const P: usize>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    widths: [usize; P],
    f: F,
) -> Result<[Array2<T>; P], ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError> + Sync,
{
    let rows = x.nrows();
    let mut parts = widths.map(|w| vec![T::zero(); rows * w]);
    each_row(x, v, parts.each_mut().map(Vec::as_mut_slice), widths, &f)?;
    arrays(parts, rows, widths)
}

/// [`map`] into `out`, which must be `(rows, width)` (else an error naming `what` it
/// holds), as [`map_apart_into`] writes.
pub(crate) fn map_into<T, F>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    out: ArrayViewMut2<'_, T>,
    width: usize,
    what: &'static str,
    f: F,
) -> Result<(), ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], &mut [T]) -> Result<(), ShapeError> + Sync,
{
    map_apart_into(x, v, [out], [width], [what], |x, v, [out]| f(x, v, out))
}

/// [`map_apart`] into `outs`, each `(rows, widths[p])` (else an error naming `whats[p]`,
/// its columns): written over where they lie if every one is in standard layout, as
/// [`blocks_apart_into`] writes; else computed apart and copied in.
pub(crate) fn map_apart_into<T, F, const P: usize>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    outs: [ArrayViewMut2<'_, T>; P],
    widths: [usize; P],
    whats: [&'static str; P],
    f: F,
) -> Result<(), ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError> + Sync,
{
    written_into(
        outs,
        (x.nrows(), widths, whats),
        |slices| each_row(x, v, slices, widths, &f),
        || map_apart(x, v, widths, &f),
    )
}

/// `f(x_i, v_i, outs_i)` for each row `i`, `outs_i` its `widths[p]` values of each
/// `outs[p]` (row-major), across threads with `rayon`.
fn each_row<T, F, const P: usize>(
    x: &CowArray<'_, T, Ix2>,
    v: Option<&CowArray<'_, T, Ix2>>,
    outs: [&mut [T]; P],
    widths: [usize; P],
    f: &F,
) -> Result<(), ShapeError>
where
    T: Scalar,
    F: Fn(&[T], &[T], [&mut [T]; P]) -> Result<(), ShapeError> + Sync,
{
    let mut p = 0;
    let mut chunks = outs.map(|out| {
        let step = widths[p].max(1);
        p += 1;
        out.chunks_mut(step)
    });
    let rows = (0..x.nrows()).map(|_| chunks.each_mut().map(|c| c.next().unwrap_or_default()));
    let row = |(i, outs): (usize, [&mut [T]; P])| {
        let xi = x.row(i);
        let vi = v.map(|v| v.row(i));
        let (xs, vs) = (slice(&xi), vi.as_ref().map(slice));
        f(&xs, vs.as_deref().unwrap_or(&[]), outs)
    };
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        rows.collect::<Vec<_>>()
            .into_par_iter()
            .enumerate()
            .try_for_each(row)
    }
    #[cfg(not(feature = "rayon"))]
    rows.enumerate().try_for_each(row)
}

/// `out`, `(n, rows, columns)` (else an error naming what differs: `what`, the matrices,
/// their rows and their columns), as the `(n, rows·columns)` array `write` writes its
/// results into, a matrix to a row: `out` itself where it is in standard layout, else
/// written apart and copied in.
pub(crate) fn matrices_into<T: Scalar>(
    mut out: ArrayViewMut3<'_, T>,
    (n, rows, columns): (usize, usize, usize),
    what: [&'static str; 3],
    write: impl FnOnce(ArrayViewMut2<'_, T>) -> Result<(), ShapeError>,
) -> Result<(), ShapeError> {
    let found = out.dim();
    if found.1 != rows {
        return Err(ShapeError::new(what[1], rows, found.1));
    }
    if found.2 != columns {
        return Err(ShapeError::new(what[2], columns, found.2));
    }
    if found.0 != n {
        return Err(ShapeError::new(what[0], n, found.0));
    }
    if let Ok(flat) = out.view_mut().into_shape_with_order((n, rows * columns)) {
        return write(flat);
    }
    let mut flat = Array2::from_elem((n, rows * columns), T::zero());
    write(flat.view_mut())?;
    let matrices = flat.view().into_shape_with_order((n, rows, columns));
    out.assign(&matrices.map_err(|_| ShapeError::new(what[0], n, 0))?);
    Ok(())
}
