//! The closed sets of values a Config field can take, each with the exact names the URL hash
//! uses. Course pages hard-code these names, so they are part of the public contract.

use serde::{Deserialize, Serialize};

/// Declares an enum whose variants each have one canonical hash name (plus optional aliases
/// accepted when parsing), and the helpers every such enum needs.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $name:ident default $default:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl Default for $name {
            fn default() -> Self {
                Self::$default
            }
        }

        impl $name {
            /// Every value, in the order the UI lists them.
            pub const ALL: &'static [$name] = &[$( $name::$variant ),+];

            /// The name used in the URL hash and in `data-testid`s.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            /// Parses a hash value; case-insensitive, aliases accepted.
            // Generated for every named enum; a few are never read from text.
            #[allow(dead_code)]
            pub fn parse(text: &str) -> Option<Self> {
                let lower = text.trim().to_ascii_lowercase();
                $(
                    if lower == $text $(|| lower == $alias)* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// The accepted names, for notices ("expected one of …").
            #[allow(dead_code)]
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum! {
    /// What the network predicts: a class (colour) or a number (height of a surface).
    Problem default Classification {
        Classification = "classification",
        Regression = "regression",
    }
}

named_enum! {
    /// Every dataset generator. TensorFlow Playground's six keep their names; the course's six
    /// use the names the course pages hard-code.
    Dataset default Circle {
        /// Two classes: a disc inside a ring.
        Circle = "circle",
        /// Two classes by quadrant sign.
        Xor = "xor",
        /// Two Gaussian blobs.
        Gauss = "gauss",
        /// Two interleaved spirals.
        Spiral = "spiral",
        /// Three interleaved spiral arms (course section 6).
        Spiral3 = "spiral3",
        /// Three overlapping Gaussian clouds (course section 6).
        Clouds3 = "clouds3",
        /// Two moons.
        Moons = "moons",
        /// Two concentric circles (make_circles).
        Rings = "rings",
        /// Regression: a tilted plane.
        RegPlane = "reg-plane",
        /// Regression: a sum of Gaussian bumps.
        RegGauss = "reg-gauss",
        /// Regression in one input: the universal-approximation target (course section 5).
        Func1d = "func1d",
        /// Regression in one input: y = 0.2 x + 1 + noise (course section 2).
        Line = "line",
    }
}

impl Dataset {
    /// Whether the generator produces real-valued targets.
    pub fn is_regression(self) -> bool {
        matches!(
            self,
            Dataset::RegPlane | Dataset::RegGauss | Dataset::Func1d | Dataset::Line
        )
    }

    /// Number of classes (1 for regression).
    pub fn classes(self) -> usize {
        match self {
            Dataset::Spiral3 | Dataset::Clouds3 => 3,
            d if d.is_regression() => 1,
            _ => 2,
        }
    }

    /// Whether the data has one input (x) rather than two.
    pub fn is_one_dimensional(self) -> bool {
        matches!(self, Dataset::Func1d | Dataset::Line)
    }

    /// A short label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Dataset::Circle => "Circle",
            Dataset::Xor => "XOR",
            Dataset::Gauss => "Gaussian",
            Dataset::Spiral => "Spiral",
            Dataset::Spiral3 => "3-class spiral",
            Dataset::Clouds3 => "3 Gaussian clouds",
            Dataset::Moons => "Two moons",
            Dataset::Rings => "Concentric circles",
            Dataset::RegPlane => "Plane",
            Dataset::RegGauss => "Multi-Gaussian",
            Dataset::Func1d => "1-D function",
            Dataset::Line => "Line",
        }
    }
}

named_enum! {
    /// Hidden-layer nonlinearity.
    Activation default Tanh {
        Relu = "relu",
        Tanh = "tanh",
        Sigmoid = "sigmoid",
        Linear = "linear",
        LeakyRelu = "leakyrelu" | "leaky-relu" | "leaky_relu",
        Elu = "elu",
        /// McCulloch-Pitts: 1 above zero, else 0. Its gradient is zero, so the layers before it
        /// never learn: the reason smooth activations replaced it.
        Step = "step",
    }
}

named_enum! {
    /// Weight penalty added to the loss.
    Regularization default None {
        None = "none",
        L1 = "l1",
        L2 = "l2",
    }
}

impl Regularization {
    /// TensorFlow Playground writes `L1` and `L2` in capitals; keep its spelling in the hash.
    pub fn hash_name(self) -> &'static str {
        match self {
            Regularization::None => "none",
            Regularization::L1 => "L1",
            Regularization::L2 => "L2",
        }
    }
}

