//! The URL-hash text form of a [`Config`]: `key=value` pairs joined by `&`, with TensorFlow
//! Playground's keys and meanings plus ours. Parsing never fails: every unusable value falls back
//! to its default and yields a [`Notice`] saying which key, what was wrong and what was used.

use super::{
    Activation, BackendChoice, Config, Dataset, Feature, Init, Loss, Notice, Optimizer, Problem,
    Regularization, TwoClassOutput, MAX_BATCH, MAX_LAYERS, MAX_NEURONS,
};

/// Controls a lesson may hide with `<name>_hide=true`: TensorFlow Playground's names first, then
/// ours.
pub const HIDEABLE: &[&str] = &[
    "showTestData",
    "discretize",
    "playButton",
    "stepButton",
    "resetButton",
    "learningRate",
    "activation",
    "regularization",
    "regularizationRate",
    "problem",
    "dataset",
    "percTrainData",
    "noise",
    "batchSize",
    "numHiddenLayers",
    "optimizer",
    "momentum",
    "loss",
    "init",
    "dropout",
    "percValData",
    "samples",
    "backend",
    "speed",
];

/// TensorFlow Playground keys we accept and deliberately ignore (they only affect its own
/// internals).
const IGNORED: &[&str] = &["collectStats", "tutorial"];

/// Largest sample count offered; beyond it a CPU epoch no longer fits a frame.
pub const MAX_SAMPLES: u32 = 5000;
/// Smallest sample count offered.
pub const MIN_SAMPLES: u32 = 20;

/// Parses a URL hash (with or without the leading `#`; a whole URL is accepted too). Keys may come
/// in any order; later duplicates win.
pub fn parse(text: &str) -> (Config, Vec<Notice>) {
    let mut p = Parser {
        config: Config::default(),
        notices: Vec::new(),
        ..Parser::default()
    };
    let body = match text.find('#') {
        Some(i) => &text[i + 1..],
        None => text,
    };
    for pair in body.split('&').filter(|s| !s.trim().is_empty()) {
        let (key, value) = match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => {
                let key = decode(pair);
                p.notices.push(Notice::new(
                    key.clone(),
                    format!("`{key}` has no value; ignored"),
                ));
                continue;
            }
        };
        p.pair(key.trim(), value.trim());
    }
    p.finish()
}

