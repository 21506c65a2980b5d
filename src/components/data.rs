//! Data: dataset picker with previews (the generated sets) and the real data the site ships,
//! the shipped file's arrival, noise, split ratios, sample count, batch size, regenerate.

use std::rc::Rc;

use yew::prelude::*;

use super::fields::{select, slider, slider_off};
use super::guard::{guard, title};
use super::own_data::OwnData;
use super::pixel_canvas::PixelCanvas;
use crate::config::fields::{Field, MAX_BATCH, NOISE, PERC_TRAIN_DATA, PERC_VAL_DATA};
use crate::config::{Config, Dataset, Problem};
use crate::draw::plane::{preview, Palette};
use crate::draw::Pixels;
use crate::session::data::{noise_applies, preview_points};
use crate::session::{Data, Extent};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DataAreaProps {
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
    /// The data set as the host last sent it (a shipped set's counts and source).
    #[prop_or_default]
    pub data: Rc<Data>,
    #[prop_or_default]
    pub fetch: DataFetch,
    /// A CSV file the student chose or dropped (`own_data`).
    #[prop_or_default]
    pub on_own_file: Callback<web_sys::File>,
    /// "Forget my file".
    #[prop_or_default]
    pub on_forget_own: Callback<()>,
}

/// Where the file of a shipped dataset stands, as the host reported it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum DataFetch {
    #[default]
    Idle,
    Loading {
        dataset: Dataset,
        loaded: u64,
        total: Option<u64>,
    },
    Failed {
        dataset: Dataset,
        why: String,
    },
}

/// Megabytes with one decimal.
fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// A thousands-separated count.
fn count(n: usize) -> String {
    crate::analysis::summary::thousands(n)
}

/// What a shipped dataset is, before and after its file arrives.
fn shipped_note(d: Dataset, data: &Data, fetch: &DataFetch) -> Html {
    let what = match d {
        Dataset::Digits => "1,797 grey images of handwritten digits, 8 by 8 pixels (scikit-learn's copy of the UCI set). Ten classes; split at random by the slider.",
        Dataset::Mnist => "MNIST: 70,000 grey handwritten digits of 28 by 28 pixels. Ten classes; the official split, 60,000 for training and the last 10,000 for the test. A 55 MB download.",
        Dataset::Returns => "The S&P 500's daily returns, 2001 to 2005 (ISLP's Smarket): from the last five days' returns and the volume, will the index go up tomorrow? Split by time: the model is tested on the days after those it trained on, never shuffled across them.",
        Dataset::Logistic => "The course's own example: four rows of three inputs that are 0 or 1, and the answer equals the first input. The model trains on all four rows and the test readouts show the same four: there is nothing held out to test on.",
        Dataset::Credit => "10,000 credit-card customers (ISLP's Default, simulated): from student status, balance and income, who defaults? Few do, so the accuracy of always saying no is already high: read the AUC and the per-class recall.",
        _ => "",
    };
    // The student's file says how its reading goes next to where it was chosen (`own_data`).
    let fetched = if d == Dataset::Own {
        None
    } else {
        fetch_status(d, fetch)
    };
    let status = fetched.unwrap_or_else(|| match &data.wide {
        Some(w) => {
            let inputs = match w.image {
                Some((h, wd)) => format!("{h} × {wd} pixels"),
                None => w.names.join(", "),
            };
            let [train, val, test] = w.counts;
            html! {
                <p class="hint" data-testid="data-counts">
                    { format!("{} training, {} validation, {} test rows{}. Inputs: {inputs}.{}",
                        count(train), count(val), count(test),
                        if w.by_time { " (the test rows are the latest)" } else { "" },
                        if w.class_names.is_empty() { String::new() } else { format!(" Classes: {}.", w.class_names.join(", ")) }) }
                </p>
            }
        }
        None => html! {},
    });
    html! {
        <div class="shipped-note" data-testid="shipped-note">
            if !what.is_empty() { <p class="hint">{ what }</p> }
            { status }
        </div>
    }
}

