//! Weights written by PyTorch (`tests/fixtures/make.py`): loaded from safetensors, npz
//! and npy, from paths and bytes, under every naming PyTorch uses (and Flax's, Keras's
//! and Haiku's, their kernels transposed, and as one vector) and in f16, bf16, f32 and
//! f64, they reproduce PyTorch's own outputs, gradients (torch.autograd), Hessians and
//! Laplacians (torch.func). Files written by Flax, Haiku and Keras 3 on JAX
//! (`make_jax.py`) reproduce JAX's. Every malformed file is a typed error, never a
//! panic.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use mlp::ndarray::{Array1, Array2, ArrayD, Ix2};
use mlp::{LoadError, Network, ScalarNetwork, mlp};
use ndarray_npy::{NpzReader, NpzWriter, WriteNpyExt};
use safetensors::Dtype;
use safetensors::tensor::TensorView;

use crate::common::to_f64;

/// The architecture `make.py` trains: `nn.Sequential` of Linear(3,16), SiLU, Linear(16,16),
/// SiLU, Linear(16,1).
#[mlp(16, 16, 1, input = 3, activation = silu)]
#[derive(Debug)]
pub struct Potential;

/// The same, in single precision.
#[mlp(16, 16, 1, input = 3, activation = silu, scalar = f32)]
#[derive(Debug)]
pub struct Potential32;

/// A network the files do not fit.
#[mlp(16, 8, 1, input = 3, activation = silu)]
#[derive(Debug)]
pub struct Narrower;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// The values in `expected-{name}.npz`, PyTorch's or JAX's.
fn expected(name: &str) -> HashMap<String, ArrayD<f64>> {
    let file = std::fs::File::open(fixture(&format!("expected-{name}.npz"))).unwrap();
    let mut npz = NpzReader::new(file).unwrap();
    ["x", "y", "gradient", "hessian", "laplacian"]
        .into_iter()
        .map(|key| {
            let array: ArrayD<f64> = match npz.by_name::<_, mlp::ndarray::IxDyn>(key) {
                Ok(a) => a,
                Err(_) => npz
                    .by_name::<mlp::ndarray::OwnedRepr<f32>, mlp::ndarray::IxDyn>(key)
                    .unwrap()
                    .mapv(f64::from),
            };
            (key.to_owned(), array)
        })
        .collect()
}

/// `max |a - b| / max |b|`.
fn error(got: impl IntoIterator<Item = f64>, want: &ArrayD<f64>) -> f64 {
    let scale = want.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let worst = got
        .into_iter()
        .zip(want.iter())
        .fold(0.0_f64, |m, (g, w)| m.max((g - w).abs()));
    worst / scale
}

/// `net` against the values in `expected-{name}.npz` (PyTorch's or JAX's), to `tolerance`.
fn reproduces<N: ScalarNetwork>(net: &N, name: &str, tolerance: f64) {
    let want = expected(name);
    let x = want["x"].clone().into_dimensionality::<Ix2>().unwrap();
    let x: mlp::ndarray::Array2<N::Scalar> = x.mapv(N::Scalar::from_f64);
    let checks = [
        (
            "y",
            net.value_batch(x.view())
                .unwrap()
                .iter()
                .map(|v| to_f64(*v))
                .collect::<Vec<_>>(),
        ),
        (
            "gradient",
            net.gradient_batch(x.view())
                .unwrap()
                .iter()
                .map(|v| to_f64(*v))
                .collect(),
        ),
        (
            "hessian",
            net.hessian_batch(x.view())
                .unwrap()
                .iter()
                .map(|v| to_f64(*v))
                .collect(),
        ),
        (
            "laplacian",
            net.laplacian_batch(x.view())
                .unwrap()
                .iter()
                .map(|v| to_f64(*v))
                .collect(),
        ),
    ];
    for (key, got) in checks {
        let e = error(got, &want[key]);
        assert!(e <= tolerance, "{name}: {key} off by {e:e}");
    }
}

