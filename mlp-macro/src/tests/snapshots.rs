//! The IR text, the LaTeX and the `prettyplease`-formatted expansion of fixtures, named
//! `{fixture}-{what}`. Accept changes with `INSTA_UPDATE=always`, then read the diff.

use proc_macro2::TokenStream;
use quote::quote;

use crate::{expand, formula, forward, methods};

/// The expansion of `#[mlp(args)] item`, formatted.
fn expand(args: TokenStream, item: TokenStream) -> String {
    let tokens = expand::mlp(args, item);
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(error) => panic!("the expansion does not parse ({error}): {tokens}"),
    }
}

/// The expansion of `#[mlp(args)] pub struct Net;`, formatted.
fn expand_net(args: TokenStream) -> String {
    expand(
        args,
        quote!(
            pub struct Net;
        ),
    )
}

/// Whether the expansion of `#[mlp(args)]` has a method `name`.
fn writes(args: TokenStream, name: &str) -> bool {
    expand_net(args).contains(&format!("pub fn {name}("))
}

/// The forward pass of `args` and its method programs, in the text form.
fn programs(args: TokenStream) -> String {
    let model = expand::model(
        args,
        quote!(
            struct Net;
        ),
    )
    .expect("a valid fixture");
    let f = forward::forward(&model);
    let mut sections = vec![
        ("forward pass, as built", f.program.clone()),
        ("forward", methods::forward(&f).0),
    ];
    if model.output() == 1 {
        sections.push(("value_and_gradient", methods::gradient(&f, true).0));
        sections.push(("gradient", methods::gradient(&f, false).0));
    }
    sections.push((
        "jacobian by rows (reverse)",
        methods::jacobian_rows(&f, false).0,
    ));
    sections.push((
        "jacobian by columns (tangent)",
        methods::jacobian_columns(&f, false).0,
    ));
    sections.push(("jvp", methods::jvp(&f).0));
    sections.push(("vjp", methods::vjp(&f).0));
    if model.output() == 1 {
        sections.push(("hvp", methods::hvp(&f).0));
        sections.push(("hessian", methods::hessian(&f, false).0));
        sections.push(("value_gradient_hessian", methods::hessian(&f, true).0));
        sections.push(("laplacian", methods::laplacian(&f).0));
        sections.push((
            "value_gradient_laplacian",
            methods::value_gradient_laplacian(&f).sweeps.program,
        ));
    }
    let sections: Vec<String> = sections
        .iter()
        .map(|(title, p)| format!("# {title}\n{p}\n"))
        .collect();
    sections.join("\n")
}

#[test]
fn seed_ir() {
    insta::assert_snapshot!("seed-ir", programs(quote!(20, 10, 1, input = 52)));
}

#[test]
fn seed_latex() {
    let model = expand::model(
        quote!(20, 10, 1, input = 52),
        quote!(
            struct Seed;
        ),
    )
    .unwrap();
    let f = formula::gradient(&model, &forward::forward(&model));
    insta::assert_snapshot!("seed-latex", f.latex);
    insta::assert_snapshot!("seed-formula", f.text);
}

#[test]
fn seed_hessian_latex() {
    let model = expand::model(
        quote!(20, 10, 1, input = 52),
        quote!(
            struct Seed;
        ),
    )
    .unwrap();
    let f = formula::hessian(&model, &forward::forward(&model));
    insta::assert_snapshot!("seed-hessian-latex", f.latex);
    insta::assert_snapshot!("seed-hessian-formula", f.text);
}

