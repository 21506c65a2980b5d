//! Data: dataset picker with previews, noise, split ratios, sample count, batch size,
//! regenerate.

use std::rc::Rc;

use yew::prelude::*;

use super::fields::{select, slider, slider_off};
use super::guard::{guard, title};
use super::pixel_canvas::PixelCanvas;
use crate::config::fields::{Field, MAX_BATCH, NOISE, PERC_TRAIN_DATA, PERC_VAL_DATA};
use crate::config::{Config, Dataset, Problem};
use crate::draw::plane::{preview, Palette};
use crate::draw::Pixels;
use crate::session::data::{noise_applies, preview_points};
use crate::session::Extent;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DataAreaProps {
    pub config: Rc<Config>,
    pub on_action: Callback<Action>,
}

/// Sample counts offered.
const SAMPLES: [u32; 6] = [100, 200, 500, 1000, 1200, 2000];

/// Batch sizes the slider offers below a full batch.
const BATCHES: [u32; 24] = [
    1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 16, 20, 25, 30, 32, 40, 50, 64, 100, 128, 200, 256, 500, 1000,
];

/// Rows in the training split of `c`'s data, rounded as np-engine's `Dataset::split` rounds.
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
    let rows = train_rows(c);
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
            { show("percTrainData", slider("perc-train", "Training data", int_range(&PERC_TRAIN_DATA, 10.0), f64::from(c.perc_train_data),
                format!("{}%", c.perc_train_data), emit(|v| Action::SetPercTrainData(v as u32)))) }
            { show("percValData", slider("perc-val", "Validation (of training)", int_range(&PERC_VAL_DATA, 5.0), f64::from(c.perc_val_data),
                format!("{}%", c.perc_val_data), emit(|v| Action::SetPercValData(v as u32)))) }
            { show("noise", if noise_applies(active) {
                slider("noise", "Noise", int_range(&NOISE, 5.0), f64::from(c.noise), c.noise.to_string(),
                    emit(|v| Action::SetNoise(v as u32)))
            } else {
                slider_off("noise", "Noise", int_range(&NOISE, 5.0), f64::from(c.noise), c.noise.to_string(),
                    "These three clouds overlap by their own spreads; noise does not change them.")
            }) }
            { show("batchSize", batch_slider) }
            { show("samples", select("samples", "Samples",
                SAMPLES.iter().map(|n| (n.to_string(), n.to_string())).collect(), &c.sample_count().to_string(), on_samples)) }
            { show("regenerateButton", html! {
                <button class="btn" data-testid="regenerate" onclick={regenerate} title={title(c, "regenerateButton", "New points from a new data seed")}>
                    { "Regenerate" }
                </button>
            }) }
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