use mlp::Scalar;

#[test]
fn reproduces_pytorch() {
    let net = Potential::load(fixture("potential.safetensors")).unwrap();
    reproduces(&net, "potential-f64", 1e-12);
    let net = Potential32::load(fixture("potential.safetensors")).unwrap();
    reproduces(&net, "potential-f32", 1e-6);
    for precision in ["f16", "bf16", "f64"] {
        let net = Potential::load(fixture(&format!("potential-{precision}.safetensors"))).unwrap();
        reproduces(&net, &format!("potential-{precision}-weights"), 1e-12);
    }
}

#[test]
fn every_naming_and_format_gives_the_same_network() {
    let reference = Potential::load(fixture("potential.safetensors"))
        .unwrap()
        .parameters();
    // The last four as Flax, Keras and Haiku name them, kernels transposed, and as one
    // vector (`make_layouts.py`).
    for file in [
        "potential.npz",
        "named.safetensors",
        "compiled.safetensors",
        "flax.safetensors",
        "keras.safetensors",
        "haiku.safetensors",
        "potential.npy",
    ] {
        let net = Potential::load(fixture(file)).unwrap();
        assert_eq!(net.parameters(), reference, "{file}");
        let bytes = std::fs::read(fixture(file)).unwrap();
        assert_eq!(
            Potential::from_bytes(&bytes).unwrap().parameters(),
            reference,
            "{file} from bytes"
        );
    }
    let named = Potential::load_layers(
        fixture("named.safetensors"),
        &["model.fc1", "model.fc2", "model.out"],
    );
    assert_eq!(named.unwrap().parameters(), reference);
}

/// Files written by JAX's libraries themselves (`tests/fixtures/make_jax.py`): Flax's
/// `Dense` layers saved flattened (`params.Dense_0.kernel`, …), a Haiku `MLP`
/// (`mlp/~/linear_0/w`, …) and a Keras 3 `Sequential` (`sequential/dense/kernel`, …), each
/// reproducing JAX's own values, gradients, Hessians and Laplacians (`jax.grad`,
/// `jax.hessian`, in f64 from the f32 weights).
#[test]
fn reproduces_jax() {
    for name in ["flax", "haiku", "keras"] {
        let net = Potential::load(fixture(&format!("{name}-jax.safetensors"))).unwrap();
        reproduces(&net, &format!("{name}-jax"), 1e-12);
    }
}

/// A JAX user's file: Flax's `Dense` layers, their parameters flattened with `sep="."`
/// (`params.Dense_0.kernel`, …) and saved with `safetensors.flax.save_file` or
/// `numpy.savez`, each kernel `[in, out]`, PyTorch's weight transposed. Here PyTorch's
/// arrays, read from its `.npz` by `ndarray-npy` and transposed by `ndarray`, written so:
/// the same network, which reproduces PyTorch's values and derivatives.
#[test]
fn flax_kernels_give_the_same_network() {
    let file = std::fs::File::open(fixture("potential.npz")).unwrap();
    let mut torch = NpzReader::new(file).unwrap();
    let mut arrays = Vec::new();
    for (l, module) in ["0", "2", "4"].into_iter().enumerate() {
        let weight: Array2<f32> = torch.by_name(&format!("{module}.weight")).unwrap();
        let bias: Array1<f32> = torch.by_name(&format!("{module}.bias")).unwrap();
        let kernel = weight.t().as_standard_layout().into_owned();
        arrays.push((format!("params.Dense_{l}.kernel"), kernel.into_dyn()));
        arrays.push((format!("params.Dense_{l}.bias"), bias.into_dyn()));
    }

    let reference = Potential::load(fixture("potential.safetensors"))
        .unwrap()
        .parameters();
    for (format, bytes) in both_formats(&arrays, &[]) {
        let net = Potential::from_bytes(&bytes).unwrap();
        assert_eq!(net.parameters(), reference, "{format}");
        reproduces(&net, "potential-f64", 1e-12);
    }
}

