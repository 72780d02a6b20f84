//! The validated architecture: what the rest of the pipeline builds from.

use proc_macro2::{Ident, Span};
use quote::ToTokens;
use syn::{Attribute, Path, Visibility};

/// A network, as the attribute and the struct describe it, every rule already checked.
pub struct Model {
    /// The user's attributes on the struct (docs, derives, …), kept.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name.
    pub ident: Ident,
    /// The input width.
    pub input: Input,
    /// The layers, hidden ones first, the output layer last.
    pub layers: Vec<Layer>,
    /// The scalar type.
    pub scalar: ScalarType,
    /// Which statements are emitted unrolled.
    pub unroll: Limit,
    /// Which methods' bodies are emitted in their methods, the others compiled apart.
    pub inline: Inline,
    /// The path generated code reaches the `mlp` crate by: `::mlp` unless the user's
    /// crate names it otherwise (a renamed dependency, a re-export).
    pub krate: Path,
}

impl Model {
    /// The output width.
    pub fn output(&self) -> usize {
        self.layers.last().map_or(0, |l| l.width)
    }
}

/// The input width.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// `input = 52`.
    Fixed(usize),
    /// No `input`: the struct is generic over its input width, named by this parameter.
    Generic(Ident),
}

/// One layer: `width` units, then `act` element-wise.
pub struct Layer {
    /// Number of units.
    pub width: usize,
    /// The activation applied to them.
    pub act: Act,
}

/// An activation: a built-in, or a user type implementing `mlp::Activation`.
#[derive(Clone)]
pub enum Act {
    /// A built-in, named in lower case.
    Builtin(Builtin),
    /// A path to a user type.
    Custom(Path),
}

impl std::fmt::Debug for Act {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl PartialEq for Act {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Act::Builtin(a), Act::Builtin(b)) => a == b,
            (Act::Custom(a), Act::Custom(b)) => {
                a.to_token_stream().to_string() == b.to_token_stream().to_string()
            }
            _ => false,
        }
    }
}

impl Act {
    /// Its name in the text form: `tanh`, or the last segment of a custom path.
    pub fn name(&self) -> String {
        match self {
            Act::Builtin(b) => b.name().to_owned(),
            Act::Custom(path) => path
                .segments
                .last()
                .map_or_else(|| "f".to_owned(), |s| s.ident.to_string()),
        }
    }

    /// Whether this is the identity.
    pub fn is_identity(&self) -> bool {
        matches!(self, Act::Builtin(Builtin::Identity))
    }
}

macro_rules! builtins {
    ($($variant:ident $name:literal $tex:literal,)*) => {
        /// The built-in activations.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Builtin {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl Builtin {
            /// Every built-in, in the order the messages list them.
            pub const ALL: &'static [Builtin] = &[$(Builtin::$variant),*];

            /// The name written in the attribute.
            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name,)* }
            }

            /// The runtime type implementing it.
            pub fn type_name(self) -> &'static str {
                match self { $(Builtin::$variant => stringify!($variant),)* }
            }

            /// How LaTeX writes it.
            pub fn tex(self) -> &'static str {
                match self { $(Builtin::$variant => $tex,)* }
            }

            /// The built-in written `name`, if any.
            pub fn from_name(name: &str) -> Option<Builtin> {
                match name { $($name => Some(Builtin::$variant),)* _ => None }
            }
        }
    };
}

builtins! {
    Identity "identity" r"\mathrm{id}",
    Tanh "tanh" r"\tanh",
    Sigmoid "sigmoid" r"\sigma",
    Relu "relu" r"\mathrm{relu}",
    LeakyRelu "leaky_relu" r"\mathrm{leaky\_relu}",
    Softplus "softplus" r"\mathrm{softplus}",
    Elu "elu" r"\mathrm{elu}",
    Silu "silu" r"\mathrm{silu}",
    Gelu "gelu" r"\mathrm{gelu}",
    Sin "sin" r"\sin",
}

