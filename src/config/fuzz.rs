//! URL fuzzing: structured mutations of real links (TensorFlow Playground's, the course's, our
//! printed Configs) must never panic, must print a hash that parses back to the same Config with
//! no notice, and must give a session that trains an epoch.

use super::hash::{parse, print};
use super::*;
use crate::session::Session;

/// SplitMix64: a seeded generator for the tests (no dependency).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Links as they reach the page: TensorFlow Playground's default and spiral links, the course's
/// experiments (as the session and panel tests open them), and our own printed Configs.
pub(crate) fn real_links() -> Vec<String> {
    let mut links: Vec<String> = [
        "#activation=tanh&batchSize=10&dataset=circle&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.12345&showTestData=false&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification&initZero=false&hideText=false",
        "https://playground.tensorflow.org/#activation=relu&regularization=L2&batchSize=3&dataset=spiral&regDataset=reg-gauss&learningRate=0.01&regularizationRate=0.001&noise=15&networkShape=8,8,5&seed=0.70312&showTestData=true&discretize=true&percTrainData=80&x=true&y=true&xTimesY=true&xSquared=true&ySquared=true&cosX=false&sinX=true&cosY=false&sinY=true&collectStats=false&problem=classification&initZero=false&hideText=false&learningRate_hide=true&problem_hide=true",
        "#problem=regression&regDataset=reg-gauss&initZero=true&networkShape=&activation=linear",
        "dataset=spiral3&networkShape=30&activation=relu&optimizer=adam&learningRate=0.01&batchSize=30&init=he",
        "dataset=func1d&networkShape=16&activation=tanh",
        "dataset=line&networkShape=&learningRate=0.1",
        "dataset=rings&networkShape=3&activation=sigmoid&twoClassOutput=softmax&optimizer=adam&learningRate=0.03&batchSize=20",
        "networkShape=3&activation=sigmoid&twoClassOutput=softmax&init=glorot&inits=lecun,glorot",
        "dataset=clouds3&networkShape=8&activation=elu&eluAlpha=0.5&optimizer=rmsprop",
        "dataset=moons&networkShape=6,6&activation=leakyrelu&leakyReluAlpha=0.2&dropout=0.25&percValData=20",
        "dataset=xor&networkShape=4&activation=step&learningRate=0.3",
        "dataset=circle&networkShape=4,3&activation=tanh&regularization=L2&regularizationRate=0.01&optimizer=nesterov&momentum=0.9",
        "dataset=gauss&samples=200&batchSize=5000&loss=mse&backend=cpu&speed=3&logScale=true",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut changed = Config {
        problem: Problem::Regression,
        reg_dataset: Dataset::RegGauss,
        samples: Some(300),
        activation: Activation::Elu,
        activations: vec![Activation::Relu, Activation::LeakyRelu],
        inits: vec![Init::He, Init::Zeros, Init::Glorot],
        hidden_controls: ["noise".to_string(), "features".to_string()].into(),
        locked_controls: ["features".to_string(), "resetButton".to_string()].into(),
        ..Config::default()
    };
    links.push(print(&Config::default()));
    links.push(print(&changed));
    changed.problem = Problem::Classification;
    changed.dataset = Dataset::Spiral3;
    links.push(print(&changed));
    links
}

/// Values that break parsers: huge, tiny, negative, non-finite, malformed, unicode, escaped.
const NASTY: &[&str] = &[
    "",
    "0",
    "-0",
    "-1",
    "1",
    "2",
    "0.5",
    "1e400",
    "-1e400",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "infinity",
    "99999999999999999999",
    "18446744073709551615",
    "18446744073709551616",
    "4294967296",
    "0x10",
    "1_000",
    "  7 ",
    "5.0",
    "1e3",
    "true",
    "FALSE",
    "yes",
    "ünïcødé",
    "😀",
    "%F0%9F%98%80",
    "%",
    "%z",
    "%zz%4",
    "%00",
    "\u{0}",
    "a=b",
    "#",
    ",,,",
    "4,,2",
    "4,2,",
    "999,1",
    "1,2,3,4,5,6,7,8,9,10,11",
    "relu,tanh,bogus",
    "crossentropy",
    "mse",
    "regression",
    "classification",
    "func1d",
    "spiral3",
    "reg-plane",
    "leaky-relu",
    "L1",
    "zeros",
    "softmax",
    "webgpu",
];

/// Keys to put values under: every row's, the features', hide names and a few strangers.
fn keys() -> Vec<String> {
    let mut keys: Vec<String> = fields::FIELDS
        .iter()
        .filter(|f| !matches!(f.kind, fields::Kind::Features))
        .map(|f| f.key.to_string())
        .collect();
    keys.extend(Feature::ALL.iter().map(|f| f.hash_key().to_string()));
    keys.extend(fields::hide_names().iter().map(|n| format!("{n}_hide")));
    // Every hide name as a lock too, `help_lock` (hide only) among them.
    keys.extend(fields::hide_names().iter().map(|n| format!("{n}_lock")));
    keys.extend(
        [
            "collectStats",
            "tutorial",
            "nothing_hide",
            "nothing_lock",
            "_lock",
            "LEARNINGRATE",
            "x ",
            "ключ",
            "😀",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    keys
}

/// `text` with every character, or a random part of them, written as `%XX` escapes of its
/// UTF-8 bytes (non-ASCII characters always, as a browser would).
fn percent_encode(rng: &mut Rng, text: &str) -> String {
    let all = rng.below(2) == 0;
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii() && !all && rng.below(3) != 0 {
            out.push(ch);
        } else {
            let mut buf = [0; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// One structured mutation of a link's `key=value` pairs.
fn mutate(rng: &mut Rng, pairs: &mut Vec<String>, keys: &[String]) {
    let at = rng.below(pairs.len().max(1));
    match rng.below(10) {
        // A known key with a nasty value.
        0 | 1 => {
            let pair = format!("{}={}", rng.pick(keys), rng.pick(NASTY));
            pairs.insert(at.min(pairs.len()), pair);
        }
        // An existing pair's value replaced.
        2 | 3 => {
            if let Some(p) = pairs.get_mut(at) {
                let key = p.split('=').next().unwrap_or("").to_string();
                *p = format!("{key}={}", rng.pick(NASTY));
            }
        }
        // A duplicate, somewhere later.
        4 => {
            if let Some(p) = pairs.get(at).cloned() {
                let to = rng.below(pairs.len() + 1);
                pairs.insert(to, p);
            }
        }
        // A pair dropped.
        5 => {
            if at < pairs.len() {
                pairs.remove(at);
            }
        }
        // Two pairs swapped.
        6 => {
            let other = rng.below(pairs.len().max(1));
            if at < pairs.len() && other < pairs.len() {
                pairs.swap(at, other);
            }
        }
        // Percent-encoded key or value.
        7 => {
            if let Some(p) = pairs.get_mut(at) {
                let (k, v) = p.split_once('=').unwrap_or((p.as_str(), ""));
                *p = if rng.below(2) == 0 {
                    format!("{}={v}", percent_encode(rng, k))
                } else {
                    format!("{k}={}", percent_encode(rng, v))
                };
            }
        }
        // A pair cut anywhere (no `=`, half a key, half an escape).
        8 => {
            if let Some(p) = pairs.get_mut(at) {
                let cut = rng.below(p.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| p.is_char_boundary(i))
                    .unwrap_or(0);
                p.truncate(cut);
            }
        }
        // Separators and unicode spliced into a pair.
        _ => {
            if let Some(p) = pairs.get_mut(at) {
                let junk = *rng.pick(&["&", "=", "#", "%", "&&", "==", "é", "😀", " ", "\u{ffff}"]);
                let cut = rng.below(p.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| p.is_char_boundary(i))
                    .unwrap_or(0);
                p.insert_str(cut, junk);
            }
        }
    }
}

/// The mutated links: `per_link` of each real link, 1 to 6 mutations each.
fn mutated_links(per_link: usize) -> Vec<String> {
    let mut rng = Rng::new(20_261_201);
    let keys = keys();
    let mut out = Vec::new();
    for link in real_links() {
        let (prefix, body) = match link.find('#') {
            Some(i) => (link[..=i].to_string(), link[i + 1..].to_string()),
            None => (String::new(), link.clone()),
        };
        let base: Vec<String> = body.split('&').map(str::to_string).collect();
        for _ in 0..per_link {
            let mut pairs = base.clone();
            for _ in 0..1 + rng.below(6) {
                mutate(&mut rng, &mut pairs, &keys);
            }
            out.push(format!("{prefix}{}", pairs.join("&")));
        }
    }
    out
}

#[test]
fn mutated_real_links_round_trip_and_train() {
    let links = mutated_links(1_300);
    assert!(links.len() >= 20_000, "{} mutations", links.len());
    let mut trained = 0;
    let mut distinct = std::collections::BTreeSet::new();
    let mut refused = 0;
    for (i, link) in links.iter().enumerate() {
        let (c, first) = parse(link);
        refused += usize::from(!first.is_empty());
        let printed = print(&c);
        let (back, notices) = parse(&printed);
        assert_eq!(notices, vec![], "{link:?} printed as {printed:?}");
        assert_eq!(back, c, "{link:?}");
        assert_eq!(print(&back), printed, "printing is stable for {link:?}");
        distinct.insert(printed);
        // A session per 40th link (about 500): building and training all would take minutes.
        if i % 40 == 0 {
            let mut s = Session::new(&c);
            assert_eq!(s.diverged(), None, "{link:?} builds");
            s.step_epoch_now();
            // A learning rate of 10 may overflow the weights within the epoch: training ran and
            // stopped for the reason the student is shown.
            match s.diverged() {
                Some(why) => assert!(why.contains("the weights overflowed"), "{link:?}: {why}"),
                None => assert_eq!(s.epoch(), 1, "{link:?}"),
            }
            trained += 1;
        }
    }
    assert!(trained >= 400, "{trained} sessions");
    // Most mutations hit a refusal path (a notice), the rest are links the parser takes.
    assert!(
        refused > links.len() / 2 && refused < links.len(),
        "{refused} of {} links refused in part",
        links.len()
    );
    // The mutations reach many different experiments (most refused values fall back to the
    // link's own), not a handful.
    assert!(distinct.len() >= 2_000, "{} distinct", distinct.len());
}