/// A network that is the head of a bigger model: the file holds an encoder's layer, a
/// BatchNorm's parameters and buffers (`num_batches_tracked` an integer), and PyTorch's
/// three layers under `head.`. Named, those load alone, the rest not read; unnamed, the file
/// is refused, and the error says to name them.
#[test]
fn named_layers_load_out_of_a_bigger_model() {
    let file = std::fs::File::open(fixture("potential.npz")).unwrap();
    let mut torch = NpzReader::new(file).unwrap();
    let encoder = ArrayD::<f32>::from_elem(vec![3, 3], 0.5);
    let norm = ArrayD::<f32>::ones(vec![3]);
    let mut arrays: Vec<(String, ArrayD<f32>)> = [
        ("encoder.0.weight", &encoder),
        ("encoder.0.bias", &norm),
        ("encoder.1.weight", &norm),
        ("encoder.1.bias", &norm),
        ("encoder.1.running_mean", &norm),
        ("encoder.1.running_var", &norm),
    ]
    .into_iter()
    .map(|(name, array)| (name.to_owned(), array.clone()))
    .collect();
    for name in [
        "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias",
    ] {
        arrays.push((format!("head.{name}"), torch.by_name(name).unwrap()));
    }
    let steps = ArrayD::<i64>::from_elem(vec![], 1000);
    let files = both_formats(&arrays, &[("encoder.1.num_batches_tracked", steps)]);

    let reference = Potential::load(fixture("potential.safetensors"))
        .unwrap()
        .parameters();
    for (format, bytes) in files {
        let net = Potential::from_bytes_layers(&bytes, &["head.0", "head.2", "head.4"]);
        assert_eq!(net.unwrap().parameters(), reference, "{format}");
        let refused = message(&bytes);
        assert!(
            refused.starts_with("unexpected tensor `encoder.1.")
                && refused.ends_with(
                    "nor a bias (`.bias`, `.b`); to load some modules alone, name them (`load_layers`)"
                ),
            "{format}: {refused}"
        );
    }
}

/// The parameters as one vector, as `numpy.save` writes PyTorch's `parameters_to_vector`:
/// in f64 and f32 (written here by `ndarray-npy`), the same network; any other array, or
/// names for its modules, a typed error.
#[test]
fn a_vector_of_parameters_loads_from_npy() {
    let npy = |array: ArrayD<f64>| {
        let mut bytes = Vec::new();
        array.write_npy(&mut bytes).unwrap();
        bytes
    };
    let reference = Potential::load(fixture("potential.safetensors"))
        .unwrap()
        .parameters();
    let vector = Array1::from(reference.clone()).into_dyn();
    let f64s = npy(vector.clone());
    let mut f32s = Vec::new();
    vector.mapv(|v| v as f32).write_npy(&mut f32s).unwrap();
    for bytes in [&f64s, &f32s] {
        assert_eq!(
            Potential::from_bytes(bytes).unwrap().parameters(),
            reference
        );
    }

    let row = vector.clone().into_shape_with_order(vec![1, 353]).unwrap();
    let short = vector.slice_move(mlp::ndarray::s![..352]).into_dyn();
    for (array, found) in [(row, "[1, 353]"), (short, "[352]")] {
        assert_eq!(
            message(&npy(array)),
            format!(
                "a `.npy` file holds the network's parameters as one vector of 353 (PyTorch's `parameters_to_vector(model.parameters())`), found shape {found}"
            )
        );
    }
    assert_eq!(
        Narrower::load(fixture("potential.npy"))
            .unwrap_err()
            .to_string(),
        "a `.npy` file holds the network's parameters as one vector of 209 (PyTorch's `parameters_to_vector(model.parameters())`), found shape [353]"
    );
    let names = Potential::from_bytes_layers(&f64s, &["0", "2", "4"]).unwrap_err();
    assert_eq!(
        names.to_string(),
        "a `.npy` file holds one vector of parameters, no modules to name: load it without names"
    );
    let mut integers = Vec::new();
    Array1::<i64>::zeros(353).write_npy(&mut integers).unwrap();
    assert_eq!(
        message(&integers),
        "tensor `parameters` has dtype '<i8'; expected a float (f16, bf16, f32 or f64)"
    );
    let truncated = message(&f64s[..f64s.len() - 8]);
    assert!(
        truncated.starts_with("corrupt or truncated npy data"),
        "{truncated}"
    );
}

