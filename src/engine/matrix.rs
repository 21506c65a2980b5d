//! A tensor as a small table of numbers, each cell carrying its full-precision value in
//! `data-value` (for tests and for copying); large tensors show their top-left corner.

use yew::prelude::*;

/// Rows and columns shown at most.
const MAX_ROWS: usize = 8;
const MAX_COLS: usize = 8;

#[derive(Properties, PartialEq)]
pub struct MatrixProps {
    pub label: AttrValue,
    pub id: AttrValue,
    pub dims: Vec<usize>,
    pub values: Vec<f32>,
}

/// A number short enough for a cell: four significant digits.
pub fn short(v: f32) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return v.to_string();
    }
    let a = v.abs();
    if (1e-3..1e4).contains(&a) {
        let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
        format!("{v:.digits$}")
    } else {
        format!("{v:.3e}")
    }
}

#[function_component(Matrix)]
pub fn matrix(props: &MatrixProps) -> Html {
    let (rows, cols) = match props.dims.as_slice() {
        [] => (1, 1),
        [n] => (1, *n),
        [r, c, ..] => (*r, *c),
    };
    let shape = if props.dims.is_empty() {
        "scalar".to_string()
    } else {
        props
            .dims
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("×")
    };
    let cut = rows > MAX_ROWS || cols > MAX_COLS;
    html! {
        <figure class="np-matrix" data-testid={format!("stepper-{}", props.id)}>
            <figcaption><span class="np-matrix-name">{ props.label.clone() }</span>
                <span class="np-matrix-shape">{ format!(" [{shape}]") }{ if cut { " (corner)" } else { "" } }</span></figcaption>
            <table>
                { for (0..rows.min(MAX_ROWS)).map(|r| html! {
                    <tr>{ for (0..cols.min(MAX_COLS)).map(|c| {
                        let v = props.values.get(r * cols + c).copied();
                        html! { <td data-value={v.map(|v| f64::from(v).to_string())}>{ v.map(short).unwrap_or_default() }</td> }
                    }) }</tr>
                }) }
            </table>
        </figure>
    }
}
