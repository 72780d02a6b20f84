//! The attribute's arguments: `#[mlp(20, 10, 1, input = 52, activation = tanh)]`.
//!
//! A hand-written loop over the comma-separated arguments, so that every mistake gets its
//! own message under its own token and all of them are reported together. Rules between
//! arguments (the number of activations, say) are [`crate::check`]'s.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Lit, LitInt, Path, Token};

use crate::errors::Errors;
use crate::model::{Act, Builtin, Inline, Limit, ScalarType};
use crate::suggest::closest;

/// The arguments as written, each value already checked on its own.
#[derive(Default)]
pub struct Args {
    /// The layer widths, in order, with their tokens.
    pub widths: Vec<(usize, LitInt)>,
    /// `input = N`.
    pub input: Option<usize>,
    /// `activation = NAME` or `activation = [NAME, …]`.
    pub activation: Option<Activations>,
    /// `output = NAME`.
    pub output: Option<Act>,
    /// `scalar = f32 | f64`.
    pub scalar: Option<ScalarType>,
    /// `unroll = all | none | N`.
    pub unroll: Option<Limit>,
    /// `inline = auto | all | none | N`.
    pub inline: Option<Inline>,
    /// `crate = PATH`: where generated code finds the `mlp` crate.
    pub krate: Option<Path>,
}

/// The value of `activation`.
pub enum Activations {
    /// One activation for every hidden layer.
    One(Act, Span),
    /// One per hidden layer; the span covers the brackets.
    List(Vec<Act>, Span),
}

const KEYS: [&str; 7] = [
    "input",
    "activation",
    "output",
    "scalar",
    "unroll",
    "inline",
    "crate",
];

/// Parses the attribute's tokens; every error is collected before any is returned.
pub fn parse(tokens: TokenStream) -> syn::Result<Args> {
    let mut parser = Parser::default();
    let mut chunk = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(p) if p.as_char() == ',' => {
                if chunk.is_empty() {
                    parser
                        .errors
                        .at(&p, "expected a layer width or `key = value` before `,`");
                }
                parser.arg(&std::mem::take(&mut chunk));
            }
            token => chunk.push(token),
        }
        if tokens.peek().is_none() && !chunk.is_empty() {
            parser.arg(&std::mem::take(&mut chunk));
        }
    }
    parser.errors.finish(parser.args)
}

#[derive(Default)]
struct Parser {
    args: Args,
    errors: Errors,
    /// The key of the first `key = value`, after which no width may come.
    first_option: Option<String>,
    /// The keys seen so far.
    seen: Vec<String>,
}

impl Parser {
    fn arg(&mut self, chunk: &[TokenTree]) {
        match chunk {
            [] => {}
            [TokenTree::Ident(key), TokenTree::Punct(eq), value @ ..] if eq.as_char() == '=' => {
                self.option(key, value);
            }
            [TokenTree::Literal(_)] => self.width(&chunk[0]),
            [TokenTree::Literal(lit), next, ..] => {
                self.errors
                    .at(next, format!("expected `,` after `{lit}`, found `{next}`"));
            }
            [TokenTree::Punct(minus), TokenTree::Literal(lit)] if minus.as_char() == '-' => {
                self.errors.at(
                    tokens(chunk),
                    format!("layer width must be a positive integer, found `-{lit}`"),
                );
            }
            [TokenTree::Ident(key), rest @ ..] if KEYS.contains(&key.to_string().as_str()) => {
                match rest.first() {
                    None => self.errors.at(key, format!("expected `{key} = <value>`")),
                    Some(next) => self
                        .errors
                        .at(next, format!("expected `=` after `{key}`, found `{next}`")),
                }
            }
            _ => self.errors.at(
                tokens(chunk),
                format!(
                    "expected a layer width or `key = value`, found `{}`",
                    tokens(chunk)
                ),
            ),
        }
    }

