//! What takes the decision boundary's place when the inputs are not points of a plane (a
//! shipped dataset): for images, test digits with the network's answer and the truth, mistakes
//! first, and the first layer's weights drawn as images (what each unit looks for); for a
//! table, the test rows on their first two principal components, marked where the network errs;
//! for a number to predict, each test row's prediction against its true value.
//! The host reads the network's outputs on the data's test sample where it would read the grid
//! (`session::snapshot::grid_rows`), so `snapshot.output[i]` is test row `i`'s output.

use std::rc::Rc;

use np_engine::nn::OutputUnit;
use np_engine::train::metrics::{positive_score, predicted_classes};
use yew::prelude::*;

use super::group_rates::GroupRates;
use super::pixel_canvas::PixelCanvas;
use super::png_button::PngButton;
use crate::analysis::fit::fit;
use crate::analysis::pca::Pca;
use crate::draw::fit::fit_scene;
use crate::draw::images::{grey, scatter, weights};
use crate::draw::scene::fmt_tick;
use crate::draw::scene_canvas::SceneCanvas;
use crate::session::shipped::{TargetScale, Wide};
use crate::session::{Point, Snapshot};

/// Test images shown: six rows of eight.
const SHOWN: usize = 48;
/// First-layer units drawn as weight images.
const UNITS_SHOWN: usize = 16;
/// A table with at most this many test rows is shown row by row instead of projected.
const SMALL_TABLE: usize = 20;

#[derive(Properties, PartialEq)]
pub struct WideViewProps {
    pub snapshot: Rc<Snapshot>,
}

/// The predicted class of each test-sample row, by the trainer's own rule; empty before the
/// host's first read.
pub fn predictions(snapshot: &Snapshot) -> Vec<usize> {
    let outputs = snapshot.output.first().map_or(0, Vec::len);
    if outputs == 0 {
        return Vec::new();
    }
    let unit = if outputs == 1 {
        OutputUnit::Sigmoid
    } else {
        OutputUnit::Softmax
    };
    let flat: Vec<f32> = snapshot
        .output
        .iter()
        .flatten()
        .map(|&v| v as f32)
        .collect();
    predicted_classes(&flat, outputs, unit)
}

/// Indices of the test sample, the network's mistakes first (each group in sample order).
pub fn mistakes_first(predicted: &[usize], labels: &[f64]) -> Vec<usize> {
    let wrong = |i: &usize| predicted.get(*i).is_some_and(|&p| p as f64 != labels[*i]);
    let (mut order, right): (Vec<usize>, Vec<usize>) = (0..labels.len()).partition(wrong);
    order.extend(right);
    order
}

fn class_name(wide: &Wide, k: usize) -> String {
    wide.class_names
        .get(k)
        .cloned()
        .unwrap_or_else(|| k.to_string())
}

