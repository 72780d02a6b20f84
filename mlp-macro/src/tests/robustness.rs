//! The macro never panics: arbitrary attribute tokens give errors or an item, and every
//! valid attribute expands to code that parses.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};

use crate::expand;

/// A small deterministic generator (SplitMix64), so that failures reproduce.
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
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: [&str; 16] = [
    "input",
    "activation",
    "output",
    "scalar",
    "unroll",
    "tanh",
    "relu",
    "f32",
    "f64",
    "all",
    "none",
    "Foo",
    "self",
    "crate",
    "inptu",
    "gelu",
];

/// A random token tree from the vocabulary attributes are made of.
fn token(rng: &mut Rng, depth: usize) -> TokenTree {
    let span = Span::call_site();
    match rng.below(if depth > 2 { 4 } else { 5 }) {
        0 => TokenTree::Ident(Ident::new(rng.pick(&WORDS), span)),
        1 => TokenTree::Literal(match rng.below(5) {
            0 => Literal::usize_unsuffixed(rng.below(40)),
            1 => Literal::u64_unsuffixed(rng.next()),
            2 => Literal::f64_unsuffixed(2.5),
            3 => Literal::string("tanh"),
            _ => Literal::usize_unsuffixed(1),
        }),
        2 | 3 => {
            let ch = [',', ',', '=', '=', '-', ':', ';', '#'][rng.below(8)];
            TokenTree::Punct(Punct::new(ch, Spacing::Alone))
        }
        _ => {
            let inner: TokenStream = (0..rng.below(4)).map(|_| token(rng, depth + 1)).collect();
            let delimiter =
                [Delimiter::Bracket, Delimiter::Parenthesis, Delimiter::Brace][rng.below(3)];
            TokenTree::Group(Group::new(delimiter, inner))
        }
    }
}

#[test]
fn arbitrary_tokens_never_panic() {
    let mut rng = Rng(7);
    for _ in 0..20_000 {
        let args: TokenStream = (0..rng.below(12)).map(|_| token(&mut rng, 0)).collect();
        let _ = expand::model(
            args,
            quote!(
                pub struct Net;
            ),
        );
    }
}

#[test]
fn valid_attributes_expand_to_code_that_parses() {
    let acts = [
        "identity",
        "tanh",
        "sigmoid",
        "relu",
        "leaky_relu",
        "softplus",
        "elu",
        "silu",
        "gelu",
        "sin",
        "my::Act",
    ];
    let mut rng = Rng(11);
    for _ in 0..300 {
        let depth = 1 + rng.below(4);
        let widths: Vec<TokenStream> = (0..depth)
            .map(|_| Literal::usize_unsuffixed(1 + rng.below(5)).into_token_stream())
            .collect();
        let mut args = quote!(#(#widths),*);
        if rng.below(3) > 0 {
            let input = Literal::usize_unsuffixed(1 + rng.below(6));
            args.extend(quote!(, input = #input));
        }
        if depth > 1 && rng.below(2) == 0 {
            let list: Vec<TokenStream> = (1..depth)
                .map(|_| rng.pick(&acts).parse().unwrap())
                .collect();
            args.extend(quote!(, activation = [#(#list),*]));
        }
        if rng.below(2) == 0 {
            let output: TokenStream = rng.pick(&acts).parse().unwrap();
            args.extend(quote!(, output = #output));
        }
        let scalar: TokenStream = rng.pick(&["f32", "f64"]).parse().unwrap();
        let unroll: TokenStream = rng
            .pick(&["all", "none", "0", "20", "4096"])
            .parse()
            .unwrap();
        args.extend(quote!(, scalar = #scalar, unroll = #unroll));
        if rng.below(2) == 0 {
            let path: TokenStream = rng
                .pick(&["::mlp", "nn", "my_lib::mlp", "crate::mlp", "self::mlp"])
                .parse()
                .unwrap();
            args.extend(quote!(, crate = #path));
        }
        let tokens = expand::mlp(
            args.clone(),
            quote!(
                pub struct Net;
            ),
        );
        let text = tokens.to_string();
        assert!(
            !text.contains("compile_error"),
            "`{args}` was refused: {text}"
        );
        if let Err(error) = syn::parse2::<syn::File>(tokens) {
            panic!("`{args}` expands to code that does not parse: {error}");
        }
    }
}

#[test]
fn arbitrary_items_never_panic() {
    let mut rng = Rng(13);
    let prefixes = [
        quote!(pub struct),
        quote!(struct),
        quote!(enum),
        quote!(fn),
        quote!(),
    ];
    for _ in 0..5_000 {
        let prefix = prefixes[rng.below(prefixes.len())].clone();
        let body: TokenStream = (0..rng.below(6)).map(|_| token(&mut rng, 0)).collect();
        let item = quote!(#prefix Net #body);
        let out = expand::mlp(quote!(3, 1, input = 2), item.clone());
        // Whatever the item, the output is the item back with errors, or an expansion.
        assert!(!out.is_empty(), "nothing for `{item}`");
    }
}
