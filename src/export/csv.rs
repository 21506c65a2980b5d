//! The data and the metrics history as CSV.

use std::fmt::Write;

use super::python::num;
use super::Experiment;
use crate::session::Record;

/// One row per example: `split`, the input features as the engine computes them (the exact f32
/// values), then the class index (`label`) or the regression `target`.
pub fn data_csv(e: &Experiment) -> String {
    let label = if e.classes > 1 { "label" } else { "target" };
    let mut out = format!("split,{},{label}\n", e.columns.join(","));
    for r in &e.rows {
        let x: Vec<String> = r.x.iter().map(|&v| num(v)).collect();
        let y = if e.classes > 1 {
            format!("{}", r.label as i64)
        } else {
            num(r.label)
        };
        let _ = writeln!(out, "{},{},{y}", r.split, x.join(","));
    }
    out
}

fn cell(v: Option<f64>) -> String {
    v.map(|v| num(v as f32)).unwrap_or_default()
}

/// One row per recorded epoch (the page keeps a bounded, evenly thinned history); empty cells
/// where a split is empty or the problem has no accuracy (or, for the AUC, not two classes).
pub fn history_csv(history: &[Record]) -> String {
    let mut out =
        String::from("epoch,loss_train,loss_val,loss_test,accuracy_train,accuracy_test,auc_test\n");
    for r in history {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            r.epoch,
            num(r.loss_train as f32),
            cell(r.loss_val),
            cell(r.loss_test),
            cell(r.acc_train),
            cell(r.acc_test),
            cell(r.auc_test)
        );
    }
    out
}
