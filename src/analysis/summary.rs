//! The Keras-style model summary: one row per dense layer with its output shape and parameter
//! count, then the totals. Built from layer widths, so it is right by construction for whatever
//! network the session actually holds.

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// Keras-like name: `dense`, `dense_1`, ...
    pub name: String,
    /// The layer type, `Dense`, as Keras prints it.
    pub kind: String,
    /// The layer's nonlinearity (empty when not given).
    pub activation: String,
    /// `(None, units)`: None is the batch dimension, as Keras prints it.
    pub output_shape: String,
    /// Weights plus biases.
    pub params: usize,
}

/// The whole table.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub rows: Vec<SummaryRow>,
    pub total: usize,
    pub trainable: usize,
    pub non_trainable: usize,
}

/// Parameters of a dense layer from `n_in` inputs to `n_out` units: a weight per pair and a
/// bias per unit.
pub fn dense_params(n_in: usize, n_out: usize) -> usize {
    n_in * n_out + n_out
}

/// The summary of a stack of dense layers. `widths` starts with the input width; `activations`
/// names each layer's nonlinearity (one per layer after the input); `frozen` says per layer
/// whether its weights and its biases are frozen (missing layers train), which Keras counts as
/// non-trainable.
pub fn summarize(widths: &[usize], activations: &[&str], frozen: &[(bool, bool)]) -> Summary {
    let rows: Vec<SummaryRow> = widths
        .windows(2)
        .enumerate()
        .map(|(i, w)| SummaryRow {
            name: if i == 0 {
                "dense".to_string()
            } else {
                format!("dense_{i}")
            },
            kind: "Dense".to_string(),
            activation: activations
                .get(i)
                .map_or_else(String::new, |a| a.to_string()),
            output_shape: format!("(None, {})", w[1]),
            params: dense_params(w[0], w[1]),
        })
        .collect();
    let total = rows.iter().map(|r| r.params).sum();
    let non_trainable = widths
        .windows(2)
        .zip(frozen)
        .map(|(w, &(kernel, bias))| usize::from(kernel) * w[0] * w[1] + usize::from(bias) * w[1])
        .sum::<usize>();
    Summary {
        rows,
        total,
        trainable: total - non_trainable,
        non_trainable,
    }
}

/// `407050` as `407,050`, the way Keras prints counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_parameter_counts() {
        // Concentric circles: 2-3-2, 17 parameters.
        let s = summarize(&[2, 3, 2], &["sigmoid", "softmax"], &[]);
        assert_eq!(s.total, 17);
        assert_eq!(s.rows[0].params, 9);
        assert_eq!(s.rows[1].params, 8);
        assert_eq!(s.rows[1].output_shape, "(None, 2)");
        assert_eq!(s.rows[1].name, "dense_1");
        assert_eq!(s.rows[0].kind, "Dense");
        assert_eq!(s.rows[0].activation, "sigmoid");
        // Two moons: Dense(3) tanh + Dense(1) sigmoid, 13 parameters.
        assert_eq!(summarize(&[2, 3, 1], &[], &[]).total, 13);
        // MNIST: Dense(512, relu) + Dense(10, softmax) = 401,920 + 5,130 = 407,050.
        let m = summarize(&[784, 512, 10], &["relu", "softmax"], &[]);
        assert_eq!((m.rows[0].params, m.rows[1].params), (401_920, 5_130));
        assert_eq!(thousands(m.total), "407,050");
        assert_eq!(m.trainable, m.total);
        assert_eq!(m.non_trainable, 0);
    }

    #[test]
    fn frozen_tensors_count_as_non_trainable() {
        // The course's steps: 100 fixed steps and a fixed output bias, 100 weights train.
        let s = summarize(&[1, 100, 1], &[], &[(true, true), (false, true)]);
        assert_eq!((s.total, s.trainable, s.non_trainable), (301, 100, 201));
    }

    #[test]
    fn no_layers_no_rows() {
        let s = summarize(&[2], &[], &[]);
        assert!(s.rows.is_empty());
        assert_eq!(s.total, 0);
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