/// What each method of the seed network costs, from its program: the table the rustdoc
/// of each method quotes.
#[test]
fn seed_operation_counts() {
    let model = expand::model(
        quote!(20, 10, 1, input = 52),
        quote!(
            struct Seed;
        ),
    )
    .unwrap();
    let f = forward::forward(&model);
    let rows = [
        ("forward", methods::forward(&f).0),
        ("value", methods::value(&f).0),
        ("gradient", methods::gradient(&f, false).0),
        ("value_and_gradient", methods::gradient(&f, true).0),
        ("jacobian", methods::jacobians(&f)[0].sweeps.program.clone()),
        ("jvp", methods::jvp(&f).0),
        ("vjp", methods::vjp(&f).0),
        ("hvp", methods::hvp(&f).0),
        ("laplacian", methods::laplacian(&f).0),
        (
            "value_gradient_laplacian",
            methods::value_gradient_laplacian(&f).sweeps.program,
        ),
        ("hessian", methods::hessian(&f, false).0),
        ("value_gradient_hessian", methods::hessian(&f, true).0),
    ];
    let gradient = crate::cost::program(&methods::gradient(&f, false).0, 0) as f64;
    let mut table = String::from(
        "seed network 52-20-10-1 (tanh): floating-point operations per call\n\
         (a multiply and an add count two, an activation call one)\n\n",
    );
    for (name, p) in rows {
        let ops = crate::cost::program(&p, 0);
        let ratio = ops as f64 / gradient;
        table.push_str(&format!("{name:<24}{ops:>8}  {ratio:>6.2} × gradient\n"));
    }
    insta::assert_snapshot!("seed-operation-counts", table);
}

#[test]
fn mixed_activations_latex() {
    let args = quote!(
        4,
        3,
        2,
        input = 2,
        activation = [softplus, relu],
        output = sigmoid
    );
    let model = expand::model(
        args,
        quote!(
            struct Net;
        ),
    )
    .unwrap();
    let f = formula::gradient(&model, &forward::forward(&model));
    insta::assert_snapshot!("mixed-latex", f.latex);
}

#[test]
fn tiny_unrolled() {
    let item = quote! {
        /// A 2-3-1 tanh network.
        #[derive(Clone, Debug)]
        pub struct Tiny;
    };
    insta::assert_snapshot!(
        "tiny-unrolled",
        expand(quote!(3, 1, input = 2, unroll = all), item)
    );
}

#[test]
fn tiny_loops() {
    let item = quote!(
        pub struct Tiny;
    );
    insta::assert_snapshot!(
        "tiny-loops",
        expand(quote!(3, 1, input = 2, unroll = none), item)
    );
}

/// Bodies compiled apart (`inline`): those of more than 22 operations (counted at an input
/// one wide) each an associated function of a type of its own module's
/// (`__mlp_Pair::jacobian::Body`), generic over the input width and called by its method;
/// `forward`, of 21, kept in its method.
#[test]
fn generic_apart() {
    let item = quote!(
        pub struct Pair<const D: usize>;
    );
    insta::assert_snapshot!(
        "generic-apart",
        expand(quote!(3, 2, activation = sin, inline = 22), item)
    );
}

/// A Jacobian whose sweeps depend on the target (rows with AVX and FMA, columns without)
/// compiled apart: the block kernel's two bodies, each under its `cfg`, functions of one
/// type.
#[test]
fn tall_apart() {
    let expansion = expand(
        quote!(32, 32, 6, input = 3, inline = none),
        quote!(
            pub struct Tall;
        ),
    );
    insta::assert_snapshot!("tall-apart", expansion);
}

#[test]
fn tiny_multi_output_ir() {
    insta::assert_snapshot!(
        "tiny-multi-ir",
        programs(quote!(3, 2, input = 2, output = tanh))
    );
}

/// A Jacobian of several outputs: each output's reverse sweep a row of one matrix of sums,
/// the rows side by side (`_mlp::lane_scaled_sums_rows`, `_mlp::sums_rows`); in its block
/// kernel, every sample's rows side by side (`_mlp::sums_rows` of 16 × 6 rows).
#[test]
fn control_jacobian() {
    insta::assert_snapshot!("control-jacobian", jacobian(quote!(32, 32, 6, input = 12)));
    let expansion = expand(
        quote!(32, 32, 6, input = 12),
        quote!(
            pub struct Control;
        ),
    );
    insta::assert_snapshot!(
        "control-jacobian-blocks",
        method(&expansion, "jacobian_blocks")
    );
}