/// `arrays`, and `integers` after them, as an `.npz` archive (written by `ndarray-npy`)
/// and as a safetensors file (by the `safetensors` crate).
fn both_formats(
    arrays: &[(String, ArrayD<f32>)],
    integers: &[(&str, ArrayD<i64>)],
) -> [(&'static str, Vec<u8>); 2] {
    let mut npz = NpzWriter::new(Cursor::new(Vec::new()));
    let mut tensors: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::new();
    for (name, array) in arrays {
        npz.add_array(name.as_str(), array).unwrap();
        let bytes = array.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.push((name.clone(), Dtype::F32, array.shape().to_vec(), bytes));
    }
    for (name, array) in integers {
        npz.add_array(*name, array).unwrap();
        let bytes = array.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.push((name.to_string(), Dtype::I64, array.shape().to_vec(), bytes));
    }
    let views = tensors.iter().map(|(name, dtype, shape, bytes)| {
        let view = TensorView::new(*dtype, shape.clone(), bytes).unwrap();
        (name.clone(), view)
    });
    let safetensors = safetensors::serialize(views, None).unwrap();
    [
        ("npz", npz.finish().unwrap().into_inner()),
        ("safetensors", safetensors),
    ]
}

/// A safetensors file of the given tensors, all f32 but those given another dtype.
fn safetensors(tensors: &[(&str, &[usize], Dtype)]) -> Vec<u8> {
    let data: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, shape, dtype)| vec![0u8; shape.iter().product::<usize>() * dtype.bitsize() / 8])
        .collect();
    let views: Vec<(String, TensorView<'_>)> = tensors
        .iter()
        .zip(&data)
        .map(|((name, shape, dtype), bytes)| {
            (
                name.to_string(),
                TensorView::new(*dtype, shape.to_vec(), bytes).unwrap(),
            )
        })
        .collect();
    safetensors::serialize(views, None).unwrap()
}

fn message(bytes: &[u8]) -> String {
    Potential::from_bytes(bytes).unwrap_err().to_string()
}

