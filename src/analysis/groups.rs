//! Rates per group of a categorical input: for each category (students and non-students, say)
//! how often the model calls each class and how often it is wrong there. A model can be
//! accurate over all rows and still turn down one group far more often, or miss its defaults
//! far more often, because its data did; the credit lesson shows it with these numbers.
//!
//! The host counts on the whole test part (`Session::finish_eval`), the page turns the counts
//! into rates (`wide_view`). Groups are read from the inputs as the network receives them.

/// A categorical input whose categories the test rows are grouped by.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Grouping {
    /// The column's name (`student`).
    pub name: String,
    /// Its categories, in the order of `inputs` (`No`, `Yes`).
    pub categories: Vec<String>,
    /// The network inputs that encode it. One input (a two-valued column standardized on the
    /// training rows): the second category where it is above 0, the training mean. Several
    /// (one-hot indicators): the category whose input is largest.
    pub inputs: Vec<usize>,
}

impl Grouping {
    /// Which category `row` (one network input row) belongs to.
    pub fn category(&self, row: &[f32]) -> usize {
        match self.inputs.as_slice() {
            [only] => usize::from(row.get(*only).is_some_and(|&v| v > 0.0)),
            many => {
                many.iter()
                    .enumerate()
                    .fold((0, f32::NEG_INFINITY), |(best, top), (k, &i)| {
                        match row.get(i) {
                            Some(&v) if v > top => (k, v),
                            _ => (best, top),
                        }
                    })
                    .0
            }
        }
    }
}

/// One grouping's counts on the test part: `confusion[category][true class][predicted class]`.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct GroupCounts {
    pub name: String,
    pub categories: Vec<String>,
    pub confusion: Vec<Vec<Vec<u32>>>,
}

/// Counts each grouping's confusion matrices over `rows` (`width` inputs each) with their true
/// `labels` and `predicted` classes; rows beyond the shortest of the three are ignored, as are
/// labels outside `classes`.
pub fn count(
    groupings: &[Grouping],
    rows: &[f32],
    width: usize,
    labels: &[f32],
    predicted: &[usize],
    classes: usize,
) -> Vec<GroupCounts> {
    groupings
        .iter()
        .map(|g| {
            let mut confusion = vec![vec![vec![0u32; classes]; classes]; g.categories.len()];
            for ((row, &label), &guess) in
                rows.chunks_exact(width.max(1)).zip(labels).zip(predicted)
            {
                let truth = label as usize;
                if label < 0.0 || truth >= classes || guess >= classes {
                    continue;
                }
                if let Some(m) = confusion.get_mut(g.category(row)) {
                    m[truth][guess] += 1;
                }
            }
            GroupCounts {
                name: g.name.clone(),
                categories: g.categories.clone(),
                confusion,
            }
        })
        .collect()
}

/// One category's rates, read from its confusion matrix.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    pub rows: u32,
    /// Share of the rows whose true class is `positive`.
    pub truly_positive: Option<f64>,
    /// Share the model calls `positive`.
    pub called_positive: Option<f64>,
    /// Share of the rows it gets wrong.
    pub error: Option<f64>,
    /// Of the rows truly `positive`, the share it calls something else (false-negative rate).
    pub missed: Option<f64>,
    /// Of the rows truly not `positive`, the share it calls `positive` (false-positive rate).
    pub false_alarm: Option<f64>,
}

impl Rates {
    /// The rates of `m` (`m[true][predicted]`) for class `positive`; a share of no rows is `None`.
    pub fn of(m: &[Vec<u32>], positive: usize) -> Self {
        let share = |part: u32, whole: u32| (whole > 0).then(|| f64::from(part) / f64::from(whole));
        let rows: u32 = m.iter().flatten().sum();
        let right: u32 = (0..m.len())
            .map(|k| m[k].get(k).copied().unwrap_or(0))
            .sum();
        let truly: u32 = m.get(positive).map_or(0, |r| r.iter().sum());
        let called: u32 = m
            .iter()
            .map(|r| r.get(positive).copied().unwrap_or(0))
            .sum();
        let hit = m
            .get(positive)
            .and_then(|r| r.get(positive))
            .copied()
            .unwrap_or(0);
        Self {
            rows,
            truly_positive: share(truly, rows),
            called_positive: share(called, rows),
            error: share(rows - right, rows),
            missed: share(truly - hit, truly),
            false_alarm: share(called - hit, rows - truly),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student() -> Grouping {
        Grouping {
            name: "student".into(),
            categories: vec!["No".into(), "Yes".into()],
            inputs: vec![0],
        }
    }

    #[test]
    fn a_standardized_indicator_and_one_hot_inputs_name_the_category() {
        assert_eq!(student().category(&[-0.6, 3.0]), 0);
        assert_eq!(student().category(&[1.5, -3.0]), 1);
        let colour = Grouping {
            name: "colour".into(),
            categories: vec!["red".into(), "green".into(), "blue".into()],
            inputs: vec![1, 2, 3],
        };
        assert_eq!(colour.category(&[9.0, 0.0, 0.0, 1.0]), 2);
        assert_eq!(colour.category(&[9.0, -0.4, 1.2, -0.7]), 1);
        // A short row (never sent, but never a panic) falls in the first category.
        assert_eq!(colour.category(&[]), 0);
    }

    #[test]
    fn counts_split_the_test_rows_by_group_and_rates_read_them() {
        // Inputs: [student, balance]; classes: 0 = repaid, 1 = defaulted.
        let rows = [
            -1.0, 0.0, // not a student, repaid, called repaid
            -1.0, 0.0, // not a student, defaulted, called repaid (missed)
            -1.0, 0.0, // not a student, repaid, called defaulted (false alarm)
            1.0, 0.0, // student, defaulted, called defaulted
            1.0, 0.0, // student, repaid, called defaulted (false alarm)
        ];
        let labels = [0.0, 1.0, 0.0, 1.0, 0.0];
        let predicted = [0, 0, 1, 1, 1];
        let counts = count(&[student()], &rows, 2, &labels, &predicted, 2);
        assert_eq!(counts[0].confusion[0], vec![vec![1, 1], vec![1, 0]]);
        assert_eq!(counts[0].confusion[1], vec![vec![0, 1], vec![0, 1]]);
        let non = Rates::of(&counts[0].confusion[0], 1);
        assert_eq!(non.rows, 3);
        assert_eq!(non.called_positive, Some(1.0 / 3.0));
        assert_eq!(non.error, Some(2.0 / 3.0));
        assert_eq!(non.missed, Some(1.0));
        assert_eq!(non.false_alarm, Some(0.5));
        let students = Rates::of(&counts[0].confusion[1], 1);
        assert_eq!(students.truly_positive, Some(0.5));
        assert_eq!(students.missed, Some(0.0));
        assert_eq!(students.false_alarm, Some(1.0));
        // A group without rows has no rates, not zeros.
        let empty = Rates::of(&[vec![0, 0], vec![0, 0]], 1);
        assert_eq!((empty.rows, empty.error, empty.missed), (0, None, None));
    }
}