/// A Jacobian's block kernel is written for a network of several outputs where a block's
/// arrays fit on the stack: the 12-32-32-6 network's (reverse sweeps), the 2-16-40 one's
/// (tangent sweeps), the 3-32-32-6 one's (two, each under its `cfg`: by rows with AVX and
/// FMA, by columns without); not the 784-256-128-10 one's (16 × 10 × 256 values a layer),
/// nor a one-output network's (whose kernel is `gradient_batch`'s).
#[test]
fn jacobian_block_kernels() {
    let kernel = |args| writes(args, "jacobian_blocks");
    assert!(kernel(quote!(32, 32, 6, input = 12)));
    assert!(kernel(quote!(16, 40, input = 2, activation = silu)));
    assert!(kernel(quote!(31, 13, 5, input = 19, activation = silu)));
    let tall = expand(
        quote!(32, 32, 6, input = 3),
        quote!(
            pub struct Tall;
        ),
    );
    // Two of one name: one under each `cfg` (the tests build both).
    assert_eq!(tall.matches("pub fn jacobian_blocks(").count(), 2);
    assert!(!kernel(quote!(
        256,
        128,
        10,
        input = 784,
        activation = relu
    )));
    assert!(!kernel(quote!(20, 10, 1, input = 52)));
}

/// A Jacobian whose sweeps depend on the target: three inputs fill no vector, so with the
/// vector kernels a reverse sweep per output, without them a tangent sweep per input
/// (fewer operations), each under its `cfg`.
#[test]
fn tall_jacobian() {
    insta::assert_snapshot!("tall-jacobian", jacobian(quote!(32, 32, 6, input = 3)));
}

/// `inline = auto`, the default: a method's body of more than 16,000 operations apart
/// (the seed's Hessians and Laplacians), and `#[inline]` where the target has the vector
/// kernels up to 80,000 (the Laplacians), a smaller one in its method; a block kernel of
/// more than 16,000 operations a block apart on every target, not `#[inline]` (the seed's
/// every kernel; the 3-42-42-6 network's two Jacobian kernels, one under each `cfg`).
/// `inline = all` keeps every body in its method.
#[test]
fn inline_auto() {
    let calls = |code: &str| code.matches("::Body::run::<0>(self").count();
    let inlined = "#[cfg_attr(\n            all(target_arch = \"x86_64\", target_feature = \"avx\", \
                   target_feature = \"fma\"),\n            inline\n        )]\n        fn run<";
    let seed = expand_net(quote!(20, 10, 1, input = 52));
    let methods = [
        "hessian_to",
        "value_gradient_hessian_to",
        "laplacian",
        "value_gradient_laplacian",
    ];
    let kernels = [
        "forward_blocks",
        "jvp_blocks",
        "vjp_blocks",
        "gradient_blocks",
        "value_and_gradient_blocks",
        "hvp_blocks",
    ];
    for name in methods.iter().chain(&kernels) {
        assert!(
            seed.contains(&format!("__mlp_Net::{name}::Body::run::<0>(self")),
            "{name}"
        );
    }
    assert_eq!(calls(&seed), methods.len() + kernels.len());
    // With the vector kernels the Laplacians' bodies are copied into their callers' units,
    // the Hessians' (over 80,000 operations) compiled once.
    let copied = |name: &str| {
        seed.contains(&format!(
            "impl __mlp_Net::{name}::Body {{\n        {inlined}"
        ))
    };
    assert!(copied("laplacian") && copied("value_gradient_laplacian"));
    assert_eq!(seed.matches(inlined).count(), 2);
    assert!(!expand_net(quote!(20, 10, 1, input = 52, inline = all)).contains("__mlp_"));
    assert!(!expand_net(quote!(8, 1, input = 4)).contains("__mlp_"));
    let tall = expand_net(quote!(42, 42, 6, input = 3));
    assert_eq!(tall.matches("pub fn jacobian_blocks(").count(), 2);
    let kernel = "__mlp_Net::jacobian_blocks::Body::run::<0>(self, xs, jacobians)";
    assert_eq!(tall.matches(kernel).count(), 2);
    // Every method's body apart is `#[inline]` with the vector kernels (all under 80,000
    // operations), no kernel's.
    let kernels = tall.matches("_blocks::Body::run::<0>(self").count();
    assert_eq!(calls(&tall), tall.matches(inlined).count() + kernels);
}

