//! Metrics computed on the host from predictions: loss, accuracy, ROC AUC, confusion matrix, R2.

use crate::nn::{Loss, OutputUnit};
use serde::{Deserialize, Serialize};

/// Metrics of one split. Classification fills `accuracy` (and `auc` for two classes);
/// regression fills `r2`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EvalMetrics {
    pub loss: f32,
    pub accuracy: Option<f32>,
    pub auc: Option<f32>,
    pub r2: Option<f32>,
    pub samples: usize,
}

/// The class one row of output-unit values predicts: the first largest value with several
/// outputs; with one output, class 1 iff the value is above the cut (0.5 for a sigmoid's
/// probability and for a linear unit fitted to 0/1 targets, 0 for tanh's +-1 convention). A tie
/// goes to class 0, and so does NaN. Accuracy, the confusion matrix and the app's panels all
/// use this rule.
pub fn predicted_class<T: Copy + Into<f64>>(row: &[T], unit: OutputUnit) -> usize {
    match row {
        [v] => usize::from((*v).into() > single_output_cut(unit)),
        _ => first_argmax(row),
    }
}

/// [`predicted_class`] from the output layer's pre-activations (logits) instead of its
/// values: the output units are monotone, so a sigmoid's `p > 0.5` is `z > 0`, tanh's
/// `tanh z > 0` is `z > 0`, and softmax's largest probability is the largest logit.
pub fn predicted_class_from_logits<T: Copy + Into<f64>>(logits: &[T], unit: OutputUnit) -> usize {
    match logits {
        [z] => {
            let cut = match unit {
                OutputUnit::Linear => single_output_cut(unit),
                OutputUnit::Sigmoid | OutputUnit::Softmax | OutputUnit::Tanh => 0.0,
            };
            usize::from((*z).into() > cut)
        }
        _ => first_argmax(logits),
    }
}

fn single_output_cut(unit: OutputUnit) -> f64 {
    if unit == OutputUnit::Tanh {
        0.0
    } else {
        0.5
    }
}

/// Index of the first largest value; NaN never wins, and a row starting with NaN gives 0.
fn first_argmax<T: Copy + Into<f64>>(row: &[T]) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if let Some(&b) = row.get(best) {
            if v.into() > b.into() {
                best = j;
            }
        }
    }
    best
}

/// Predicted class per row from output-unit values `[n, outputs]` ([`predicted_class`]).
pub fn predicted_classes(pred: &[f32], outputs: usize, unit: OutputUnit) -> Vec<usize> {
    pred.chunks_exact(outputs.max(1))
        .map(|r| predicted_class(r, unit))
        .collect()
}

/// Fraction of rows whose predicted class equals the label.
pub fn accuracy(pred_classes: &[usize], labels: &[f32]) -> f32 {
    if labels.is_empty() {
        return 0.0;
    }
    let hits = pred_classes
        .iter()
        .zip(labels)
        .filter(|(&p, &l)| p as f32 == l)
        .count();
    hits as f32 / labels.len() as f32
}

/// `m[true][predicted]` counts.
pub fn confusion_matrix(pred_classes: &[usize], labels: &[f32], classes: usize) -> Vec<Vec<usize>> {
    let mut m = vec![vec![0; classes]; classes];
    for (&p, &l) in pred_classes.iter().zip(labels) {
        if let Some(row) = m.get_mut(l as usize) {
            if let Some(c) = row.get_mut(p) {
                *c += 1;
            }
        }
    }
    m
}

/// The positive class's score in one row of a two-class model's outputs: the single sigmoid
/// unit, or softmax's probability of class 1. NaN for an empty row, which no model produces.
pub fn positive_score<T: Copy + Into<f64>>(row: &[T]) -> f64 {
    match row {
        [] => f64::NAN,
        [only] => (*only).into(),
        [_, second, ..] => (*second).into(),
    }
}

/// Area under the ROC curve for scores of the positive class and 0/1 labels: the probability
/// that a random positive scores above a random negative (ties count half), by ranking.
pub fn roc_auc(scores: &[f32], labels: &[f32]) -> Option<f32> {
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let pos = labels.iter().filter(|&&l| l > 0.5).count() as f64;
    let neg = labels.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    // Sum of the positives' average ranks (1-based), ties sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += (i..=j).filter(|&k| labels[idx[k]] > 0.5).count() as f64 * mean_rank;
        i = j + 1;
    }
    Some(((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)) as f32)
}

