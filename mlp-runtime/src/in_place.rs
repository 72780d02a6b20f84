//! A large result built where the caller's value goes. `hessian` returns an `N × N` array
//! by value; written as `let mut h = [[0.0; N]; N]; self.hessian_to(x, &mut h); h`, it was
//! zeroed in a local of its own and then copied out, since rustc does not elide that move:
//! for the seed network (52 inputs, 21 KiB), 2.24 µs against `hessian_to`'s 1.73 on a Xeon
//! (`native`), where through [`in_place`] it takes 1.80.

use core::mem::MaybeUninit;

use bytemuck::Zeroable;

/// The value `fill` leaves in an `A` it is given zeroed, built in the place the caller's
/// value goes: no local array zeroed and then copied out.
///
/// Out of line, as `zero_and_fill` is: the place it returns its value in is then its own
/// (a pointer no other code holds), which LLVM hands down. Inlined, the caller's place was
/// handed down or not as the caller's code had it: where a loop had already passed its
/// address to other code, as a benchmark's `black_box` does, LLVM copied it out again.
#[inline(never)]
pub fn in_place<A: Zeroable>(fill: impl FnOnce(&mut A)) -> A {
    let mut out = MaybeUninit::<A>::uninit();
    zero_and_fill(out.as_mut_ptr(), fill);
    // SAFETY: `zero_and_fill` wrote a value of `A` there.
    unsafe { out.assume_init() }
}

/// Zeroes `*out`, then fills it. Out of line, so that the caller's `MaybeUninit` is only
/// ever passed down: LLVM then hands down the place of the caller's value instead (the
/// move out of `out` becomes nothing). With the zeroing inlined into [`in_place`], it
/// zeroed a local and copied it out, as before.
#[inline(never)]
fn zero_and_fill<A: Zeroable>(out: *mut A, fill: impl FnOnce(&mut A)) {
    // SAFETY: `out` is valid for writes of one `A` (a `MaybeUninit<A>` of `in_place`'s, not
    // otherwise borrowed), and all-zero bytes are a value of `A` (`Zeroable`): zeroed, it
    // holds an `A`, which `fill` borrows alone.
    unsafe {
        out.write_bytes(0, 1);
        fill(&mut *out);
    }
}

#[cfg(test)]
mod tests {
    use super::in_place;

    #[test]
    fn fill_starts_from_zeros_and_its_writes_are_returned() {
        let square = in_place(|h: &mut [[f64; 3]; 3]| {
            assert_eq!(*h, [[0.0; 3]; 3]);
            h[1][2] = 4.0;
            h[2][0] = -1.5;
        });
        assert_eq!(square, [[0.0, 0.0, 0.0], [0.0, 0.0, 4.0], [-1.5, 0.0, 0.0]]);

        type Triple = (f32, [f32; 2], [[f32; 2]; 2]);
        let triple = in_place(|(value, gradient, hessian): &mut Triple| {
            assert_eq!(
                (*value, *gradient, *hessian),
                (0.0, [0.0; 2], [[0.0; 2]; 2])
            );
            (*value, *gradient) = (1.0, [2.0, 3.0]);
            hessian[0][1] = 5.0;
        });
        assert_eq!(triple, (1.0, [2.0, 3.0], [[0.0, 5.0], [0.0, 0.0]]));
    }
}