#[function_component(WideView)]
pub fn wide_view(props: &WideViewProps) -> Html {
    let s = &props.snapshot;
    let Some(wide) = s.data.wide.as_ref() else {
        return html! {};
    };
    let predicted = predictions(s);
    let labels = &wide.test.labels;
    let wrong = predicted
        .iter()
        .zip(labels)
        .filter(|(&p, &l)| p as f64 != l)
        .count();
    let judged = predicted.len().min(labels.len());
    let tally = if judged == 0 {
        "Not evaluated yet.".to_string()
    } else {
        format!("{wrong} of these {judged} test rows are wrong.")
    };
    let body = match wide.image {
        Some((h, w)) => {
            let order = mistakes_first(&predicted, labels);
            let tiles = order.iter().take(SHOWN).map(|&i| {
                let truth = labels[i] as usize;
                let guess = predicted.get(i).copied();
                let is_wrong = guess.is_some_and(|g| g != truth);
                let caption = match guess {
                    Some(g) => format!("{} → {}", class_name(wide, truth), class_name(wide, g)),
                    None => class_name(wide, truth),
                };
                html! {
                    <figure class={classes!("test-image", is_wrong.then_some("wrong"))} data-testid={format!("test-image-{i}")}
                        data-true={truth.to_string()} data-predicted={guess.map(|g| g.to_string()).unwrap_or_default()}>
                        <PixelCanvas pixels={grey(&wide.test.rows[i], h, w)}
                            label={format!("A test {}, read as {}", class_name(wide, truth), guess.map_or("nothing yet".to_string(), |g| class_name(wide, g)))} />
                        <figcaption>{ caption }</figcaption>
                    </figure>
                }
            });
            let first = s.layers.first();
            let units = first.map_or(0, |l| l.w.len());
            let what = if s.layers.len() == 1 {
                "Each class's weights: blue pixels count for the class, orange against it. A linear model's weights are the template it compares each image with."
            } else {
                "Each first-layer unit's weights: blue pixels raise the unit, orange lower it. Each unit looks for a pattern; the layers after combine them."
            };
            let weight_tiles = first.into_iter().flat_map(|l| l.w.iter().enumerate().take(UNITS_SHOWN)).map(|(u, row)| {
                let name = if s.layers.len() == 1 { class_name(wide, u) } else { format!("unit {}", u + 1) };
                html! {
                    <figure class="weight-image" data-testid={format!("weight-image-{u}")}>
                        <PixelCanvas pixels={weights(row, h, w)} label={format!("The weights of {name} as an image")} />
                        <figcaption>{ name }</figcaption>
                    </figure>
                }
            });
            html! {
                <>
                    <p class="hint">{ "Test images with the true class → the network's answer; the mistakes come first, outlined. " }
                        <span data-testid="test-mistakes" data-value={wrong.to_string()}>{ tally }</span></p>
                    <div class="test-images" data-testid="test-images">{ for tiles }</div>
                    <h4>{ "First-layer weights" }</h4>
                    <p class="hint">{ what }{ if units > UNITS_SHOWN { format!(" The first {UNITS_SHOWN} of {units} units.") } else { String::new() } }</p>
                    <div class="weight-images" data-testid="weight-images">{ for weight_tiles }</div>
                </>
            }
        }
        None if wide.class_names.is_empty() => regression_fit(s, wide),
        None if wide.test.rows.len() <= SMALL_TABLE => {
            // A handful of rows (the course's table): every row with the network's answer.
            let outputs = &s.output;
            let body = wide.test.rows.iter().enumerate().map(|(i, row)| {
                let p = outputs.get(i).map(|o| positive_score(o));
                let guess = predicted.get(i).copied();
                let wrong = guess.is_some_and(|g| g as f64 != labels[i]);
                html! {
                    <tr data-testid={format!("row-{i}")} class={classes!(wrong.then_some("wrong"))}>
                        { for row.iter().map(|v| html! { <td>{ format!("{v}") }</td> }) }
                        <td>{ class_name(wide, labels[i] as usize) }</td>
                        <td data-testid={format!("row-{i}-p")} data-value={p.map(|p| p.to_string()).unwrap_or_default()}>
                            { p.map(|p| format!("{p:.3}")).unwrap_or_default() }</td>
                        <td>{ guess.map(|g| class_name(wide, g)).unwrap_or_default() }</td>
                    </tr>
                }
            });
            let positive = wide
                .class_names
                .get(1)
                .cloned()
                .unwrap_or_else(|| "1".into());
            html! {
                <>
                    <p class="hint">{ format!("Every row with its true answer, the probability the network gives class {positive}, and its answer (0.5 is the boundary). ") }
                        <span data-testid="test-mistakes" data-value={wrong.to_string()}>{ tally }</span></p>
                    <table class="rows-table" data-testid="rows-table">
                        <thead><tr>
                            { for wide.names.iter().map(|n| html! { <th scope="col">{ n.clone() }</th> }) }
                            <th scope="col">{ "y" }</th>
                            <th scope="col">{ format!("p({positive})") }</th>
                            <th scope="col">{ "answer" }</th>
                        </tr></thead>
                        <tbody>{ for body }</tbody>
                    </table>
                </>
            }
        }
        None => {
            let rows: Vec<Vec<f64>> = wide
                .test
                .rows
                .iter()
                .map(|r| r.iter().map(|&v| f64::from(v)).collect())
                .collect();
            let pca = Pca::fit(&rows, 2);
            let (mut right, mut wrong_points) = (Vec::new(), Vec::new());
            if let Some(p) = &pca {
                for (i, r) in rows.iter().enumerate() {
                    let xy = p.project(r);
                    let point = Point {
                        x: xy.first().copied().unwrap_or(0.0),
                        y: xy.get(1).copied().unwrap_or(0.0),
                        label: labels[i],
                    };
                    if predicted.get(i).is_some_and(|&g| g as f64 != labels[i]) {
                        wrong_points.push(point);
                    } else {
                        right.push(point);
                    }
                }
            }
            let explained = pca.as_ref().map_or(0.0, Pca::explained);
            let label = format!(
                "{} test rows on their first two principal components ({:.0} % of the spread); {}",
                rows.len(),
                explained * 100.0,
                tally
            );
            html! {
                <>
                    <p class="hint">{ format!("The test rows projected onto their first two principal components (they keep {:.0} % of the inputs' spread). Colour and shape: the true class ({}); a dark ring: the network's answer is wrong. ",
                        explained * 100.0,
                        wide.class_names.iter().enumerate().map(|(k, n)| format!("{} {n}", ["disc", "square", "diamond"][k % 3])).collect::<Vec<_>>().join(", ")) }
                        <span data-testid="test-mistakes" data-value={wrong.to_string()}>{ tally }</span></p>
                    <PixelCanvas pixels={scatter(&right, &wrong_points, s.data.classes, 320)} class="plane-canvas" testid="rows-pca" label={label} />
                    <p class="hint">{ format!("Inputs, standardized on the training rows: {}.", wide.names.join(", ")) }</p>
                    <GroupRates snapshot={s.clone()} />
                </>
            }
        }
    };
    html! {
        <div class="wide-view" data-testid="wide-view">
            <PngButton panel="wide-view" />
            { body }
        </div>
    }
}