/// The ROC curve of scores for the positive class and 0/1 labels: (false-positive rate,
/// true-positive rate) as the threshold falls from above every score to below it, from (0, 0)
/// to (1, 1). Tied scores move together in one step (a diagonal segment), so the trapezoid area
/// under the curve is exactly [`roc_auc`]. `None` unless both classes are present.
pub fn roc_curve(scores: &[f32], labels: &[f32]) -> Option<Vec<(f64, f64)>> {
    let n = scores.len().min(labels.len());
    let pos = labels[..n].iter().filter(|&&l| l > 0.5).count();
    let neg = n - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..n).collect();
    // Highest score first; total_cmp gives NaN a fixed place, as in roc_auc.
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut points = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && scores[idx[j]].total_cmp(&scores[idx[i]]).is_eq() {
            if labels[idx[j]] > 0.5 {
                tp += 1;
            } else {
                fp += 1;
            }
            j += 1;
        }
        points.push((fp as f64 / neg as f64, tp as f64 / pos as f64));
        i = j;
    }
    Some(points)
}

/// The trapezoid area under a curve of (x, y) points in rising x.
pub fn area_under(points: &[(f64, f64)]) -> f64 {
    points
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
        .sum()
}

/// Coefficient of determination `1 - SS_res / SS_tot`.
pub fn r2(pred: &[f32], y: &[f32]) -> f32 {
    let n = y.len().max(1) as f64;
    let mean = y.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let ss_tot: f64 = y.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum();
    let ss_res: f64 = pred
        .iter()
        .zip(y)
        .map(|(&p, &v)| f64::from(p - v).powi(2))
        .sum();
    if ss_tot == 0.0 {
        return 0.0;
    }
    (1.0 - ss_res / ss_tot) as f32
}