/// Where the file of `d` stands while it is on its way or after it failed; `None` once read.
pub(super) fn fetch_status(d: Dataset, fetch: &DataFetch) -> Option<Html> {
    Some(match fetch {
        DataFetch::Loading {
            dataset,
            loaded,
            total,
        } if *dataset == d => {
            let (value, max) = match total {
                Some(t) => (*loaded as f64, (*t).max(1) as f64),
                None => (0.0, 1.0),
            };
            let shown = match total {
                Some(t) => format!("{} of {}", mb(*loaded), mb(*t)),
                None => mb(*loaded),
            };
            html! {
                <p class="data-loading" data-testid="data-loading" role="status">
                    { if d == Dataset::Own { "Reading your file… " } else { "Loading the data… " } }
                    <progress data-testid="data-progress" value={value.to_string()} max={max.to_string()}
                        aria-label={if d == Dataset::Own { "File read" } else { "Data downloaded" }}></progress>
                    { " " }{ shown }
                </p>
            }
        }
        DataFetch::Failed { dataset, why } if *dataset == d => html! {
            <p class="alert alert-error" data-testid="data-failed" role="alert">{ why }</p>
        },
        _ => return None,
    })
}

/// Sample counts offered.
const SAMPLES: [u32; 6] = [100, 200, 500, 1000, 1200, 2000];

/// Batch sizes the slider offers below a full batch.
const BATCHES: [u32; 24] = [
    1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20, 25, 30, 32, 40, 50, 64, 100, 128, 200, 256, 500, 1000,
];

/// Rows in the training split of `c`'s data, rounded as np-engine's `Dataset::split` rounds.
/// A shipped set's are the host's count (`None` until its file is loaded).
fn rows_for_batches(c: &Config, data: &Data) -> u32 {
    match &data.wide {
        Some(w) => w.counts[0] as u32,
        None if c.active_dataset().is_read_from_file() => MAX_BATCH,
        None => train_rows(c),
    }
}

/// Rows in the training split of `c`'s generated data, rounded as `Dataset::split` rounds.
pub fn train_rows(c: &Config) -> u32 {
    let n = c.sample_count();
    let test_pct = 100.0 - c.perc_train_data as f32;
    let n_test = (n as f32 * test_pct / 100.0).round() as u32;
    let rest = n.saturating_sub(n_test);
    let n_val = (rest as f32 * c.perc_val_data as f32 / 100.0).round() as u32;
    rest.saturating_sub(n_val)
}

/// The batch-size slider's stops for a training set of `train_rows`: the usual sizes below it,
/// the current size, and last a full batch: `MAX_BATCH`, the largest the URL accepts, which no
/// training set exceeds, so the choice stays a full batch when the data grows.
pub fn batch_stops(current: u32, train_rows: u32) -> Vec<u32> {
    let mut stops: Vec<u32> = BATCHES
        .iter()
        .copied()
        .chain(std::iter::once(current))
        .filter(|&b| b < train_rows && b < MAX_BATCH)
        .collect();
    stops.sort_unstable();
    stops.dedup();
    stops.push(MAX_BATCH);
    stops
}

/// The stop that shows `current`: its own, or the full batch when it is one.
fn stop_of(stops: &[u32], current: u32) -> usize {
    stops
        .iter()
        .position(|&b| b >= current)
        .unwrap_or(stops.len().saturating_sub(1))
}

/// A slider's range and step for an integer row of the field table.
fn int_range(field: &Field, step: f64) -> (f64, f64, f64) {
    let (min, max) = field.range().unwrap_or((0.0, 0.0));
    (min, max, step)
}

fn previews() -> Vec<(Dataset, Pixels)> {
    Dataset::ALL
        .iter()
        .filter(|d| d.is_planar())
        .map(|&d| {
            let points = preview_points(d, 200);
            let extent = Extent::of(d, &points);
            let palette = Palette {
                classes: d.classes(),
                discretize: false,
            };
            (
                d,
                preview(&points, palette, &extent, d.is_one_dimensional(), 48),
            )
        })
        .collect()
}