named_enum! {
    /// Parameter update rule.
    Optimizer default Sgd {
        Sgd = "sgd",
        Momentum = "momentum",
        Nesterov = "nesterov",
        Adagrad = "adagrad",
        Rmsprop = "rmsprop",
        Adam = "adam",
    }
}

named_enum! {
    /// Training objective.
    Loss default Mse {
        Mse = "mse",
        CrossEntropy = "crossentropy" | "cross-entropy",
    }
}

named_enum! {
    /// Initial weights.
    Init default Tfp {
        /// TensorFlow Playground's: uniform in [-0.5, 0.5], biases 0.1.
        Tfp = "tfp",
        /// Glorot/Xavier, for sigmoid and tanh.
        Glorot = "glorot" | "xavier",
        /// He, for ReLU.
        He = "he",
        /// Normal times 0.01 (course section 6's make_classification network).
        Small = "small",
        /// N(0, 1) whatever the layer's size: the naive start the course warns about.
        Normal = "normal",
        /// LeCun: normal with std 1/sqrt(fan-in), the course's table for sigmoid layers.
        Lecun = "lecun",
        /// All zeros (TensorFlow Playground's initZero).
        Zeros = "zeros" | "zero",
    }
}

named_enum! {
    /// The output layer of a two-class problem: TensorFlow Playground's single sigmoid unit
    /// (p of class 1), or two softmax units as in the course's 2-3-2 circles network.
    TwoClassOutput default Sigmoid {
        Sigmoid = "sigmoid",
        Softmax = "softmax",
    }
}

named_enum! {
    /// Which compute backend trains the network.
    BackendChoice default Auto {
        /// WebGPU when the probe finds an adapter, else CPU.
        Auto = "auto",
        Cpu = "cpu",
        Webgpu = "webgpu",
    }
}

named_enum! {
    /// The input features offered as clickable input nodes.
    Feature default X {
        X = "x",
        Y = "y",
        XSquared = "xsquared",
        YSquared = "ysquared",
        XTimesY = "xtimesy",
        SinX = "sinx",
        SinY = "siny",
        CosX = "cosx",
        CosY = "cosy",
    }
}

impl Feature {
    /// The key TensorFlow Playground uses in its hash.
    pub fn hash_key(self) -> &'static str {
        match self {
            Feature::X => "x",
            Feature::Y => "y",
            Feature::XSquared => "xSquared",
            Feature::YSquared => "ySquared",
            Feature::XTimesY => "xTimesY",
            Feature::SinX => "sinX",
            Feature::SinY => "sinY",
            Feature::CosX => "cosX",
            Feature::CosY => "cosY",
        }
    }

    /// The label drawn on the input node.
    pub fn label(self) -> &'static str {
        match self {
            Feature::X => "X1",
            Feature::Y => "X2",
            Feature::XSquared => "X1²",
            Feature::YSquared => "X2²",
            Feature::XTimesY => "X1X2",
            Feature::SinX => "sin(X1)",
            Feature::SinY => "sin(X2)",
            Feature::CosX => "cos(X1)",
            Feature::CosY => "cos(X2)",
        }
    }

    /// Evaluates the feature at one input point, so thumbnails need no engine call.
    pub fn eval(self, x: f64, y: f64) -> f64 {
        match self {
            Feature::X => x,
            Feature::Y => y,
            Feature::XSquared => x * x,
            Feature::YSquared => y * y,
            Feature::XTimesY => x * y,
            Feature::SinX => x.sin(),
            Feature::SinY => y.sin(),
            Feature::CosX => x.cos(),
            Feature::CosY => y.cos(),
        }
    }
}