/// The data loss (no penalty) from output-unit values and dense targets, both `[n, outputs]`.
/// Cross-entropies clip probabilities to `[1e-7, 1 - 1e-7]` as Keras does.
pub fn loss_from_predictions(loss: Loss, pred: &[f32], targets: &[f32], outputs: usize) -> f32 {
    let rows = (pred.len() / outputs.max(1)).max(1) as f64;
    let clip = |p: f32| f64::from(p).clamp(1e-7, 1.0 - 1e-7);
    let total: f64 = match loss {
        Loss::Mse | Loss::SumSquares => {
            let s: f64 = pred
                .iter()
                .zip(targets)
                .map(|(&p, &t)| f64::from(p - t).powi(2))
                .sum();
            return if loss == Loss::Mse {
                (s / pred.len().max(1) as f64) as f32
            } else {
                s as f32
            };
        }
        Loss::BinaryCrossEntropy => pred
            .iter()
            .zip(targets)
            .map(|(&p, &t)| {
                -(f64::from(t) * clip(p).ln() + (1.0 - f64::from(t)) * (1.0 - clip(p)).ln())
            })
            .sum(),
        Loss::CategoricalCrossEntropy => pred
            .iter()
            .zip(targets)
            .map(|(&p, &t)| -f64::from(t) * clip(p).ln())
            .sum(),
    };
    (total / rows) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_positive_score_is_the_sigmoid_or_softmaxs_class_one() {
        assert_eq!(positive_score(&[0.8f32]), f64::from(0.8f32));
        assert_eq!(positive_score(&[0.3, 0.7]), 0.7);
        assert_eq!(positive_score(&[0.1, 0.6, 0.3]), 0.6);
        assert!(positive_score::<f64>(&[]).is_nan());
    }
    #[test]
    fn the_roc_curves_area_is_the_rank_auc() {
        // Coarse scores so ties are common, both label shares, a NaN score among them.
        let mut rng = crate::rng::Rng::new(7);
        for case in 0..200 {
            let n = 2 + case % 40;
            let mut scores: Vec<f32> = (0..n)
                .map(|_| (rng.uniform(0.0, 1.0) * 8.0).floor() as f32 / 8.0)
                .collect();
            if case % 17 == 0 {
                scores[0] = f32::NAN;
            }
            let labels: Vec<f32> = (0..n)
                .map(|_| {
                    f32::from(u8::from(
                        rng.uniform(0.0, 1.0) < 0.3 + (case % 5) as f64 / 10.0,
                    ))
                })
                .collect();
            let (Some(curve), Some(auc)) = (roc_curve(&scores, &labels), roc_auc(&scores, &labels))
            else {
                assert_eq!(roc_curve(&scores, &labels), None, "case {case}");
                continue;
            };
            assert_eq!(curve.first(), Some(&(0.0, 0.0)));
            assert_eq!(curve.last(), Some(&(1.0, 1.0)));
            assert!(
                curve
                    .windows(2)
                    .all(|w| w[1].0 >= w[0].0 && w[1].1 >= w[0].1),
                "case {case}: monotone"
            );
            assert!(
                (area_under(&curve) - f64::from(auc)).abs() < 1e-6,
                "case {case}"
            );
        }
    }

    #[test]
    fn metrics_on_literal_cases() {
        assert_eq!(
            roc_auc(&[0.1, 0.4, 0.35, 0.8], &[0.0, 0.0, 1.0, 1.0]),
            Some(0.75)
        );
        assert_eq!(roc_auc(&[0.5, 0.5], &[0.0, 1.0]), Some(0.5));
        assert_eq!(
            roc_curve(&[0.1, 0.4, 0.35, 0.8], &[0.0, 0.0, 1.0, 1.0]),
            Some(vec![
                (0.0, 0.0),
                (0.0, 0.5),
                (0.5, 0.5),
                (0.5, 1.0),
                (1.0, 1.0)
            ])
        );
        // A tie is one diagonal step, worth half.
        assert_eq!(
            roc_curve(&[0.5, 0.5], &[0.0, 1.0]),
            Some(vec![(0.0, 0.0), (1.0, 1.0)])
        );
        assert_eq!(roc_curve(&[0.3, 0.6], &[1.0, 1.0]), None);
        assert_eq!(
            confusion_matrix(&[0, 1, 1], &[0.0, 1.0, 0.0], 2),
            vec![vec![1, 1], vec![0, 1]]
        );
        assert!((r2(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]) - 1.0).abs() < 1e-6);
        assert_eq!(
            predicted_classes(&[0.1, 0.7, 0.2], 3, OutputUnit::Softmax),
            vec![1]
        );
        // The course's worked example in nats: -ln(0.775) = 0.2549 (0.3677 in bits).
        let l = loss_from_predictions(
            Loss::CategoricalCrossEntropy,
            &[0.775, 0.225],
            &[1.0, 0.0],
            2,
        );
        assert!((l - 0.2549).abs() < 1e-3);
    }

    #[test]
    fn a_tie_predicts_class_zero() {
        // p = 0.5 exactly is not above the cut: class 0, in accuracy as in the confusion matrix.
        assert_eq!(predicted_class(&[0.5_f32], OutputUnit::Sigmoid), 0);
        assert_eq!(predicted_class(&[0.500_001_f32], OutputUnit::Sigmoid), 1);
        assert_eq!(predicted_class(&[0.5_f64], OutputUnit::Sigmoid), 0);
        assert_eq!(predicted_class(&[0.0_f32], OutputUnit::Tanh), 0);
        assert_eq!(
            predicted_class(&[0.4_f32, 0.4, 0.2], OutputUnit::Softmax),
            0
        );
        assert_eq!(
            predicted_class(&[0.3_f64, 0.35, 0.35], OutputUnit::Softmax),
            1
        );
        let labels = [0.0, 1.0];
        let classes = predicted_classes(&[0.5, 0.5], 1, OutputUnit::Sigmoid);
        assert_eq!(classes, vec![0, 0]);
        assert_eq!(accuracy(&classes, &labels), 0.5);
        assert_eq!(
            confusion_matrix(&classes, &labels, 2),
            vec![vec![1, 0], vec![1, 0]]
        );
        // NaN never wins.
        assert_eq!(
            predicted_class(&[f64::NAN, f64::NAN], OutputUnit::Softmax),
            0
        );
        assert_eq!(predicted_class(&[f32::NAN], OutputUnit::Sigmoid), 0);
        assert_eq!(
            predicted_class(&[0.2_f64, f64::NAN, 0.7], OutputUnit::Softmax),
            2
        );
    }

    #[test]
    fn logits_predict_what_the_output_units_predict() {
        let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
        for z in [-3.0, -1e-9, 0.0, 1e-9, 0.2, 4.0] {
            assert_eq!(
                predicted_class_from_logits(&[z], OutputUnit::Sigmoid),
                predicted_class(&[sigmoid(z)], OutputUnit::Sigmoid),
                "sigmoid at {z}"
            );
            assert_eq!(
                predicted_class_from_logits(&[z], OutputUnit::Tanh),
                predicted_class(&[z.tanh()], OutputUnit::Tanh),
                "tanh at {z}"
            );
            assert_eq!(
                predicted_class_from_logits(&[z], OutputUnit::Linear),
                predicted_class(&[z], OutputUnit::Linear),
                "linear at {z}"
            );
        }
        let logits = [1.0_f64, 3.0, 2.0];
        let m = 3.0_f64;
        let e: Vec<f64> = logits.iter().map(|z| (z - m).exp()).collect();
        let probs: Vec<f64> = e.iter().map(|v| v / e.iter().sum::<f64>()).collect();
        assert_eq!(
            predicted_class_from_logits(&logits, OutputUnit::Softmax),
            predicted_class(&probs, OutputUnit::Softmax)
        );
    }
}