/// Prints a Config as a hash body (without `#`). TensorFlow Playground's keys come first, in its
/// order, so its own parser reads the experiment back; ours follow.
pub fn print(c: &Config) -> String {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: String| out.push((k.to_string(), v));
    put("activation", c.activation.to_string());
    put("batchSize", c.batch_size.to_string());
    put("dataset", c.dataset.to_string());
    put("regDataset", c.reg_dataset.to_string());
    put("learningRate", c.learning_rate.to_string());
    put("regularization", c.regularization.hash_name().to_string());
    put("regularizationRate", c.regularization_rate.to_string());
    put("noise", c.noise.to_string());
    put("networkShape", join(c.network_shape.iter()));
    put("seed", c.seed.clone());
    put("showTestData", c.show_test_data.to_string());
    put("discretize", c.discretize.to_string());
    put("percTrainData", c.perc_train_data.to_string());
    for f in [
        Feature::X,
        Feature::Y,
        Feature::XTimesY,
        Feature::XSquared,
        Feature::YSquared,
        Feature::CosX,
        Feature::SinX,
        Feature::CosY,
        Feature::SinY,
    ] {
        put(f.hash_key(), c.features.contains(&f).to_string());
    }
    put("problem", c.problem.to_string());
    put("initZero", (c.init == Init::Zeros).to_string());
    put("hideText", c.hide_text.to_string());
    put("optimizer", c.optimizer.to_string());
    put("momentum", c.momentum.to_string());
    if let Some(loss) = c.loss {
        put("loss", loss.to_string());
    }
    if !c.activations.is_empty() {
        put("activations", join(c.activations.iter()));
    }
    put("init", c.init.to_string());
    if !c.inits.is_empty() {
        put("inits", join(c.inits.iter()));
    }
    put("twoClassOutput", c.two_class_output.to_string());
    put("dropout", c.dropout.to_string());
    put("percValData", c.perc_val_data.to_string());
    if let Some(n) = c.samples {
        put("samples", n.to_string());
    }
    put("initSeed", c.init_seed.to_string());
    put("backend", c.backend.to_string());
    put("speed", c.speed.to_string());
    put("logScale", c.log_scale.to_string());
    for name in &c.hidden_controls {
        put(&format!("{name}_hide"), "true".to_string());
    }
    out.into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn join<T: ToString>(items: impl Iterator<Item = T>) -> String {
    items.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// Decodes `%XX` escapes; malformed escapes are kept literally rather than rejected.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parsing state: keys that interact (problem and datasets, init and initZero, activations and
/// networkShape) are resolved in `finish`, so key order never matters.
#[derive(Default)]
struct Parser {
    config: Config,
    notices: Vec<Notice>,
    explicit_problem: Option<Problem>,
    /// A regression set given under `dataset` (course pages write `dataset=func1d`).
    regression_via_dataset: Option<Dataset>,
    explicit_init: Option<Init>,
    init_zero: bool,
    activations: Option<LayerList<Activation>>,
    inits: Option<LayerList<Init>>,
}

/// A per-layer list from the hash. Entries that failed to parse are `None` until `finish`
/// knows the shared value that replaces them (`activation`, `init` may come later).
type LayerList<T> = Vec<Option<T>>;

impl Parser {
    fn pair(&mut self, key: &str, value: &str) {
        let d = Config::default();
        match key {
            "problem" => {
                self.explicit_problem =
                    self.named(key, value, Problem::parse, Problem::names(), None)
            }
            "dataset" => {
                if let Some(ds) = self.named(
                    key,
                    value,
                    Dataset::parse,
                    Dataset::names(),
                    Some(d.dataset.as_str()),
                ) {
                    if ds.is_regression() {
                        self.regression_via_dataset = Some(ds);
                        self.config.reg_dataset = ds;
                    } else {
                        self.config.dataset = ds;
                    }
                }
            }
            "regDataset" => {
                let fallback = d.reg_dataset.as_str();
                match Dataset::parse(value) {
                    Some(ds) if ds.is_regression() => self.config.reg_dataset = ds,
                    Some(ds) => self.warn(
                        key,
                        format!("`{ds}` is a classification dataset, not a regression one; using {fallback}"),
                    ),
                    None => self.warn(key, format!("unknown dataset `{value}`; using {fallback}")),
                }
            }
            "noise" => self.config.noise = self.int(key, value, 0, 50, d.noise),
            "percTrainData" => {
                self.config.perc_train_data = self.int(key, value, 10, 90, d.perc_train_data)
            }
            "percValData" => {
                self.config.perc_val_data = self.int(key, value, 0, 50, d.perc_val_data)
            }
            "samples" => {
                self.config.samples = Some(self.int(key, value, MIN_SAMPLES, MAX_SAMPLES, 500))
            }
            "batchSize" => {
                self.config.batch_size = self.int(key, value, 1, MAX_BATCH, d.batch_size)
            }
            "seed" => self.seed(value),
            "initSeed" => match value.parse::<u64>() {
                Ok(s) => self.config.init_seed = s,
                Err(_) => self.warn(
                    key,
                    format!("`{value}` is not a whole number ≥ 0; using {}", d.init_seed),
                ),
            },
            "networkShape" => self.network_shape(value),
            "activation" => {
                if let Some(a) = self.named(
                    key,
                    value,
                    Activation::parse,
                    Activation::names(),
                    Some(d.activation.as_str()),
                ) {
                    self.config.activation = a;
                }
            }
            "activations" => {
                let fallback = "that layer uses `activation`";
                self.activations = Some(self.layer_list(
                    key,
                    value,
                    Activation::parse,
                    Activation::names(),
                    fallback,
                ))
            }
            "init" => {
                self.explicit_init = self.named(
                    key,
                    value,
                    Init::parse,
                    Init::names(),
                    Some(d.init.as_str()),
                )
            }
            "initZero" => self.init_zero = self.boolean(key, value, false),
            "inits" => {
                let fallback = "that layer uses `init`";
                self.inits = Some(self.layer_list(key, value, Init::parse, Init::names(), fallback))
            }
            "twoClassOutput" => {
                let names = TwoClassOutput::names();
                let fallback = Some(d.two_class_output.as_str());
                if let Some(o) = self.named(key, value, TwoClassOutput::parse, names, fallback) {
                    self.config.two_class_output = o;
                }
            }
            "learningRate" => {
                self.config.learning_rate =
                    self.float(key, value, 1e-6, 10.0, false, d.learning_rate)
            }
            "optimizer" => {
                if let Some(o) = self.named(
                    key,
                    value,
                    Optimizer::parse,
                    Optimizer::names(),
                    Some(d.optimizer.as_str()),
                ) {
                    self.config.optimizer = o;
                }
            }
            "momentum" => {
                self.config.momentum = self.float(key, value, 0.0, 0.999, true, d.momentum)
            }
            "loss" => {
                self.config.loss = self.named(
                    key,
                    value,
                    Loss::parse,
                    Loss::names(),
                    Some("the problem's usual loss"),
                )
            }
            "regularization" => {
                let names = Regularization::names();
                if let Some(r) = self.named(key, value, Regularization::parse, names, Some("none"))
                {
                    self.config.regularization = r;
                }
            }
            "regularizationRate" => {
                self.config.regularization_rate =
                    self.float(key, value, 0.0, 10.0, true, d.regularization_rate)
            }
            "dropout" => self.config.dropout = self.float(key, value, 0.0, 0.9, true, d.dropout),
            "showTestData" => {
                self.config.show_test_data = self.boolean(key, value, d.show_test_data)
            }
            "discretize" => self.config.discretize = self.boolean(key, value, d.discretize),
            "hideText" => self.config.hide_text = self.boolean(key, value, d.hide_text),
            "speed" => self.config.speed = self.int(key, value, 0, super::MAX_SPEED, d.speed),
            "logScale" => self.config.log_scale = self.boolean(key, value, d.log_scale),
            "backend" => {
                let names = BackendChoice::names();
                if let Some(b) = self.named(key, value, BackendChoice::parse, names, Some("auto")) {
                    self.config.backend = b;
                }
            }
            _ => self.other(key, value),
        }
    }

    fn other(&mut self, key: &str, value: &str) {
        if let Some(f) = Feature::ALL
            .iter()
            .copied()
            .find(|f| f.hash_key().eq_ignore_ascii_case(key))
        {
            let default_on = Config::default().features.contains(&f);
            let on = self.boolean(key, value, default_on);
            if on {
                self.config.features.insert(f);
            } else {
                self.config.features.remove(&f);
            }
        } else if let Some(control) = key.strip_suffix("_hide") {
            if !HIDEABLE.contains(&control) {
                self.warn(
                    key,
                    format!("there is no control named `{control}` to hide; ignored"),
                );
            } else if self.boolean(key, value, false) {
                self.config.hidden_controls.insert(control.to_string());
            } else {
                self.config.hidden_controls.remove(control);
            }
        } else if !IGNORED.contains(&key) {
            self.warn(key, format!("unknown key `{key}`; ignored"));
        }
    }

    fn warn(&mut self, key: &str, message: String) {
        self.notices.push(Notice::new(key, message));
    }

    /// Parses one of a closed set of names; `fallback` names what stays in use when it fails.
    fn named<T>(
        &mut self,
        key: &str,
        value: &str,
        parse: fn(&str) -> Option<T>,
        names: String,
        fallback: Option<&str>,
    ) -> Option<T> {
        let parsed = parse(value);
        if parsed.is_none() {
            let used = fallback.unwrap_or("the default");
            self.warn(
                key,
                format!("unknown value `{value}` (expected one of: {names}); using {used}"),
            );
        }
        parsed
    }

    fn boolean(&mut self, key: &str, value: &str, default: bool) -> bool {
        match value.to_ascii_lowercase().as_str() {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => {
                self.warn(
                    key,
                    format!("`{value}` is not true or false; using {default}"),
                );
                default
            }
        }
    }

    /// An integer in `lo..=hi`; out-of-range values are clamped, non-numbers use `default`.
    fn int(&mut self, key: &str, value: &str, lo: u32, hi: u32, default: u32) -> u32 {
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v.fract() == 0.0 => {
                let clamped = v.clamp(f64::from(lo), f64::from(hi));
                if clamped != v {
                    self.warn(
                        key,
                        format!("{value} is outside {lo}..{hi}; using {clamped}"),
                    );
                }
                // In range of u32 by the clamp above.
                clamped as u32
            }
            _ => {
                self.warn(
                    key,
                    format!("`{value}` is not a whole number; using {default}"),
                );
                default
            }
        }
    }

    /// A finite number in `lo..=hi` (or `lo < v` when `!inclusive_lo`); out-of-range values are
    /// clamped, non-numbers use `default`.
    fn float(
        &mut self,
        key: &str,
        value: &str,
        lo: f64,
        hi: f64,
        inclusive_lo: bool,
        default: f64,
    ) -> f64 {
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() => {
                if v > hi || v < lo || (!inclusive_lo && v <= 0.0) {
                    let used = v.clamp(lo, hi);
                    self.warn(key, format!("{value} is outside {lo}..{hi}; using {used}"));
                    used
                } else {
                    v
                }
            }
            _ => {
                self.warn(
                    key,
                    format!("`{value}` is not a finite number; using {default}"),
                );
                default
            }
        }
    }

    fn seed(&mut self, value: &str) {
        let ok = !value.is_empty()
            && value.len() <= 64
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if ok {
            self.config.seed = value.to_string();
        } else {
            let used = Config::default().seed;
            self.warn(
                "seed",
                format!("`{value}` is not a seed (up to 64 letters, digits, '.', '-', '_'); using {used}"),
            );
        }
    }

    fn network_shape(&mut self, value: &str) {
        let key = "networkShape";
        if value.is_empty() {
            self.config.network_shape = Vec::new();
            return;
        }
        let mut shape = Vec::new();
        for item in value.split(',') {
            match item.trim().parse::<usize>() {
                Ok(n) if (1..=MAX_NEURONS).contains(&n) => shape.push(n),
                Ok(n) if n > MAX_NEURONS => {
                    self.warn(
                        key,
                        format!(
                            "a layer of {n} neurons exceeds {MAX_NEURONS}; using {MAX_NEURONS}"
                        ),
                    );
                    shape.push(MAX_NEURONS);
                }
                _ => {
                    let used = join(Config::default().network_shape.iter());
                    self.warn(key, format!("`{value}` is not a comma list of layer sizes 1..{MAX_NEURONS}; using {used}"));
                    return;
                }
            }
        }
        if shape.len() > MAX_LAYERS {
            self.warn(
                key,
                format!(
                    "{} hidden layers exceed {MAX_LAYERS}; keeping the first {MAX_LAYERS}",
                    shape.len()
                ),
            );
            shape.truncate(MAX_LAYERS);
        }
        self.config.network_shape = shape;
    }

    /// A comma list of names, one per layer; unknown names are warned about and left open.
    fn layer_list<T>(
        &mut self,
        key: &str,
        value: &str,
        parse: fn(&str) -> Option<T>,
        names: String,
        fallback: &str,
    ) -> LayerList<T> {
        let mut list = Vec::new();
        for item in value.split(',').filter(|s| !s.trim().is_empty()) {
            let parsed = parse(item);
            if parsed.is_none() {
                self.warn(
                    key,
                    format!("unknown value `{item}` (expected one of: {names}); {fallback}"),
                );
            }
            list.push(parsed);
        }
        list
    }

    /// `list` completed to `layers` entries with `shared` (also for the unknown names), or
    /// empty when every layer would use `shared` anyway; extra entries are dropped with a
    /// notice that says what the `layers` count is.
    fn per_layer<T: Copy + PartialEq>(
        &mut self,
        key: &str,
        list: LayerList<T>,
        layers: usize,
        shared: T,
        what: &str,
    ) -> Vec<T> {
        let mut list: Vec<T> = list.into_iter().map(|v| v.unwrap_or(shared)).collect();
        if list.len() > layers {
            self.notices.push(Notice::new(
                key,
                format!(
                    "{} entries for {layers} {what}; extra ones ignored",
                    list.len()
                ),
            ));
            list.truncate(layers);
        }
        list.resize(layers, shared);
        if list.iter().all(|&v| v == shared) {
            list.clear();
        }
        list
    }

    fn finish(mut self) -> (Config, Vec<Notice>) {
        let c = &mut self.config;
        // Problem: explicit wins; a regression set under `dataset` implies regression.
        c.problem = match (self.explicit_problem, self.regression_via_dataset) {
            (Some(p), Some(ds)) if p == Problem::Classification => {
                self.notices.push(Notice::new(
                    "dataset",
                    format!(
                        "`{ds}` is a regression dataset but problem=classification; showing {}",
                        c.dataset
                    ),
                ));
                p
            }
            (Some(p), _) => p,
            (None, Some(_)) => Problem::Regression,
            (None, None) => Problem::default(),
        };
        // Init: `init` wins over TensorFlow Playground's `initZero`.
        c.init = match (self.explicit_init, self.init_zero) {
            (Some(i), true) if i != Init::Zeros => {
                self.notices.push(Notice::new(
                    "initZero",
                    format!("initZero=true conflicts with init={i}; using {i}"),
                ));
                i
            }
            (Some(i), _) => i,
            (None, true) => Init::Zeros,
            (None, false) => Init::default(),
        };
        let layers = self.config.network_shape.len();
        if let Some(list) = self.activations.take() {
            let shared = self.config.activation;
            self.config.activations =
                self.per_layer("activations", list, layers, shared, "hidden layers");
        }
        if let Some(list) = self.inits.take() {
            let shared = self.config.init;
            let what = "weight layers (hidden layers, then the output layer)";
            self.config.inits = self.per_layer("inits", list, layers + 1, shared, what);
        }
        (self.config, self.notices)
    }
}
