//! Data: dataset picker with previews, noise, split ratios, sample count, batch size,
//! regenerate.

use yew::prelude::*;

use super::fields::{select, slider};
use super::pixel_canvas::PixelCanvas;
use crate::config::{Config, Dataset, Problem};
use crate::draw::plane::{preview, Palette};
use crate::draw::Pixels;
use crate::session::data::preview_points;
use crate::session::Extent;
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DataPanelProps {
    pub config: Config,
    pub on_action: Callback<Action>,
}

/// Sample counts offered.
const SAMPLES: [u32; 6] = [100, 200, 500, 1000, 1200, 2000];

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

#[function_component(DataPanel)]
pub fn data_panel(props: &DataPanelProps) -> Html {
    let thumbs = use_memo((), |_| previews());
    let c = &props.config;
    let emit = |f: fn(f64) -> Action| {
        let on_action = props.on_action.clone();
        Callback::from(move |v: f64| on_action.emit(f(v)))
    };
    let active = c.active_dataset();
    let show = |name: &str, h: Html| {
        if c.shows(name) {
            h
        } else {
            html! {}
        }
    };
    let picker = html! {
        <div class="datasets" role="group" aria-label="Dataset">
            { for thumbs.iter().map(|(d, pixels)| {
                let on_action = props.on_action.clone();
                let d = *d;
                let kind = if d.is_regression() { "regression" } else if d.classes() > 2 { "3 classes" } else { "2 classes" };
                html! {
                    <button class={classes!("dataset", (d == active).then_some("selected"))}
                        data-testid={format!("dataset-{}", d.as_str())} aria-pressed={(d == active).to_string()}
                        title={format!("{} ({kind})", d.label())}
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
    html! {
        <div class="data-panel">
            { show("dataset", picker) }
            { show("percTrainData", slider("perc-train", "Training data", (10.0, 90.0, 10.0), f64::from(c.perc_train_data),
                format!("{}%", c.perc_train_data), emit(|v| Action::SetPercTrainData(v as u32)))) }
            { show("percValData", slider("perc-val", "Validation (of training)", (0.0, 50.0, 5.0), f64::from(c.perc_val_data),
                format!("{}%", c.perc_val_data), emit(|v| Action::SetPercValData(v as u32)))) }
            { show("noise", slider("noise", "Noise", (0.0, 50.0, 5.0), f64::from(c.noise), c.noise.to_string(),
                emit(|v| Action::SetNoise(v as u32)))) }
            { show("batchSize", slider("batch-size", "Batch size", (1.0, 50.0, 1.0), f64::from(c.batch_size.min(50)),
                c.batch_size.to_string(), emit(|v| Action::SetBatchSize(v as u32)))) }
            { show("samples", select("samples", "Samples",
                SAMPLES.iter().map(|n| (n.to_string(), n.to_string())).collect(), &c.sample_count().to_string(), on_samples)) }
            <button class="btn" data-testid="regenerate" onclick={regenerate} title="New points from a new data seed">
                { "Regenerate" }
            </button>
            { if c.problem == Problem::Regression { html! { <p class="hint">{ "Regression: colour shows the target value." }</p> } } else { html! {} } }
        </div>
    }
}
