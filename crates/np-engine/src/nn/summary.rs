//! A Keras-style model summary: each layer, its output shape, its parameter count, totals.

use super::spec::ModelSpec;
use serde::{Deserialize, Serialize};

/// One row of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// `dense_1`, `dense_2`, ...
    pub layer: String,
    /// `(None, units)` as Keras prints it.
    pub output_shape: String,
    pub params: usize,
}

/// The whole summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub rows: Vec<SummaryRow>,
    pub total: usize,
    pub trainable: usize,
    pub non_trainable: usize,
}

impl Summary {
    /// The summary of a spec: a dense layer of `n_in -> n_out` has `n_in * n_out + n_out`
    /// parameters; a hidden layer with dropout adds a `Dropout` row with none, as Keras lists it.
    pub fn of(spec: &ModelSpec) -> Self {
        let mut rows = Vec::new();
        let mut dropouts = 0;
        for (i, w) in spec.widths().windows(2).enumerate() {
            rows.push(SummaryRow {
                layer: format!("dense_{} (Dense)", i + 1),
                output_shape: format!("(None, {})", w[1]),
                params: w[0] * w[1] + w[1],
            });
            if spec.hidden.get(i).is_some_and(|h| h.dropout > 0.0) {
                dropouts += 1;
                rows.push(SummaryRow {
                    layer: format!("dropout_{dropouts} (Dropout)"),
                    output_shape: format!("(None, {})", w[1]),
                    params: 0,
                });
            }
        }
        let total = rows.iter().map(|r| r.params).sum();
        // Frozen tensors count as Keras counts a layer with `trainable = False`.
        let non_trainable = spec
            .widths()
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let f = spec.frozen_of(i);
                usize::from(f.kernel) * w[0] * w[1] + usize::from(f.bias) * w[1]
            })
            .sum::<usize>();
        Self {
            rows,
            total,
            trainable: total - non_trainable,
            non_trainable,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{:<22}{:<18}{:>10}",
            "Layer (type)", "Output Shape", "Param #"
        )?;
        for r in &self.rows {
            writeln!(f, "{:<22}{:<18}{:>10}", r.layer, r.output_shape, r.params)?;
        }
        writeln!(f, "Total params: {}", self.total)?;
        writeln!(f, "Trainable params: {}", self.trainable)?;
        write!(f, "Non-trainable params: {}", self.non_trainable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{Activation, Init, OutputUnit};
    #[test]
    fn counts_match_keras_for_the_course_examples() {
        let moons = ModelSpec::mlp(
            2,
            &[3],
            Activation::Tanh,
            1,
            OutputUnit::Sigmoid,
            Init::GlorotUniform,
        );
        assert_eq!(Summary::of(&moons).total, 13);
        let circles = ModelSpec::mlp(
            2,
            &[3],
            Activation::Sigmoid,
            2,
            OutputUnit::Softmax,
            Init::GlorotUniform,
        );
        assert_eq!(Summary::of(&circles).total, 17);
        let mnist = ModelSpec::mlp(
            784,
            &[512],
            Activation::Relu,
            10,
            OutputUnit::Softmax,
            Init::GlorotUniform,
        );
        let s = Summary::of(&mnist);
        assert_eq!(
            (s.rows[0].params, s.rows[1].params, s.total),
            (401_920, 5_130, 407_050)
        );
        assert!(s.to_string().contains("Total params: 407050"));
        let mut dropped = mnist.clone();
        dropped.hidden[0].dropout = 0.5;
        let d = Summary::of(&dropped);
        assert_eq!(
            (d.rows.len(), d.rows[1].layer.as_str(), d.total),
            (3, "dropout_1 (Dropout)", 407_050)
        );
    }
}