#[test]
fn mistakes_are_typed_errors() {
    let f32 = Dtype::F32;
    let good: Vec<(&str, &[usize], Dtype)> = vec![
        ("0.weight", &[16, 3], f32),
        ("0.bias", &[16], f32),
        ("2.weight", &[16, 16], f32),
        ("2.bias", &[16], f32),
        ("4.weight", &[1, 16], f32),
        ("4.bias", &[1], f32),
    ];
    assert!(Potential::from_bytes(&safetensors(&good)).is_ok());

    let mut t = good.clone();
    t.remove(3);
    assert_eq!(
        message(&safetensors(&t)),
        "missing tensor `2.bias` (expected shape [16])"
    );
    let mut t = good.clone();
    t.push(("6.weight", &[1, 1], f32));
    t.push(("6.bias", &[1], f32));
    assert_eq!(
        message(&safetensors(&t)),
        "unexpected tensor `6.weight`: every layer already has its weight; to load some modules alone, name them (`load_layers`)"
    );
    let mut t = good.clone();
    t[0] = ("0.weight", &[3, 16], f32);
    assert_eq!(
        message(&safetensors(&t)),
        "tensor `0.weight` has shape [3, 16], expected [16, 3] (transposed? a weight is [out, in], as PyTorch's `Linear.weight`)"
    );
    let mut t = good.clone();
    t[1] = ("0.bias", &[16], Dtype::I32);
    assert_eq!(
        message(&safetensors(&t)),
        "tensor `0.bias` has dtype I32; expected a float (f16, bf16, f32 or f64)"
    );

    let file = std::fs::read(fixture("potential.safetensors")).unwrap();
    let truncated = message(&file[..file.len() - 7]);
    assert!(
        truncated.starts_with("corrupt or truncated safetensors data"),
        "{truncated}"
    );
    let npz = std::fs::read(fixture("potential.npz")).unwrap();
    let truncated = message(&npz[..npz.len() / 2]);
    assert!(
        truncated.starts_with("corrupt or truncated npz data"),
        "{truncated}"
    );
    assert_eq!(
        message(b"not weights"),
        "the data is neither safetensors, npz nor npy (by its first bytes or its extension)"
    );

    let wrong = Narrower::load(fixture("potential.safetensors")).unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "tensor `2.weight` has shape [16, 16], expected [8, 16]"
    );
    assert!(matches!(
        Potential::load("no/such/file.safetensors"),
        Err(LoadError::Io { .. })
    ));
    let names = Potential::load_layers(fixture("named.safetensors"), &["model.fc1"]).unwrap_err();
    assert_eq!(
        names.to_string(),
        "expected 3 layer names, one per layer, found 1"
    );
}

/// A compressed `.npz` array can inflate a thousandfold (a 778 KB file of zeros claiming
/// 10⁸ values took 1.6 GB): an archive's arrays are read up to the network's parameters and
/// one value more for each byte of the file, and past that an array is a typed error, its
/// data not read. Another network's file, whose values do not compress so far, is read and
/// its shapes reported.
#[test]
fn archives_inflating_past_any_weights_are_not_read() {
    let npz = |arrays: &[(&str, ArrayD<f64>)]| {
        let mut npz = NpzWriter::new_compressed(Cursor::new(Vec::new()));
        for (name, array) in arrays {
            npz.add_array(*name, array).unwrap();
        }
        npz.finish().unwrap().into_inner()
    };
    let zeros = |shape: &[usize]| ArrayD::<f64>::zeros(shape);
    let bomb = npz(&[("0.weight", zeros(&[1 << 20]))]);
    assert!(bomb.len() < 16 << 10, "{} bytes", bomb.len());
    let err = Potential::from_bytes(&bomb).unwrap_err();
    let limit = Potential::PARAMETERS + bomb.len();
    assert_eq!(
        err.to_string(),
        format!(
            "npz array `0.weight` inflates to 1048576 values, past the {limit} that the network's parameters and the file's size allow: no weights compress so far"
        )
    );
    assert!(matches!(
        err,
        LoadError::TooLarge {
            found: 1_048_576,
            ..
        }
    ));

    // The budget is the archive's: arrays read before count against it.
    let mut arrays = vec![("0.weight", zeros(&[16, 3]))];
    arrays.push(("1.weight", zeros(&[1 << 20])));
    let two = npz(&arrays);
    let limit = Potential::PARAMETERS + two.len() - 48;
    assert!(matches!(
        Potential::from_bytes(&two),
        Err(LoadError::TooLarge { found: 1_048_576, limit: l, .. }) if l == limit
    ));

    // An array's header claiming 4 GiB is not allocated (a version 2 header: a `u32` length).
    let claim = npy_archive(b"\x93NUMPY\x02\x00\xf0\xff\xff\xff{'descr': '<f8'");
    assert_eq!(
        message(&claim),
        "corrupt or truncated npz data: an array's header claims 4294967280 bytes, more than NumPy reads (10000)"
    );
    // A header nested deeper than NumPy writes is not parsed: its parser takes time
    // exponential in the depth (the load target's finding: 150 bytes nesting 31 deep took
    // 583 s; 12 deep, unclosed, 18 ms), or, 4,000 deep, fails with the header quoted.
    for (shape, deepest) in [
        (format!("{}{}", "(".repeat(4_000), ")".repeat(4_000)), 4_001),
        ("[".repeat(12), 13),
    ] {
        let npy = npy_of(&format!(
            "{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}"
        ));
        let want = format!(
            "an array's header nests brackets {deepest} deep, past the 4 that NumPy writes"
        );
        assert_eq!(
            message(&npy_archive(&npy)),
            format!("corrupt or truncated npz data: {want}")
        );
        assert_eq!(
            message(&npy),
            format!("corrupt or truncated npy data: {want}")
        );
    }
    // Headers are parsed at microseconds a byte: an archive's may take twice its bytes, no
    // more (NumPy's take about 128 bytes an array, in the archive), however well they
    // deflate.
    let padded = npy_of(&format!(
        "{{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }}{}",
        " ".repeat(9_000)
    ));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..8 {
        zip.start_file(format!("{i}.weight.npy"), deflated).unwrap();
        zip.write_all(&padded).unwrap();
    }
    let archive = zip.finish().unwrap().into_inner();
    assert!(archive.len() < 4_000, "{} bytes", archive.len());
    // The header's length: the bytes after the magic string, version and length (1.0).
    let claimed = padded.len() - 10;
    assert_eq!(
        message(&archive),
        format!(
            "corrupt or truncated npz data: an array's header claims {claimed} bytes, more than the file can hold"
        )
    );

    // Another network's weights, random, do not compress so far: their shapes are reported.
    let mut rng = Rng(9);
    let mut random = |shape: &[usize]| ArrayD::from_shape_simple_fn(shape, || rng.next() as f64);
    let wider = npz(&[
        ("0.weight", random(&[64, 3])),
        ("0.bias", random(&[64])),
        ("2.weight", random(&[64, 64])),
        ("2.bias", random(&[64])),
        ("4.weight", random(&[1, 64])),
        ("4.bias", random(&[1])),
    ]);
    assert_eq!(
        Potential::from_bytes(&wider).unwrap_err().to_string(),
        "tensor `0.weight` has shape [64, 3], expected [16, 3]"
    );
}