    fn width(&mut self, token: &TokenTree) {
        let Some(value) = self.positive(token, "layer width") else {
            return;
        };
        if let Some(option) = &self.first_option {
            self.errors.at(
                token,
                format!("layer widths come before the `key = value` options; move `{token}` before `{option}`"),
            );
            return;
        }
        if let Ok(lit) = syn::parse2::<LitInt>(token.to_token_stream()) {
            self.args.widths.push((value, lit));
        }
    }

    /// The positive integer literal `token` is, else an error saying what `what` must be.
    fn positive(&mut self, token: &TokenTree, what: &str) -> Option<usize> {
        let found = token.to_string();
        match syn::parse2::<Lit>(token.to_token_stream()) {
            Ok(Lit::Int(int)) => match int.base10_parse::<usize>() {
                Ok(0) => self
                    .errors
                    .at(token, format!("{what} must be at least 1, found `0`")),
                Ok(value) => return Some(value),
                Err(_) => self
                    .errors
                    .at(token, format!("{what} `{found}` does not fit in `usize`")),
            },
            _ => self.errors.at(
                token,
                format!("{what} must be a positive integer, found `{found}`"),
            ),
        }
        None
    }

    fn option(&mut self, key: &proc_macro2::Ident, value: &[TokenTree]) {
        let name = key.to_string();
        self.first_option.get_or_insert_with(|| name.clone());
        if !KEYS.contains(&name.as_str()) {
            let hint = match closest(&name, KEYS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "expected `input`, `activation`, `output`, `scalar`, `unroll`, `inline` \
                         or `crate`"
                    .into(),
            };
            self.errors
                .at(key, format!("unknown argument `{name}`; {hint}"));
            return;
        }
        if self.seen.contains(&name) {
            self.errors.at(key, format!("duplicate `{name}` argument"));
            return;
        }
        self.seen.push(name.clone());
        let Some(first) = value.first() else {
            let shape = match name.as_str() {
                "input" => "<integer>",
                "activation" => "<activation>` or `activation = [<activation>, …]",
                "output" => "<activation>",
                "scalar" => "f32` or `scalar = f64",
                "unroll" => "all`, `unroll = none` or `unroll = <integer>",
                "inline" => "auto`, `inline = all`, `inline = none` or `inline = <integer>",
                _ => "<path>",
            };
            self.errors.at(
                key,
                format!("expected `{name} = {shape}`, found `{name} =` with no value"),
            );
            return;
        };
        match name.as_str() {
            "input" => {
                if let [TokenTree::Punct(minus), lit] = value
                    && minus.as_char() == '-'
                {
                    self.errors.at(
                        tokens(value),
                        format!("`input` must be a positive integer, found `-{lit}`"),
                    );
                    return;
                }
                if let Some(extra) = value.get(1) {
                    self.errors.at(
                        extra,
                        format!("expected `,` after `input = {first}`, found `{extra}`"),
                    );
                    return;
                }
                self.args.input = self.positive(first, "`input`");
            }
            "activation" => self.args.activation = self.activations(value),
            "output" => {
                if is_list(first) {
                    self.errors.at(
                        first,
                        "`output` takes one activation, found a list; \
                         lists are for `activation`, one per hidden layer",
                    );
                } else {
                    self.args.output = self.act(value).map(|(act, _)| act);
                }
            }
            "scalar" => self.args.scalar = self.scalar(value),
            "unroll" => self.args.unroll = self.limit(&name, value),
            "inline" => {
                self.args.inline = match value {
                    [TokenTree::Ident(policy)] if policy == "auto" => Some(Inline::Auto),
                    _ => self.limit(&name, value).map(Inline::Limit),
                }
            }
            _ => self.args.krate = self.krate(value),
        }
    }