#[function_component(DataArea)]
pub fn data_area(props: &DataAreaProps) -> Html {
    let thumbs = use_memo((), |_| previews());
    let c = &props.config;
    let emit = |f: fn(f64) -> Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |v: f64| on_action.emit(f(v)))
    };
    let active = c.active_dataset();
    let show = |name: &'static str, h: Html| guard(c, name, h);
    let picker = html! {
        <div class="datasets" role="group" aria-label="Dataset">
            { for thumbs.iter().map(|(d, pixels)| {
                let on_action = props.on_action.clone();
                let d = *d;
                let kind = if d.is_regression() { "regression" } else if d.classes() > 2 { "3 classes" } else { "2 classes" };
                html! {
                    <button class={classes!("dataset", (d == active).then_some("selected"))}
                        data-testid={format!("dataset-{}", d.as_str())} aria-pressed={(d == active).to_string()}
                        title={title(c, "dataset", format!("{} ({kind})", d.label()))}
                        onclick={Callback::from(move |_: MouseEvent| on_action.emit(Action::SetDataset(d)))}>
                        <PixelCanvas pixels={pixels.clone()} label={format!("{} preview", d.label())} />
                        <span class="dataset-name">{ d.label() }</span>
                    </button>
                }
            }) }
        </div>
    };
    // The real data: named, not previewed (a preview would cost the file's download).
    let real = html! {
        <div class="datasets datasets-real" role="group" aria-label="Real data">
            { for Dataset::ALL.iter().copied().filter(|d| !d.is_planar() && *d != Dataset::Own).map(|d| {
                let on_action = props.on_action.clone();
                let glyph = match d {
                    Dataset::Digits => "8×8",
                    Dataset::Mnist => "28×28",
                    Dataset::Returns => "S&P",
                    Dataset::Logistic => "4×3",
                    _ => "$",
                };
                let kind = if d.classes() > 2 { format!("{} classes", d.classes()) } else { "2 classes".to_string() };
                html! {
                    <button class={classes!("dataset", "dataset-real", (d == active).then_some("selected"))}
                        data-testid={format!("dataset-{}", d.as_str())} aria-pressed={(d == active).to_string()}
                        title={title(c, "dataset", format!("{} ({kind}, real data)", d.label()))}
                        onclick={Callback::from(move |_: MouseEvent| on_action.emit(Action::SetDataset(d)))}>
                        <span class="dataset-glyph" aria-hidden="true">{ glyph }</span>
                        <span class="dataset-name">{ d.label() }</span>
                    </button>
                }
            }) }
        </div>
    };
    let picker = html! {
        <>
            { picker }
            <p class="datasets-heading">{ "Real data" }</p>
            { real }
            <OwnData config={c.clone()} data={props.data.clone()} on_action={props.on_action.clone()}
                fetch={props.fetch.clone()} on_file={props.on_own_file.clone()} on_forget={props.on_forget_own.clone()} />
        </>
    };
    // Data that brings its own inputs: no plane, no generator settings.
    let shipped = !active.is_planar();
    let regenerate = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Regenerate))
    };
    let on_samples = {
        let on_action = props.on_action.clone();
        Callback::from(move |v: String| {
            if let Ok(n) = v.parse() {
                on_action.emit(Action::SetSamples(n));
            }
        })
    };
    let rows = rows_for_batches(c, &props.data);
    let stops = batch_stops(c.batch_size, rows);
    let batch_shown = if c.batch_size >= rows {
        format!("full batch ({rows})")
    } else {
        c.batch_size.to_string()
    };
    let batch_slider = {
        let on_action = props.on_action.clone();
        let sizes = stops.clone();
        let on_stop = Callback::from(move |i: f64| {
            if let Some(&b) = sizes.get(i as usize) {
                on_action.emit(Action::SetBatchSize(b));
            }
        });
        let last = stops.len().saturating_sub(1) as f64;
        slider(
            "batch-size",
            "Batch size",
            (0.0, last, 1.0),
            stop_of(&stops, c.batch_size) as f64,
            batch_shown,
            on_stop,
        )
    };
    html! {
        <div class="data-panel">
            { show("dataset", picker) }
            if shipped { { shipped_note(active, &props.data, &props.fetch) } }
            { show("percTrainData", if active == Dataset::Mnist {
                slider_off("perc-train", "Training data", int_range(&PERC_TRAIN_DATA, 10.0), f64::from(c.perc_train_data),
                    "60,000".to_string(), "MNIST keeps its official split: the same test digits as every published result.")
            } else if active == Dataset::Logistic {
                slider_off("perc-train", "Training data", int_range(&PERC_TRAIN_DATA, 10.0), f64::from(c.perc_train_data),
                    "all 4 rows".to_string(), "The course's table trains on all four rows.")
            } else { slider("perc-train", "Training data", int_range(&PERC_TRAIN_DATA, 10.0), f64::from(c.perc_train_data),
                format!("{}%", c.perc_train_data), emit(|v| Action::SetPercTrainData(v as u32))) }) }
            { show("percValData", if active == Dataset::Logistic {
                slider_off("perc-val", "Validation (of training)", int_range(&PERC_VAL_DATA, 5.0), f64::from(c.perc_val_data),
                    "none".to_string(), "Four rows leave nothing to hold out.")
            } else {
                slider("perc-val", "Validation (of training)", int_range(&PERC_VAL_DATA, 5.0), f64::from(c.perc_val_data),
                    format!("{}%", c.perc_val_data), emit(|v| Action::SetPercValData(v as u32)))
            }) }
            if !shipped { { show("noise", if noise_applies(active) {
                slider("noise", "Noise", int_range(&NOISE, 5.0), f64::from(c.noise), c.noise.to_string(),
                    emit(|v| Action::SetNoise(v as u32)))
            } else {
                slider_off("noise", "Noise", int_range(&NOISE, 5.0), f64::from(c.noise), c.noise.to_string(),
                    "These three clouds overlap by their own spreads; noise does not change them.")
            }) } }
            { show("batchSize", batch_slider) }
            // Real data has its own rows, measured once: no count to pick, nothing to regenerate.
            if !shipped {
                { show("samples", select("samples", "Samples",
                    SAMPLES.iter().map(|n| (n.to_string(), n.to_string())).collect(), &c.sample_count().to_string(), on_samples)) }
                { show("regenerateButton", html! {
                    <button class="btn" data-testid="regenerate" onclick={regenerate} title={title(c, "regenerateButton", "New points from a new data seed")}>
                        { "Regenerate" }
                    </button>
                }) }
            }
            { if c.problem == Problem::Regression { html! { <p class="hint">{ "Regression: colour shows the target value." }</p> } } else { html! {} } }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::hash;
    use crate::session::data::build;

    #[test]
    fn the_batch_slider_reaches_the_largest_batch_the_url_accepts() {
        for link in [
            "dataset=circle",
            "dataset=spiral&samples=5000&percTrainData=90",
            "dataset=func1d&percValData=20&samples=20&percTrainData=10",
            "dataset=xor&batchSize=7",
            "dataset=gauss&batchSize=300&samples=200",
        ] {
            let (c, notices) = hash::parse(link);
            assert_eq!(notices, vec![]);
            let (splits, _) = build(&c, &c.input_features()).unwrap_or_else(|e| panic!("{e}"));
            let rows = train_rows(&c);
            assert_eq!(rows as usize, splits.train.len(), "{link}");
            let stops = batch_stops(c.batch_size, rows);
            assert_eq!(
                stops.last(),
                Some(&MAX_BATCH),
                "{link}: the full batch is the last stop"
            );
            assert!(
                MAX_BATCH >= rows,
                "{link}: a full batch holds the training set"
            );
            assert!(stops.windows(2).all(|w| w[0] < w[1]), "{link}: {stops:?}");
            // The current size shows as itself, or as the full batch when it is one.
            let shown = stops[stop_of(&stops, c.batch_size)];
            assert!(
                shown == c.batch_size || (c.batch_size >= rows && shown == MAX_BATCH),
                "{link}"
            );
        }
        assert_eq!(batch_stops(10, 250)[..3], [1, 2, 3]);
    }
}
