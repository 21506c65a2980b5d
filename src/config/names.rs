//! The closed sets of values a Config field can take, each with the exact names the URL hash
//! uses. Course pages hard-code these names, so they are part of the public contract.

use serde::{Deserialize, Serialize};

/// The input features: the engine's, which carry their URL names (`as_str`, `parse`),
/// TensorFlow Playground's hash keys (`hash_key`) and the input nodes' labels (`label`).
pub use np_engine::data::Feature;
use np_engine::data::Generator;

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
        /// The course's own four rows of three 0/1 inputs (section 3: y is the first column).
        Logistic = "logistic",
        /// Shipped (issue 14): scikit-learn's 8 x 8 handwritten digits, ten classes.
        Digits = "digits",
        /// Shipped: MNIST's 70,000 28 x 28 handwritten digits, ten classes.
        Mnist = "mnist",
        /// Shipped: the S&P 500's daily returns 2001-2005; will the market go up tomorrow?
        Returns = "returns",
        /// Shipped: 10,000 credit-card customers; who defaults?
        Credit = "credit",
        /// The student's own CSV file, kept in this browser (`crate::session::own`); its
        /// columns are the Config's `csv` choice.
        Own = "csv",
    }
}

impl Dataset {
    /// The engine's generator of this dataset (same name); `None` for a shipped one.
    pub fn generator(self) -> Option<Generator> {
        Some(match self {
            Dataset::Circle => Generator::Circle,
            Dataset::Xor => Generator::Xor,
            Dataset::Gauss => Generator::Gauss,
            Dataset::Spiral => Generator::Spiral,
            Dataset::Spiral3 => Generator::Spiral3,
            Dataset::Clouds3 => Generator::Clouds3,
            Dataset::Moons => Generator::Moons,
            Dataset::Rings => Generator::Rings,
            Dataset::RegPlane => Generator::RegPlane,
            Dataset::RegGauss => Generator::RegGauss,
            Dataset::Func1d => Generator::Func1d,
            Dataset::Line => Generator::Line,
            Dataset::Logistic => Generator::Logistic,
            Dataset::Digits
            | Dataset::Mnist
            | Dataset::Returns
            | Dataset::Credit
            | Dataset::Own => return None,
        })
    }

    /// Whether the site ships this dataset as a file (`data/<name>.npds`) that the page fetches
    /// when it is chosen, rather than generating it.
    pub fn is_shipped(self) -> bool {
        matches!(
            self,
            Dataset::Digits | Dataset::Mnist | Dataset::Returns | Dataset::Credit
        )
    }

    /// Whether the rows come from a file the host must read first (a shipped one or the
    /// student's own), rather than from a generator.
    pub fn is_read_from_file(self) -> bool {
        self.generator().is_none()
    }

    /// The shipped file's address, relative to the page.
    pub fn file(self) -> Option<String> {
        self.is_shipped()
            .then(|| format!("data/{}.npds", self.as_str()))
    }

    /// The number of network inputs of a data set that brings its own (not the plane's
    /// features): a shipped set's default columns (a category of two values as one input),
    /// known before its file arrives so the diagram can be drawn, or the course's table's three.
    pub fn fixed_inputs(self) -> Option<usize> {
        match self {
            Dataset::Logistic => Some(3),
            Dataset::Digits => Some(64),
            Dataset::Mnist => Some(784),
            // Lag1..Lag5 and Volume.
            Dataset::Returns => Some(6),
            // student (yes/no), balance, income.
            Dataset::Credit => Some(3),
            _ => None,
        }
    }

    /// Whether the inputs are points of the plane (or of a line), so the views drawn over the
    /// input plane apply: every generated set but the course's table. Shipped data has inputs
    /// of any width.
    pub fn is_planar(self) -> bool {
        self.generator().is_some_and(|g| g.inputs() <= 2)
    }

    /// Whether the generator produces real-valued targets.
    pub fn is_regression(self) -> bool {
        self.generator().is_some_and(Generator::is_regression)
    }

    /// Number of classes (1 for regression).
    pub fn classes(self) -> usize {
        match self {
            Dataset::Digits | Dataset::Mnist => 10,
            Dataset::Returns | Dataset::Credit => 2,
            // A guess until the file is read: the session's data then says (`Data::classes`).
            Dataset::Own => 2,
            _ => self.generator().map_or(1, |g| g.classes().max(1)),
        }
    }

    /// Whether the data has one input (x) rather than two.
    pub fn is_one_dimensional(self) -> bool {
        self.generator().is_some_and(|g| g.inputs() == 1)
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
            Dataset::Logistic => "The course's table",
            Dataset::Digits => "Digits 8×8",
            Dataset::Mnist => "MNIST digits",
            Dataset::Returns => "S&P 500 returns",
            Dataset::Credit => "Credit default",
            Dataset::Own => "Your CSV file",
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
    /// How the learning rate moves over the epochs (`np_engine::train::Schedule`).
    LrSchedule default Constant {
        Constant = "constant" | "none",
        /// Multiplied by `lrFactor` every `lrEvery` epochs.
        Step = "step",
        /// The same decay, smoothly: `lrFactor^(epoch / lrEvery)`.
        Exponential = "exponential" | "exp",
        /// Half a cosine over `lrEvery` epochs down to `lrFactor` of the rate.
        Cosine = "cosine",
    }
}

named_enum! {
    /// The validation metric early stopping watches, or none.
    EarlyStop default Off {
        Off = "off" | "none" | "false",
        Loss = "loss" | "val_loss",
        Accuracy = "accuracy" | "val_accuracy",
        Auc = "auc" | "val_auc",
    }
}

named_enum! {
    /// Training objective.
    Loss default Mse {
        Mse = "mse",
        /// The sum of squared errors over the points, not their mean: the course's cost in
        /// sections 2 and 5 (its learning rates are for this sum).
        SumSquares = "sse" | "sum-squares",
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
        /// Every weight `initWeight`, every bias `initBias` (Keras's `Constant`): a chosen
        /// start, such as the linear-regression lesson's w = -3, b = 3.
        Constant = "constant",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_is_the_engine_generator_of_its_name() {
        for &d in Dataset::ALL {
            match d.generator() {
                Some(g) => assert_eq!(g.name(), d.as_str()),
                // The student's own file has no address: the page keeps it.
                None if d == Dataset::Own => assert_eq!(d.file(), None),
                None => assert_eq!(d.file(), Some(format!("data/{d}.npds"))),
            }
            assert_eq!(
                d.is_read_from_file(),
                d.is_shipped() || d == Dataset::Own,
                "{d}"
            );
            assert!(!(d.is_planar() && d.is_shipped()), "{d}");
        }
        assert!(!Dataset::Logistic.is_planar() && !Dataset::Logistic.is_shipped());
        assert_eq!(
            Dataset::ALL.iter().filter(|d| d.is_shipped()).count(),
            4,
            "digits, mnist, returns, credit"
        );
        // Every generator is offered (the course's four rows too, now that inputs of any
        // width have views).
        let offered: Vec<Generator> = Dataset::ALL.iter().filter_map(|d| d.generator()).collect();
        for g in Generator::ALL {
            assert!(offered.contains(&g), "{}", g.name());
        }
        assert_eq!(Dataset::Spiral3.classes(), 3);
        assert_eq!(Dataset::RegGauss.classes(), 1);
        assert!(Dataset::Line.is_one_dimensional() && Dataset::Line.is_regression());
        assert!(!Dataset::Moons.is_one_dimensional() && !Dataset::Moons.is_regression());
    }
}