/// A table with a number to predict: each test row's prediction against its true value, in the
/// target's units, with the fit's RMSE and R² on the rows shown.
fn regression_fit(s: &Snapshot, wide: &Wide) -> Html {
    let scale = wide.target.clone().unwrap_or(TargetScale {
        name: "target".into(),
        mean: 0.0,
        std: 1.0,
    });
    let pairs: Vec<(f64, f64)> = wide
        .test
        .labels
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            let p = s.output.get(i).and_then(|o| o.first()).copied();
            (scale.units(y), p.map_or(f64::NAN, |p| scale.units(p)))
        })
        .collect();
    let fitted = fit(&pairs);
    let name = &scale.name;
    let summary = match fitted {
        Some(f) => format!(
            "Off by {} on average (RMSE); R² {}.",
            fmt_tick(f.rmse),
            if f.r2.is_finite() {
                format!("{:.3}", f.r2)
            } else {
                "undefined (the values are all the same)".into()
            }
        ),
        None => "Not evaluated yet.".to_string(),
    };
    let label = format!(
        "{} test rows, predicted {name} against true {name}. {summary}",
        pairs.len()
    );
    html! {
        <>
            <p class="hint">{ format!("Each dot is a test row: its true {name} across, the network's prediction up. On the diagonal the prediction is exact; above it the network guesses too high. ") }
                <span data-testid="fit-summary" data-rmse={fitted.map(|f| f.rmse.to_string()).unwrap_or_default()}
                    data-r2={fitted.map(|f| f.r2.to_string()).unwrap_or_default()}>{ summary }</span></p>
            <SceneCanvas scene={fit_scene(&pairs, name, 320.0, 300.0)} label={label} testid={Some(AttrValue::from("fit-plot"))} />
            <p class="hint">{ format!("The network trains on {name} standardized (mean {}, standard deviation {} on the training rows): a loss of 1 is what always predicting the mean scores. Inputs, standardized the same way: {}.",
                fmt_tick(f64::from(scale.mean)), fmt_tick(f64::from(scale.std)), wide.names.join(", ")) }</p>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mistakes_come_first_in_sample_order() {
        let order = mistakes_first(&[1, 0, 2, 2], &[1.0, 1.0, 0.0, 2.0]);
        assert_eq!(order, vec![1, 2, 0, 3]);
        // Before the first read nothing counts as wrong.
        assert_eq!(mistakes_first(&[], &[1.0, 0.0]), vec![0, 1]);
    }
}
