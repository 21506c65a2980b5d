//! What the panels draw: metrics, the decimated history, the output over the input plane, every
//! neuron's output over the plane, and the parameters.

use std::rc::Rc;

use super::{Data, Record, Session, DOMAIN};
use crate::config::Feature;

/// One weight layer's parameters: `w[to][from]`, `b[to]`.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerView {
    pub w: Vec<Vec<f64>>,
    pub b: Vec<f64>,
}

/// A frame's worth of drawable state.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The session version it was taken at; equality compares only this.
    pub version: u64,
    pub epoch: u64,
    pub latest: Record,
    pub history: Vec<Record>,
    /// Grid side; cell (row, col) is at x = -6 + (col + 0.5) * 12 / grid and y = 6 - (row + 0.5) *
    /// 12 / grid, so row 0 is the top of the plane (drawn the right way up).
    pub grid: usize,
    /// Network output per cell, row-major: class probabilities (one sigmoid unit for two classes)
    /// or the regression value.
    pub output: Vec<Vec<f64>>,
    /// Hidden neurons' outputs per cell: `[layer][neuron][cell]`.
    pub neurons: Vec<Vec<Vec<f64>>>,
    pub layers: Vec<LayerView>,
    pub features: Vec<Feature>,
    pub data: Rc<Data>,
    pub diverged: Option<String>,
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
    }
}

/// The input-plane coordinate of a grid cell's centre.
pub fn cell_xy(grid: usize, row: usize, col: usize) -> (f64, f64) {
    let step = 2.0 * DOMAIN / grid as f64;
    (
        -DOMAIN + (col as f64 + 0.5) * step,
        DOMAIN - (row as f64 + 0.5) * step,
    )
}

pub(super) fn take(s: &Session, grid: usize) -> Snapshot {
    let hidden = s.net.layers.len().saturating_sub(1);
    let mut neurons: Vec<Vec<Vec<f64>>> = s.net.layers[..hidden]
        .iter()
        .map(|l| vec![Vec::with_capacity(grid * grid); l.b.len()])
        .collect();
    let mut output = Vec::with_capacity(grid * grid);
    let one_d = s.config.active_dataset().is_one_dimensional();
    for row in 0..grid {
        for col in 0..grid {
            let (x, y) = cell_xy(grid, row, col);
            let y = if one_d { 0.0 } else { y };
            let outs = s.net.forward(&s.inputs(x, y));
            for (l, layer) in outs.iter().take(hidden).enumerate() {
                for (n, v) in layer.iter().enumerate() {
                    neurons[l][n].push(*v);
                }
            }
            output.push(outs.last().cloned().unwrap_or_default());
        }
    }
    Snapshot {
        version: s.version,
        epoch: s.epoch,
        latest: s.latest,
        history: s.history.records().to_vec(),
        grid,
        output,
        neurons,
        layers: s
            .net
            .layers
            .iter()
            .map(|l| LayerView {
                w: l.w.clone(),
                b: l.b.clone(),
            })
            .collect(),
        features: s.features.clone(),
        data: s.data.clone(),
        diverged: s.diverged.clone(),
    }
}