/// One class's counts and scores, from a [`confusion_matrix`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    /// Rows of this class.
    pub support: usize,
    /// Rows predicted as this class.
    pub predicted: usize,
    /// Of this class's rows, the fraction predicted as it; `None` without such rows.
    pub recall: Option<f32>,
    /// Of the rows predicted as this class, the fraction that are; `None` when none is.
    pub precision: Option<f32>,
}

impl ClassScores {
    /// The harmonic mean of precision and recall; 0 when both are 0, `None` when either is
    /// undefined.
    pub fn f1(&self) -> Option<f32> {
        let (p, r) = (self.precision?, self.recall?);
        Some(if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        })
    }
}

/// Recall and precision per class from a confusion matrix (rows the true class, columns the
/// predicted one, as [`confusion_matrix`] makes it). On skewed data accuracy hides a class the
/// network never predicts; its recall of 0 shows it.
pub fn class_scores(confusion: &[Vec<usize>]) -> Vec<ClassScores> {
    let ratio = |hit: usize, of: usize| (of > 0).then(|| hit as f32 / of as f32);
    (0..confusion.len())
        .map(|c| {
            let hit = confusion[c].get(c).copied().unwrap_or(0);
            let support = confusion[c].iter().sum();
            let predicted = confusion
                .iter()
                .map(|row| row.get(c).copied().unwrap_or(0))
                .sum();
            ClassScores {
                support,
                predicted,
                recall: ratio(hit, support),
                precision: ratio(hit, predicted),
            }
        })
        .collect()
}

/// Balanced accuracy: the mean recall over the classes that occur in `labels`, so each class
/// counts the same however rare it is (always predicting the majority of a 95/5 split scores
/// 0.5, not 0.95). `None` when there are no labels.
pub fn balanced_accuracy(pred_classes: &[usize], labels: &[f32], classes: usize) -> Option<f32> {
    balanced_accuracy_of(&class_scores(&confusion_matrix(
        pred_classes,
        labels,
        classes,
    )))
}

/// [`balanced_accuracy`] from the per-class scores of a confusion matrix.
pub fn balanced_accuracy_of(scores: &[ClassScores]) -> Option<f32> {
    let recalls: Vec<f32> = scores.iter().filter_map(|s| s.recall).collect();
    (!recalls.is_empty()).then(|| recalls.iter().sum::<f32>() / recalls.len() as f32)
}

#[cfg(test)]
mod class_score_tests {
    use super::*;

    #[test]
    fn recall_precision_and_balanced_accuracy() {
        // 19 of class 0, 1 of class 1; everything predicted 0.
        let mut labels = vec![0.0; 19];
        labels.push(1.0);
        let pred = vec![0; 20];
        assert_eq!(accuracy(&pred, &labels), 0.95);
        assert_eq!(balanced_accuracy(&pred, &labels, 2), Some(0.5));
        let scores = class_scores(&confusion_matrix(&pred, &labels, 2));
        assert_eq!(
            scores,
            [
                ClassScores {
                    support: 19,
                    predicted: 20,
                    recall: Some(1.0),
                    precision: Some(0.95)
                },
                ClassScores {
                    support: 1,
                    predicted: 0,
                    recall: Some(0.0),
                    precision: None
                },
            ]
        );
        // Three classes, one absent from the labels: it does not count in the mean.
        let labels = [0.0, 0.0, 1.0, 1.0];
        let pred = [0, 2, 1, 1];
        assert_eq!(balanced_accuracy(&pred, &labels, 3), Some(0.75));
        let scores = class_scores(&confusion_matrix(&pred, &labels, 3));
        assert_eq!((scores[2].recall, scores[2].precision), (None, Some(0.0)));
        assert_eq!(scores[2].f1(), None);
        // Class 0: precision 1, recall 1/2 (its other row went to class 2); class 1: both 1.
        assert_eq!(scores[0].f1(), Some(2.0 * 0.5 / 1.5));
        assert_eq!(scores[1].f1(), Some(1.0));
        assert_eq!(balanced_accuracy_of(&scores), Some(0.75));
        let none = ClassScores {
            support: 3,
            predicted: 2,
            recall: Some(0.0),
            precision: Some(0.0),
        };
        assert_eq!(none.f1(), Some(0.0));
        assert_eq!(balanced_accuracy(&[], &[], 2), None);
    }
}