/// The `.npy` bytes of a header alone (format version 1.0).
fn npy_of(header: &str) -> Vec<u8> {
    let header = format!("{header}\n");
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    npy.extend(u16::try_from(header.len()).unwrap().to_le_bytes());
    npy.extend(header.bytes());
    npy
}

/// An `.npz` archive of one array, `0.weight`, whose `.npy` bytes are `npy`, stored as
/// `numpy.savez` stores them (not deflated).
fn npy_archive(npy: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("0.weight.npy", stored).unwrap();
    zip.write_all(npy).unwrap();
    zip.finish().unwrap().into_inner()
}

/// A small deterministic generator, so that a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Corrupted, truncated and random files never panic: the loader returns an error (or, for
/// a change that keeps the file valid, a network).
#[test]
fn damaged_files_never_panic() {
    let mut rng = Rng(5);
    let originals = [
        std::fs::read(fixture("potential.safetensors")).unwrap(),
        std::fs::read(fixture("potential.npz")).unwrap(),
        std::fs::read(fixture("potential-bf16.safetensors")).unwrap(),
        std::fs::read(fixture("potential.npy")).unwrap(),
    ];
    for case in 0..6_000 {
        let mut bytes = originals[case % originals.len()].clone();
        match rng.below(4) {
            0 => bytes.truncate(rng.below(bytes.len())),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.below(bytes.len());
                    bytes[at] = rng.next() as u8;
                }
            }
            2 => {
                // The headers are at the start: damage them there.
                let at = rng.below(bytes.len().min(160));
                bytes[at] = rng.next() as u8;
            }
            _ => bytes = (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        }
        if case % 7 == 0 {
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        let _ = Potential::from_bytes(&bytes);
        let _ = Potential32::from_bytes(&bytes);
    }
}