    /// The value of `crate`: a path without generic arguments, as in a `use`.
    fn krate(&mut self, value: &[TokenTree]) -> Option<Path> {
        if let Ok(path) = syn::parse::Parser::parse2(Path::parse_mod_style, tokens(value)) {
            return Some(path);
        }
        // `crate = "nn"`, as serde and tokio spell it.
        let unquoted = match value {
            [TokenTree::Literal(lit)] => match syn::parse2::<Lit>(lit.to_token_stream()) {
                Ok(Lit::Str(string)) => string.parse_with(Path::parse_mod_style).ok(),
                _ => None,
            },
            _ => None,
        };
        let message = match unquoted {
            Some(path) => format!(
                "expected a path without quotes, `crate = {}`, found `crate = {}`",
                path.to_token_stream().to_string().replace(' ', ""),
                tokens(value)
            ),
            None => format!(
                "expected `crate = <path>` (the `mlp` crate as this crate can name it: \
                 `::nn`, `my_lib::mlp`), found `crate = {}`",
                tokens(value)
            ),
        };
        self.errors.at(tokens(value), message);
        None
    }

    fn activations(&mut self, value: &[TokenTree]) -> Option<Activations> {
        match value {
            [TokenTree::Group(group)] if group.delimiter() == Delimiter::Bracket => {
                let list = syn::parse::Parser::parse2(
                    Punctuated::<Path, Token![,]>::parse_terminated,
                    group.stream(),
                );
                let list = match list {
                    Ok(list) => list,
                    Err(error) => {
                        self.errors.push(error);
                        return None;
                    }
                };
                let acts: Vec<Act> = list.iter().filter_map(|p| self.resolve(p)).collect();
                (acts.len() == list.len()).then(|| Activations::List(acts, group.span()))
            }
            _ => self
                .act(value)
                .map(|(act, span)| Activations::One(act, span)),
        }
    }

    fn act(&mut self, value: &[TokenTree]) -> Option<(Act, Span)> {
        match syn::parse2::<Path>(tokens(value)) {
            Ok(path) => {
                let span = path
                    .segments
                    .first()
                    .map_or(Span::call_site(), |s| s.ident.span());
                self.resolve(&path).map(|act| (act, span))
            }
            Err(_) => {
                self.errors.at(
                    tokens(value),
                    format!(
                        "expected an activation (a built-in name or a path to a type), found `{}`",
                        tokens(value)
                    ),
                );
                None
            }
        }
    }

    /// A lower-case single name is a built-in; anything else is a path to a user type.
    fn resolve(&mut self, path: &Path) -> Option<Act> {
        let single = path.get_ident().filter(|_| path.leading_colon.is_none());
        let Some(ident) = single else {
            return Some(Act::Custom(path.clone()));
        };
        let name = ident.to_string();
        if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Some(Act::Custom(path.clone()));
        }
        if let Some(builtin) = Builtin::from_name(&name) {
            return Some(Act::Builtin(builtin));
        }
        let names: Vec<&str> = Builtin::ALL.iter().map(|b| b.name()).collect();
        let hint = closest(&name, names.iter().copied())
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        self.errors.at(
            ident,
            format!(
                "unknown activation `{name}`; {hint}built-ins are {}; \
                 a custom activation is a path to a type implementing `mlp::Activation`",
                names.join(", ")
            ),
        );
        None
    }

    fn scalar(&mut self, value: &[TokenTree]) -> Option<ScalarType> {
        match value {
            [TokenTree::Ident(ty)] if ty == "f64" => Some(ScalarType::F64),
            [TokenTree::Ident(ty)] if ty == "f32" => Some(ScalarType::F32),
            _ => {
                self.errors.at(
                    tokens(value),
                    format!(
                        "unsupported scalar type `{}`; expected `f32` or `f64`",
                        tokens(value)
                    ),
                );
                None
            }
        }
    }

    /// The value of `unroll` or `inline` (`key`).
    fn limit(&mut self, key: &str, value: &[TokenTree]) -> Option<Limit> {
        match value {
            [TokenTree::Ident(policy)] if policy == "all" => Some(Limit::All),
            [TokenTree::Ident(policy)] if policy == "none" => Some(Limit::None),
            [TokenTree::Literal(lit)] => match syn::parse2::<LitInt>(lit.to_token_stream()) {
                Ok(int) => match int.base10_parse::<usize>() {
                    Ok(limit) => Some(Limit::UpTo(limit)),
                    Err(_) => {
                        self.errors.at(
                            lit,
                            format!("`{key}` limit `{lit}` does not fit in `usize`"),
                        );
                        None
                    }
                },
                Err(_) => self.limit_error(key, value),
            },
            _ => self.limit_error(key, value),
        }
    }

    fn limit_error(&mut self, key: &str, value: &[TokenTree]) -> Option<Limit> {
        let (auto, what) = match key {
            "unroll" => ("", "a statement may have to be unrolled"),
            _ => (
                "`inline = auto`, ",
                "a method's body may have to stay in the method",
            ),
        };
        self.errors.at(
            tokens(value),
            format!(
                "expected {auto}`{key} = all`, `{key} = none` or `{key} = <integer>` \
                 (the most floating-point operations {what}), found `{key} = {}`",
                tokens(value)
            ),
        );
        None
    }
}