/// A network shaped like a physics-informed one, whose weights do not fit in L1 together:
/// its tangents laid out a direction to a row (`passes::layout`), the products by each
/// matrix brought together (`passes::schedule`: in the `laplacian`, `W2`'s five, then
/// `W3`'s), the `hessian`'s reverse sums of its three directions side by side.
#[test]
fn few_inputs_and_deep() {
    let args = quote!(64, 64, 64, 1, input = 3);
    insta::assert_snapshot!("pinn-ir", programs(args.clone()));
    let expansion = expand(
        args,
        quote!(
            pub struct Pinn;
        ),
    );
    insta::assert_snapshot!("pinn-laplacian", method(&expansion, "laplacian"));
    insta::assert_snapshot!("pinn-hessian", method(&expansion, "hessian_to"));
    insta::assert_snapshot!("pinn-hvp", method(&expansion, "hvp"));
    insta::assert_snapshot!(
        "pinn-laplacian-blocks",
        method(&expansion, "value_gradient_laplacian_blocks")
    );
    insta::assert_snapshot!("pinn-hessian-blocks", method(&expansion, "hessian_blocks"));
}

/// The Hessian's block kernel is written where the Laplacian's would be (a block's arrays
/// on the stack: few inputs, the input's width known) and the single call computes each
/// entry of its triangle by sums of its own (`_mlp::dot`, or term by term where unrolled),
/// which each sample's triangle in a block repeats; not where it sums whole rows of the
/// triangle at once (`_mlp::sums_lower`, `_mlp::axpys_prefix`), an order no loop over a
/// block's entries has.
#[test]
fn hessian_block_kernels() {
    let kernel = |args| writes(args, "hessian_blocks");
    assert!(kernel(quote!(64, 64, 64, 1, input = 3)));
    assert!(kernel(quote!(33, 33, 1, input = 6, activation = softplus)));
    assert!(kernel(quote!(7, 1, input = 5, unroll = all)));
    assert!(!kernel(quote!(10, 10, 1, input = 10)));
    assert!(!kernel(quote!(
        5,
        4,
        1,
        input = 4,
        activation = [sin, silu],
        output = softplus
    )));
    assert!(!kernel(quote!(20, 10, 1, input = 52)));
    assert!(!kernel(quote!(8, 6, 1)));
}

/// The Laplacian's block kernels are written where a block's tangents are products by
/// the weights shared by all its samples and directions (`_mlp::dot_block`), and fit on
/// the stack: for few inputs, not for the seed's 52 (its tangents a sample at a time),
/// nor for the 64-128-128-1 network (a block's tangents, 16 × 64 × 128 values a layer),
/// nor where the input's width is generic.
#[test]
fn laplacian_block_kernels() {
    let kernels = |args: TokenStream| {
        ["laplacian_blocks", "value_gradient_laplacian_blocks"]
            .map(|name| writes(args.clone(), name))
    };
    assert_eq!(kernels(quote!(64, 64, 64, 1, input = 3)), [true, true]);
    assert_eq!(
        kernels(quote!(16, 16, 1, input = 2, scalar = f32)),
        [true, true]
    );
    assert_eq!(kernels(quote!(64, 1, input = 70)), [true, true]);
    assert_eq!(kernels(quote!(20, 10, 1, input = 52)), [false, false]);
    assert_eq!(kernels(quote!(128, 128, 1, input = 64)), [false, false]);
    assert_eq!(kernels(quote!(8, 6, 1)), [false, false]);
    assert_eq!(kernels(quote!(20, 10, 3, input = 3)), [false, false]);
    // The test networks of `tests/mlp/batch.rs`.
    assert_eq!(
        kernels(quote!(33, 33, 1, input = 6, activation = softplus)),
        [true, true]
    );
    assert_eq!(kernels(quote!(7, 1, input = 5, unroll = all)), [true, true]);
    assert_eq!(
        kernels(quote!(6, 1, input = 5, activation = identity)),
        [true, true]
    );
    assert_eq!(kernels(quote!(33, 17, 1, input = 45)), [false, false]);
    assert_eq!(
        kernels(quote!(37, 23, 1, input = 29, scalar = f32)),
        [false, false]
    );
}

