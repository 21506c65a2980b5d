//! The URL-hash text form of a [`Config`]: `key=value` pairs joined by `&`, with TensorFlow
//! Playground's keys and meanings plus ours, as the field table (`super::fields`) lists them.
//! Parsing never fails: an unusable value leaves its field as it was (its default, unless an
//! earlier pair set it), an out-of-range one is clamped, and each yields a [`Notice`] saying
//! which key, what was wrong and what was used.

use super::fields::{self, Field, Kind, Value, FIELDS};
use super::{
    Activation, Config, Dataset, Feature, Init, Notice, Problem, Speed, MAX_LAYERS, MAX_NEURONS,
};

/// TensorFlow Playground keys we accept and deliberately ignore (they only affect its own
/// internals).
const IGNORED: &[&str] = &["collectStats", "tutorial"];

/// TensorFlow Playground's order of its feature keys, which its printing keeps.
const FEATURE_ORDER: [Feature; 9] = [
    Feature::X,
    Feature::Y,
    Feature::XTimesY,
    Feature::XSquared,
    Feature::YSquared,
    Feature::CosX,
    Feature::SinX,
    Feature::CosY,
    Feature::SinY,
];

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

/// Prints a Config as a hash body (without `#`): the lesson and task when there is one, the
/// embedding keys when set, the table's rows in its order, then the hidden controls and the
/// locked ones.
pub fn print(c: &Config) -> String {
    let mut out: Vec<String> = Vec::new();
    // A lesson's place comes first, where a reader of the URL looks.
    if let Some(lesson) = &c.lesson {
        out.push(format!("lesson={lesson}&task={}", c.task));
    }
    out.extend(embedding_pairs(c));
    for field in FIELDS {
        if matches!(field.kind, Kind::Features) {
            for f in FEATURE_ORDER {
                out.push(format!("{}={}", f.hash_key(), c.features.contains(&f)));
            }
        } else if let Some(v) = (field.get)(c) {
            out.push(format!("{}={v}", field.key));
        }
    }
    for name in &c.hidden_controls {
        out.push(format!("{name}_hide=true"));
    }
    for name in &c.locked_controls {
        out.push(format!("{name}_lock=true"));
    }
    out.join("&")
}

/// Adds `name` to `set` or removes it, as `on` says; `None` leaves `set` as it is.
fn set_member(set: &mut std::collections::BTreeSet<String>, name: &str, on: Option<bool>) {
    match on {
        Some(true) => {
            set.insert(name.to_string());
        }
        Some(false) => {
            set.remove(name);
        }
        None => {}
    }
}

/// The `embed` and `parentOrigin` pairs of `c`, as `print` writes them (none when unset). The
/// embedding keys change nothing the session sees; `crate::embed` keeps them across a `load`.
pub fn embedding_pairs(c: &Config) -> Vec<String> {
    let mut out = Vec::new();
    if c.embed {
        out.push("embed=true".to_string());
    }
    if let Some(origin) = &c.parent_origin {
        out.push(format!("parentOrigin={origin}"));
    }
    out
}