fn is_list(token: &TokenTree) -> bool {
    matches!(token, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket)
}

fn tokens(chunk: &[TokenTree]) -> TokenStream {
    chunk.iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;

    use super::{Activations, parse};
    use crate::model::{Act, Builtin, Inline, Limit, ScalarType};

    fn messages(tokens: TokenStream) -> Vec<String> {
        match parse(tokens) {
            Ok(_) => Vec::new(),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn every_argument() {
        let args = parse(quote!(
            20,
            10,
            1,
            input = 52,
            activation = [tanh, my::Act],
            output = sigmoid,
            scalar = f32,
            unroll = 100,
            inline = 2000,
            crate = ::my_lib::mlp,
        ))
        .unwrap();
        let widths: Vec<usize> = args.widths.iter().map(|w| w.0).collect();
        assert_eq!(widths, [20, 10, 1]);
        assert_eq!(args.input, Some(52));
        let Some(Activations::List(acts, _)) = &args.activation else {
            panic!("a list");
        };
        assert_eq!(acts[0], Act::Builtin(Builtin::Tanh));
        assert!(matches!(&acts[1], Act::Custom(path) if path.segments.len() == 2));
        assert_eq!(args.output, Some(Act::Builtin(Builtin::Sigmoid)));
        assert_eq!(args.scalar, Some(ScalarType::F32));
        assert_eq!(args.unroll, Some(Limit::UpTo(100)));
        assert_eq!(args.inline, Some(Inline::Limit(Limit::UpTo(2000))));
        let krate = args.krate.expect("a path");
        assert_eq!(krate, syn::parse_quote!(::my_lib::mlp));
        let args = parse(quote!(1, unroll = none, activation = Cube, inline = none)).unwrap();
        assert_eq!(args.unroll, Some(Limit::None));
        assert_eq!(args.inline, Some(Inline::Limit(Limit::None)));
        assert!(matches!(
            args.activation,
            Some(Activations::One(Act::Custom(_), _))
        ));
        let args = parse(quote!(1, inline = auto)).unwrap();
        assert_eq!(args.inline, Some(Inline::Auto));
        assert_eq!(parse(quote!(1)).unwrap().inline, None);
        let args = parse(quote!(1, crate = crate::reexports::mlp)).unwrap();
        assert_eq!(args.krate, Some(syn::parse_quote!(crate::reexports::mlp)));
        assert_eq!(parse(quote!(1)).unwrap().krate, None);
    }

    /// One mistake per line: the tokens, and the message.
    #[test]
    fn mistakes() {
        let cases = [
            (quote!(20, 0), "layer width must be at least 1, found `0`"),
            (
                quote!(2.5, 1),
                "layer width must be a positive integer, found `2.5`",
            ),
            (
                quote!("20", 1),
                "layer width must be a positive integer, found `\"20\"`",
            ),
            (
                quote!(99999999999999999999999, 1),
                "layer width `99999999999999999999999` does not fit in `usize`",
            ),
            (
                quote!(20, , 1),
                "expected a layer width or `key = value` before `,`",
            ),
            (quote!(20, input), "expected `input = <value>`"),
            (
                quote!(20, input: 3),
                "expected `=` after `input`, found `:`",
            ),
            (
                quote!(20, input =),
                "expected `input = <integer>`, found `input =` with no value",
            ),
            (
                quote!(20, input = -3),
                "`input` must be a positive integer, found `-3`",
            ),
            (
                quote!(20, input = 0),
                "`input` must be at least 1, found `0`",
            ),
            (
                quote!(20, input = 3 4),
                "expected `,` after `input = 3`, found `4`",
            ),
            (
                quote!(20, width = 3),
                "unknown argument `width`; expected `input`, `activation`, `output`, `scalar`, `unroll`, `inline` or `crate`",
            ),
            (
                quote!(20, outptu = tanh),
                "unknown argument `outptu`; did you mean `output`?",
            ),
            (
                quote!(20, scalar = f32, scalar = f64),
                "duplicate `scalar` argument",
            ),
            (
                quote!(20, inlined = none),
                "unknown argument `inlined`; did you mean `inline`?",
            ),
            (
                quote!(20, inline =),
                "expected `inline = auto`, `inline = all`, `inline = none` or `inline = <integer>`, found `inline =` with no value",
            ),
            (
                quote!(20, inline = 99999999999999999999999),
                "`inline` limit `99999999999999999999999` does not fit in `usize`",
            ),
            (
                quote!(20, scalar = "f32"),
                "unsupported scalar type `\"f32\"`; expected `f32` or `f64`",
            ),
            (
                quote!(20, output = [tanh]),
                "`output` takes one activation, found a list; lists are for `activation`, one per hidden layer",
            ),
            (
                quote!(20, activation = 3),
                "expected an activation (a built-in name or a path to a type), found `3`",
            ),
            (
                quote!(20, crate =),
                "expected `crate = <path>`, found `crate =` with no value",
            ),
            (
                quote!(20, crate = "nn"),
                "expected a path without quotes, `crate = nn`, found `crate = \"nn\"`",
            ),
            (
                quote!(20, crate = "::my_lib::mlp"),
                "expected a path without quotes, `crate = ::my_lib::mlp`, found `crate = \"::my_lib::mlp\"`",
            ),
            (
                quote!(20, crate = nn::<f64>),
                "expected `crate = <path>` (the `mlp` crate as this crate can name it: `::nn`, \
                 `my_lib::mlp`), found `crate = nn :: < f64 >`",
            ),
            (
                quote!(20, crate = 3),
                "expected `crate = <path>` (the `mlp` crate as this crate can name it: `::nn`, \
                 `my_lib::mlp`), found `crate = 3`",
            ),
            (
                quote!(20, { x }),
                "expected a layer width or `key = value`, found `{ x }`",
            ),
        ];
        for (tokens, want) in cases {
            let got = messages(tokens.clone());
            assert_eq!(got, [want], "for `{tokens}`");
        }
        let unroll = messages(quote!(1, unroll = maybe));
        assert!(
            unroll[0]
                .starts_with("expected `unroll = all`, `unroll = none` or `unroll = <integer>`")
        );
        let inline = messages(quote!(1, inline = always));
        assert_eq!(
            inline,
            [
                "expected `inline = auto`, `inline = all`, `inline = none` or `inline = \
                 <integer>` (the most floating-point operations a method's body may have to stay in the method), \
                 found `inline = always`"
            ]
        );
    }

    #[test]
    fn all_mistakes_at_once() {
        let got = messages(quote!(0, 1, inptu = 3, activation = relu6, scalar = f16));
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got[2].starts_with("unknown activation `relu6`; did you mean `relu`?"));
    }
}