impl Builtin {
    /// Whether `f^(order)` is the constant 0 (so the rules may drop it).
    pub fn vanishes(self, order: u8) -> bool {
        match self {
            Builtin::Identity => order >= 2,
            Builtin::Relu | Builtin::LeakyRelu => order >= 2,
            _ => false,
        }
    }

    /// Whether its runtime type has `f''` from `f` and `f'` (overrides
    /// `second_derivative_from`: `tanh'' = -2·tanh·tanh'`), so that a layer's value is worth
    /// computing for its second derivative alone ([`crate::passes::fuse`]).
    pub fn second_from_value_and_slope(self) -> bool {
        matches!(self, Builtin::Tanh)
    }
}

/// The scalar type a network computes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarType {
    /// `f32`.
    F32,
    /// `f64`, the default.
    F64,
}

impl ScalarType {
    /// The type as an identifier.
    pub fn ident(self) -> Ident {
        let name = match self {
            ScalarType::F32 => "f32",
            ScalarType::F64 => "f64",
        };
        Ident::new(name, Span::call_site())
    }
}

/// Which pieces of code a policy takes, by their floating-point operations: `unroll`'s
/// statements written out in full, as straight-line code (the others as vector loops along
/// memory, or dot products row by row); `inline`'s method bodies kept in their methods
/// (the others compiled apart: `crate::bodies`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Every one (for `unroll`, but for loops over a generic input width).
    All,
    /// None.
    None,
    /// Those of at most this many operations.
    UpTo(usize),
}

impl Limit {
    /// `unroll`'s default, chosen by measurement (BENCHMARKS.md): nothing written out in
    /// full. Straight-line sums are chains of dependent additions, and scalar activation
    /// calls do not vectorize; loops along memory and eight-lane dot products are faster at
    /// every size measured, and build in a fraction of the time.
    pub const UNROLL: Limit = Limit::None;

    /// Whether the policy takes a piece of `ops` operations.
    pub fn admits(self, ops: usize) -> bool {
        match self {
            Self::All => true,
            Self::None => false,
            Self::UpTo(limit) => ops <= limit,
        }
    }
}

/// Which method bodies stay in their methods (`inline`); the others are compiled apart
/// (`crate::bodies`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inline {
    /// `inline = all | none | N`: those the limit admits, on every target.
    Limit(Limit),
    /// `inline = auto`, the default: bodies of at most [`Inline::AUTO`] operations, a
    /// block kernel's counted for its block; the others apart, a method's of at most
    /// [`Inline::VECTOR`] `#[inline]` where the target has the vector kernels
    /// (`crate::bodies`). Without them, for the block kernels, and with them past
    /// [`Inline::VECTOR`], apart costs a loop no measurable time, and it shortens the
    /// build of a program calling many methods by a third.
    Auto,
}

impl Inline {
    /// `auto`'s limit. Apart on the default target, methods' bodies of 1,400–15,000
    /// operations called in a loop took 4–12 % longer, of 17,000 and more (the seed's
    /// Laplacians and Hessians) −3 to +3 %; the block kernels −24 to +3 %
    /// (docs/performance-log.md, "The thirty-fifth session").
    pub const AUTO: Limit = Limit::UpTo(16_000);

    /// `auto`'s limit for a method's body apart to be `#[inline]` where the target has the
    /// vector kernels, copied into its callers' units for LLVM to take in. Called apart
    /// instead, in a loop, the seed's `value_gradient_laplacian` (38,887 operations) took
    /// 20–27 % longer (18 % with frames aligned, the thirty-seventh session), a 12-32-32-6 network's `jacobian` (19,928) 6 %, a 3-64-64-64-1
    /// network's `hvp` (67,709) 3–4 %; bodies of 85,000 operations and more −4 to +5 %
    /// (the 3-64-64-64-1 network's `value_gradient_laplacian` +5 % at one alignment, 0 % at
    /// another; the seed's `hessian` −4 %), and the seed's Hessians are most of the build
    /// of a program calling its every method (docs/performance-log.md, "The thirty-sixth
    /// session").
    pub const VECTOR: Limit = Limit::UpTo(80_000);
}