fn join<T: ToString>(items: impl Iterator<Item = T>) -> String {
    items.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A whole number written as digits or as a number without a fraction (`5`, `5.0`, `1e3`,
/// `-4`); `None` for anything else, infinities included.
fn whole_number(value: &str) -> Option<f64> {
    value
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && v.fract() == 0.0)
}

/// A hash value as [`parse`] hands it to a key's reader: `%XX` escapes decoded once.
pub(crate) fn decode_value(s: &str) -> String {
    decode(s)
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
    /// Whether `regDataset` was given (else `dataset=csv` serves regression too).
    reg_dataset_given: bool,
    /// A regression set given under `dataset` (course pages write `dataset=func1d`).
    regression_via_dataset: Option<Dataset>,
    explicit_init: Option<Init>,
    init_zero: bool,
    activations: Option<LayerList<Activation>>,
    inits: Option<LayerList<Init>>,
    /// `freeze`'s text, read once the network's depth is known.
    freeze: Option<String>,
}

/// A per-layer list from the hash. Entries that failed to parse are `None` until `finish`
/// knows the shared value that replaces them (`activation`, `init` may come later).
type LayerList<T> = Vec<Option<T>>;

impl Parser {
    fn pair(&mut self, key: &str, value: &str) {
        match fields::find(key) {
            Some(field) if field.bespoke => self.bespoke(field, value),
            Some(field) => self.table(field, value),
            None => self.other(key, value),
        }
    }

    /// A key the table parses alone: checked against the row's kind and limits; an unusable
    /// value leaves the field as it was (its default, unless an earlier pair set it).
    fn table(&mut self, field: &Field, value: &str) {
        if let Some(v) = self.value(field, value) {
            if !(field.set)(&mut self.config, &v) {
                let (names, used) = (Self::names(field), field.describe(&self.config));
                self.warn(
                    field.key,
                    format!("unknown value `{value}` (expected one of: {names}); using {used}"),
                );
            }
        }
    }

    fn names(field: &Field) -> String {
        match field.kind {
            Kind::Named { names } => names(),
            _ => String::new(),
        }
    }

    /// `value` as `field`'s kind, clamped to its limits (with a notice when it had to be); `None`
    /// with a notice when it is no such value.
    fn value(&mut self, field: &Field, value: &str) -> Option<Value> {
        let key = field.key;
        let used = field.describe(&self.config);
        match field.kind {
            Kind::Int { min, max } => {
                let Some(v) = whole_number(value) else {
                    self.warn(
                        key,
                        format!("`{value}` is not a whole number; using {used}"),
                    );
                    return None;
                };
                let outside = v < min as f64 || v > max as f64;
                let clamped = if v < min as f64 {
                    min
                } else if v > max as f64 {
                    max
                } else {
                    // Digits parse exactly (seeds beyond 2^53); other spellings (`5.0`, `1e3`)
                    // through the float.
                    value.parse::<u64>().unwrap_or(v as u64)
                };
                if outside {
                    self.warn(
                        key,
                        format!("{value} is outside {min}..{max}; using {clamped}"),
                    );
                }
                Some(Value::Int(clamped))
            }
            Kind::Float { min, max } => match value.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let clamped = v.clamp(min, max);
                    if clamped != v {
                        self.warn(
                            key,
                            format!("{value} is outside {min}..{max}; using {clamped}"),
                        );
                    }
                    Some(Value::Float(clamped))
                }
                _ => {
                    self.warn(
                        key,
                        format!("`{value}` is not a finite number; using {used}"),
                    );
                    None
                }
            },
            Kind::Bool => match parse_bool(value) {
                Some(b) => Some(Value::Bool(b)),
                None => {
                    self.warn(key, format!("`{value}` is not true or false; using {used}"));
                    None
                }
            },
            Kind::Named { .. } | Kind::List | Kind::Text | Kind::Features => {
                Some(Value::Text(value.to_string()))
            }
        }
    }

    /// The keys that interact or have structure (see `fields`' module documentation).
    fn bespoke(&mut self, field: &Field, value: &str) {
        let key = field.key;
        let d = Config::default();
        match key {
            "problem" => {
                self.explicit_problem = Problem::parse(value);
                if self.explicit_problem.is_none() {
                    self.unknown(key, value, Problem::names(), "the dataset's problem");
                }
            }
            "dataset" => match Dataset::parse(value) {
                Some(ds) if ds.is_regression() => {
                    self.regression_via_dataset = Some(ds);
                    self.config.reg_dataset = ds;
                }
                Some(ds) => self.config.dataset = ds,
                None => self.unknown(key, value, Dataset::names(), d.dataset.as_str()),
            },
            "regDataset" => {
                self.reg_dataset_given = true;
                let fallback = d.reg_dataset.as_str();
                match Dataset::parse(value) {
                    // The student's file serves either problem.
                    Some(ds) if ds.is_regression() || ds == Dataset::Own => {
                        self.config.reg_dataset = ds
                    }
                    Some(ds) => self.warn(
                        key,
                        format!("`{ds}` is a classification dataset, not a regression one; using {fallback}"),
                    ),
                    None => self.warn(key, format!("unknown dataset `{value}`; using {fallback}")),
                }
            }
            "seed" => self.seed(value),
            "csvTarget" | "csvTime" => match super::csv::check_name(value) {
                Ok(name) if key == "csvTarget" => self.config.csv.target = Some(name),
                Ok(name) => self.config.csv.time = Some(name),
                Err(why) => self.warn(key, format!("{why}; the file's own choice is used")),
            },
            "csvInputs" => {
                let names = super::csv::split_names(value);
                if names.len() > super::csv::MAX_LISTED {
                    self.warn(
                        key,
                        format!(
                            "more than {} columns listed; every usable column is used",
                            super::csv::MAX_LISTED
                        ),
                    );
                    return;
                }
                match names
                    .iter()
                    .map(|n| super::csv::check_name(n))
                    .collect::<Result<Vec<_>, _>>()
                {
                    Ok(names) => self.config.csv.inputs = names,
                    Err(why) => self.warn(key, format!("{why}; every usable column is used")),
                }
            }
            "speed" => match Speed::parse(value) {
                Some(s) => self.config.speed = s,
                None => {
                    let (lo, hi, used) = (Speed::MIN_RATE, Speed::MAX_RATE, d.speed);
                    self.warn(
                        key,
                        format!("`{value}` is not a speed (epochs per second from {lo} to {hi}, or max); using {used}"),
                    )
                }
            },
            "networkShape" => self.network_shape(value),
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
                self.explicit_init = Init::parse(value);
                if self.explicit_init.is_none() {
                    self.unknown(key, value, Init::names(), d.init.as_str());
                }
            }
            "initZero" => match parse_bool(value) {
                Some(b) => self.init_zero = b,
                None => self.warn(key, format!("`{value}` is not true or false; using false")),
            },
            "freeze" => self.freeze = Some(value.to_string()),
            "inits" => {
                let fallback = "that layer uses `init`";
                self.inits = Some(self.layer_list(key, value, Init::parse, Init::names(), fallback))
            }
            _ => self.warn(key, format!("`{key}` cannot be read here; ignored")),
        }
    }

    fn unknown(&mut self, key: &str, value: &str, names: String, used: &str) {
        self.warn(
            key,
            format!("unknown value `{value}` (expected one of: {names}); using {used}"),
        );
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
            let on = self.control_flag(key, control, "hide", value);
            set_member(&mut self.config.hidden_controls, control, on);
        } else if let Some(control) = key.strip_suffix("_lock") {
            let on = self.control_flag(key, control, "lock", value);
            set_member(&mut self.config.locked_controls, control, on);
        } else if key == "lesson" {
            self.lesson(value);
        } else if key == "embed" {
            self.config.embed = self.boolean(key, value, false);
        } else if key == "parentOrigin" {
            match crate::embed::origin::parse(value) {
                Ok(origin) => self.config.parent_origin = Some(origin),
                Err(why) => self.warn(
                    key,
                    format!("{why}; events go to whichever page embeds this one"),
                ),
            }
        } else if key == "task" {
            match value.parse::<usize>() {
                Ok(n) if n >= 1 => self.config.task = n,
                _ => self.warn(
                    key,
                    format!("`{value}` is not a task number (1, 2, ...); using task 1"),
                ),
            }
        } else if !IGNORED.contains(&key) {
            self.warn(key, format!("unknown key `{key}`; ignored"));
        }
    }

    /// The value of `<control>_hide` or `<control>_lock` (`what`): `None` with a notice for a
    /// name that is no control.
    fn control_flag(&mut self, key: &str, control: &str, what: &str, value: &str) -> Option<bool> {
        let names = if what == "lock" {
            super::controls::lock_names()
        } else {
            fields::hide_names()
        };
        if names.contains(&control) {
            Some(self.boolean(key, value, false))
        } else {
            self.warn(
                key,
                format!("there is no control named `{control}` to {what}; ignored"),
            );
            None
        }
    }

    /// A lesson id: lower-case letters, digits and `-`. Whether a lesson of that id exists is the
    /// lessons' business (`crate::lessons::route`), not the config's.
    fn lesson(&mut self, value: &str) {
        let ok = !value.is_empty()
            && value.len() <= 64
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            self.config.lesson = Some(value.to_string());
        } else {
            self.warn(
                "lesson",
                format!("`{value}` is not a lesson id (lower-case letters, digits, '-'); ignored"),
            );
        }
    }

    fn warn(&mut self, key: &str, message: String) {
        self.notices.push(Notice::new(key, message));
    }

    fn boolean(&mut self, key: &str, value: &str, default: bool) -> bool {
        parse_bool(value).unwrap_or_else(|| {
            self.warn(
                key,
                format!("`{value}` is not true or false; using {default}"),
            );
            default
        })
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

    /// `freeze`'s layer numbers (from 1, the output layer last) as one flag per weight layer;
    /// anything else is named in a notice and left out.
    fn frozen_layers(&mut self, text: &str, layers: usize) -> Vec<bool> {
        let mut frozen = vec![false; layers];
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item.parse::<usize>() {
                Ok(n) if (1..=layers).contains(&n) => frozen[n - 1] = true,
                _ => self.warn(
                    "freeze",
                    format!(
                        "`{item}` is not a layer number 1..{layers} (hidden layers, then the \
                         output layer); ignored"
                    ),
                ),
            }
        }
        if frozen.contains(&true) {
            frozen
        } else {
            Vec::new()
        }
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
        // `dataset=csv&problem=regression` predicts a number from the same file.
        if c.dataset == Dataset::Own && !self.reg_dataset_given {
            c.reg_dataset = Dataset::Own;
        }
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
        if let Some(text) = self.freeze.take() {
            self.config.frozen = self.frozen_layers(&text, layers + 1);
        }
        if self.config.lesson.is_none() && self.config.task != 1 {
            self.notices
                .push(Notice::new("task", "a task number needs a lesson; ignored"));
            self.config.task = 1;
        }
        if let Some(notice) = self.config.refuse_regression_cross_entropy() {
            self.notices.push(notice);
        }
        (self.config, self.notices)
    }
}