/// A network whose hidden layers are wider than half its input: the Hessian by each unit's
/// curvature (`methods::hessian`), its scaled tangents `q1`, `q2` tensors of their own and
/// each layer's share summed onto one lower triangle (`_mlp::sums_lower`, then
/// `_mlp::add_sums_lower`), then mirrored.
#[test]
fn hessian_by_curvature() {
    let expansion = expand(
        quote!(16, 16, 1, input = 8),
        quote!(
            pub struct Mid;
        ),
    );
    insta::assert_snapshot!(
        "mid-hessian",
        method(&expansion, "value_gradient_hessian_to")
    );
}

/// A block kernel of `hvp_batch` whose reverse sums and their tangents are too long a row to
/// be held in registers (rows of 128 lanes, 128 terms): both, for every sample of the
/// block, by one `_mlp::sums_rows` of 32 rows over `W2` (`lower::lanes`, `shared_block`).
#[test]
fn block_sums_over_shared_weights() {
    let expansion = expand(
        quote!(128, 128, 1, input = 64),
        quote!(
            pub struct Wide;
        ),
    );
    insta::assert_snapshot!("wide-hvp-blocks", method(&expansion, "hvp_blocks"));
}

/// The `jacobian_to` method of `#[mlp(args)]` (the body `jacobian` calls), formatted.
fn jacobian(args: TokenStream) -> String {
    method(&expand_net(args), "jacobian_to")
}

/// The method `name` of a formatted expansion, from its signature to its closing brace,
/// and its body's `impl` where it is written apart (`crate::bodies`).
fn method(expansion: &str, name: &str) -> String {
    let lines: Vec<&str> = expansion.lines().collect();
    // The lines from the first that starts with `start` to the closing brace at its indent.
    let block = |start: &str| {
        let first = lines
            .iter()
            .position(|line| line.trim_start().starts_with(start))?;
        let indent = &lines[first][..lines[first].len() - lines[first].trim_start().len()];
        let end = (first..lines.len())
            .find(|&i| lines[i] == format!("{indent}}}"))
            .expect("the block ends");
        Some(lines[first..=end].join("\n"))
    };
    let method = block(&format!("pub fn {name}(")).expect("the method is in the expansion");
    let body = format!("::{name}::Body {{");
    let apart = lines
        .iter()
        .map(|line| line.trim_start())
        .find(|line| line.starts_with("impl __mlp_") && line.ends_with(&body))
        .and_then(block);
    [Some(method), apart]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn generic_input() {
    let item = quote!(
        pub(crate) struct Generic;
    );
    insta::assert_snapshot!("generic", expand(quote!(3, 1, activation = softplus), item));
}

#[test]
fn custom_activation() {
    let item = quote!(
        struct Custom;
    );
    let args = quote!(2, 1, input = 2, activation = acts::Softsign, scalar = f32);
    insta::assert_snapshot!("custom", expand(args, item));
}

#[test]
fn seed_expansion() {
    let item = quote!(
        pub struct Seed;
    );
    insta::assert_snapshot!("seed", expand(quote!(20, 10, 1, input = 52), item));
}

/// With `crate = PATH`, generated code (and its docs' links) reaches the runtime through
/// `PATH` alone: nothing names `mlp`, which a crate that renamed or re-exported it lacks.
#[test]
fn crate_path_is_the_only_path() {
    for (args, path) in [
        (
            quote!(20, 10, 1, input = 52, crate = ::nn),
            "use ::nn::__private as _mlp;",
        ),
        (
            quote!(3, 2, unroll = all, crate = my_lib::mlp),
            "use my_lib::mlp::__private as _mlp;",
        ),
        (
            quote!(
                16,
                16,
                1,
                input = 3,
                activation = silu,
                inline = none,
                crate = crate::mlp
            ),
            "use crate::mlp::__private as _mlp;",
        ),
    ] {
        let out = expand_net(args.clone());
        assert_eq!(out.matches("__private").count(), 1, "for `{args}`");
        assert!(out.contains(path), "for `{args}`: {out}");
        let names_mlp = out.lines().find(|line| {
            let line = line.replace(path, "").replace("_mlp::", "");
            line.contains("::mlp") || line.contains("mlp::")
        });
        assert_eq!(names_mlp, None, "for `{args}`");
    }
    assert!(expand_net(quote!(4, 1, input = 2)).contains("use ::mlp::__private as _mlp;"));
}

#[test]
fn errors_keep_the_item() {
    let out = expand::mlp(
        quote!(0, 1, input = 2),
        quote!(
            pub struct Net;
        ),
    )
    .to_string();
    assert!(out.starts_with(":: core :: compile_error !"), "{out}");
    assert!(out.ends_with("pub struct Net ;"), "{out}");
}

/// A body realigns its frame (`_mlp::align_frame`) first thing where it keeps a computed
/// array, and only there: seven of the seed's bodies, single calls and a block kernel, and
/// a fully unrolled network's block kernel, but not its single call written out in
/// scalars.
#[test]
fn frames_aligned_where_arrays_are() {
    // The first statement of a method's body: its `run` where it is written apart.
    let first = |code: &str, name: &str| {
        let text = method(code, name);
        let lines: Vec<&str> = text.lines().collect();
        let header = lines
            .iter()
            .rposition(|line| line.trim_start().starts_with("fn run<"))
            .or_else(|| {
                let signature = format!("pub fn {name}(");
                lines.iter().position(|line| line.contains(&signature))
            })
            .expect("a body");
        let open = (header..lines.len())
            .find(|&i| lines[i].trim_end().ends_with('{'))
            .expect("its brace");
        lines[open + 1].trim().to_string()
    };
    let seed = expand_net(quote!(20, 10, 1, input = 52));
    let bodies = [
        "forward",
        "value_and_gradient",
        "jvp",
        "hvp",
        "laplacian",
        "hessian_to",
        "gradient_blocks",
    ];
    for name in bodies {
        assert_eq!(first(&seed, name), "_mlp::align_frame();", "{name}");
    }
    let tiny = expand_net(quote!(3, 1, input = 2, unroll = all));
    assert!(!method(&tiny, "value_and_gradient").contains("align_frame"));
    assert_eq!(first(&tiny, "gradient_blocks"), "_mlp::align_frame();");
}

/// A matrix's products by a layer's tangents go two directions at a time, the odd one out
/// with the layer's own product (`W2·a1`): the 3-64-64-64-1 network's `hessian_to` (the
/// Hessian written into the caller's matrix) reads `W2` and `W3` twice each for their eight
/// products (`_mlp::dot_rows_of_pair`), not once per product; with an even count of
/// directions, every direction in a pair and the layer's product alone.
#[test]
fn tangent_products_in_pairs() {
    // How many calls of `kernel` take matrix `w`.
    let calls = |code: &str, kernel: &str, w: &str| {
        code.split(&format!("_mlp::{kernel}"))
            .skip(1)
            .filter(|call| call.split(';').next().is_some_and(|c| c.contains(w)))
            .count()
    };
    let pinn = expand_net(quote!(64, 64, 64, 1, input = 3));
    let body = method(&pinn, "hessian_to");
    for w in ["&net.w2,", "&net.w3,"] {
        assert_eq!(calls(&body, "dot_rows_of_pair", w), 2, "{w}\n{body}");
        assert_eq!(calls(&body, "dot_rows_of(", w), 0, "{w}\n{body}");
    }
    let even = method(&expand_net(quote!(64, 64, 64, 1, input = 4)), "hessian_to");
    for w in ["&net.w2,", "&net.w3,"] {
        assert_eq!(calls(&even, "dot_rows_of_pair", w), 1, "{w}\n{even}");
        assert_eq!(calls(&even, "dot_rows_of(", w), 1, "{w}\n{even}");
    }
}

/// A Laplacian's layer reads its matrix once for three products: the 3-64-64-64-1
/// network's `laplacian` takes `W2·a1`, the last tangent `W2·ȧ1[2]` and `Σä2`'s
/// `W2·Σä1` (a sum among the other terms of `Σä2`, no longer a dot product per element)
/// from one `_mlp::dot_rows_of_three`, the other two tangents from one pair; and `W3`'s
/// likewise, with the statement `Σz̈3 = W3·Σä2`. So does `value_gradient_laplacian` on
/// x86-64, the same sweeps, its gradient off the first tangents; elsewhere it takes the
/// reverse sweep (`methods::value_gradient_laplacian`).
#[test]
fn three_products_from_one_read() {
    let pinn = expand_net(quote!(64, 64, 64, 1, input = 3));
    let together = method(&pinn, "value_gradient_laplacian");
    let bodies: Vec<&str> = together.split("let value_gradient_laplacian = {").collect();
    let [_, vector, scalar] = bodies[..] else {
        panic!("a body for each kind of target:\n{together}");
    };
    for (name, body) in [("laplacian", &*method(&pinn, "laplacian")), ("vgl", vector)] {
        let calls = |kernel: &str, w: &str| {
            body.split(&format!("_mlp::{kernel}"))
                .skip(1)
                .filter(|call| call.split(';').next().is_some_and(|c| c.contains(w)))
                .count()
        };
        for (w, sums) in [
            ("&net.w2,", "&a1_dot_dot_sum,"),
            ("&net.w3,", "&a2_dot_dot_sum,"),
        ] {
            assert_eq!(calls("dot_rows_of_three", w), 1, "{name} {w}\n{body}");
            assert_eq!(calls("dot_rows_of_three", sums), 1, "{name} {sums}\n{body}");
            assert_eq!(calls("dot_rows_of_pair", w), 1, "{name} {w}\n{body}");
            assert_eq!(calls("dot_rows_of(", w), 0, "{name} {w}\n{body}");
        }
        assert!(
            !body.contains("(net.w2[i][j], a1_dot_dot_sum[j])"),
            "{name}\n{body}"
        );
        assert!(!body.contains("axpys_of(&mut g, &net.w1"), "{name}\n{body}");
    }
    assert!(scalar.contains("axpys_of(&mut g, &net.w1"), "{scalar}");
}

/// A reverse sweep's two products by one matrix come from one read of it: the
/// 3-64-64-64-1 network's `hvp` takes `ā2 = W3ᵀ·δ3` (which `δ2` and `δ̇2` both read) and
/// `δ̇2`'s `W3ᵀ·δ̇3` from one `_mlp::axpys_of_two`, `δ̇3` computed before both; the 52-20-10-1
/// network, whose `δ2` and `δ̇2` are sums of the same statement, and whose `ā1` only `δ1`
/// reads, has none to pair.
#[test]
fn reverse_products_in_pairs() {
    let hvp = method(&expand_net(quote!(64, 64, 64, 1, input = 3)), "hvp");
    let pair = "let (a2_bar, acc_d2_dot) = _mlp::axpys_of_two(&net.w3, &d3, &d3_dot);";
    assert_eq!(hvp.matches(pair).count(), 1, "{hvp}");
    assert!(!hvp.contains("axpys_of(&mut acc, &net.w3"), "{hvp}");
    let (d3_dot, pair_at) = (hvp.find("d3_dot[h] =").unwrap(), hvp.find(pair).unwrap());
    assert!(d3_dot < pair_at, "{hvp}");
    let seed = method(&expand_net(quote!(20, 10, 1, input = 52)), "hvp");
    assert!(!seed.contains("axpys_of_two"), "{seed}");
}

/// The size of the expansion of a few architectures (run by `scripts/compile-times.sh`).
#[test]
#[ignore = "a measurement, printed for docs/compile-times.md"]
fn expansion_sizes() {
    let nets = [
        quote!(20, 10, 1, input = 52),
        quote!(128, 128, 1, input = 64),
        quote!(256, 128, 10, input = 784, activation = relu),
        quote!(256, 128, 1, input = 784),
    ];
    for args in nets {
        let code = expand_net(args.clone());
        println!(
            "{args}\t{} lines\t{} KiB",
            code.lines().count(),
            code.len() / 1024
        );
    }
}
