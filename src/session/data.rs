//! The data a session trains on, generated and split by np-engine, plus what the panels need to
//! draw it: every point's input-plane position and label, and the plane's visible extent.

use np_engine::data::{feature_matrix, Dataset as EngineData, Splits};
use np_engine::Tensor;

use crate::config::{Config, Dataset, Feature};

/// The indices of at most `limit` of `n` rows, spread evenly over them in their order (every
/// k-th row): the one rule by which a part of a large set stands for the whole, so a sample
/// drawn, probed or measured keeps the set's mix of classes and, for time-ordered data, its
/// span of time.
pub fn evenly_spaced(n: usize, limit: usize) -> impl Iterator<Item = usize> {
    let stride = n.div_ceil(limit.max(1)).max(1);
    (0..n).step_by(stride)
}

/// One example as drawn. `label` is a class index for classification, the target otherwise.
/// One-input data has `y = 0`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub label: f64,
}

/// The part of the plane the panels show. For two-input data both ranges are the same length
/// (a square plane); for one-input data `y` is the range of the targets (the plot's vertical axis).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extent {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Default for Extent {
    /// TensorFlow Playground's square, [-6, 6] on both axes.
    fn default() -> Self {
        Self {
            x: (-6.0, 6.0),
            y: (-6.0, 6.0),
        }
    }
}

impl Extent {
    /// The centre of grid cell (row, col); row 0 is the top (largest y), so images are drawn the
    /// right way up.
    pub fn cell(&self, grid: usize, row: usize, col: usize) -> (f64, f64) {
        let g = grid as f64;
        let x = self.x.0 + (col as f64 + 0.5) / g * (self.x.1 - self.x.0);
        let y = self.y.1 - (row as f64 + 0.5) / g * (self.y.1 - self.y.0);
        (x, y)
    }

    /// Position in [0, 1]^2 with (0, 0) at the top left.
    pub fn unit(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.x.0) / (self.x.1 - self.x.0),
            (self.y.1 - y) / (self.y.1 - self.y.0),
        )
    }

    /// A view of `points`: TensorFlow Playground's square for its own sets, otherwise the data's
    /// bounds with a margin (square for two inputs; x by target for one input).
    pub fn of(dataset: Dataset, points: &[Point]) -> Self {
        let tfp = matches!(
            dataset,
            Dataset::Circle
                | Dataset::Xor
                | Dataset::Gauss
                | Dataset::Spiral
                | Dataset::RegPlane
                | Dataset::RegGauss
        );
        if tfp || points.is_empty() {
            return Self::default();
        }
        let bounds = |f: fn(&Point) -> f64| {
            points
                .iter()
                .map(f)
                .filter(|v| v.is_finite())
                .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)))
        };
        let pad = |(lo, hi): (f64, f64), share: f64| {
            let m = ((hi - lo) * share).max(1e-3);
            (lo - m, hi + m)
        };
        if dataset.is_one_dimensional() {
            return Self {
                x: pad(bounds(|p| p.x), 0.05),
                y: pad(bounds(|p| p.label), 0.15),
            };
        }
        let (bx, by) = (bounds(|p| p.x), bounds(|p| p.y));
        let half = ((bx.1 - bx.0).max(by.1 - by.0) / 2.0) * 1.15;
        let (cx, cy) = ((bx.0 + bx.1) / 2.0, (by.0 + by.1) / 2.0);
        Self {
            x: (cx - half, cx + half),
            y: (cy - half, cy + half),
        }
    }
}

/// The split data as drawn.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Data {
    pub train: Vec<Point>,
    pub val: Vec<Point>,
    pub test: Vec<Point>,
    /// Number of classes, 1 for regression.
    pub classes: usize,
    pub extent: Extent,
    /// Data whose inputs are not points of a plane (a shipped dataset): then the point lists
    /// are empty and this holds what the page draws instead.
    #[serde(default)]
    pub wide: Option<super::shipped::Wide>,
    /// The student's own file (`dataset=csv`): what the column picker shows.
    #[serde(default)]
    pub table: Option<super::own::TableView>,
}

/// Raw points as `[n, 2]` (one-input data gets a zero second coordinate).
fn plane_points(x: &Tensor) -> Result<Tensor, String> {
    let (n, d) = x.shape().rows_cols();
    if d == 2 {
        return Ok(x.clone());
    }
    let data: Vec<f32> = (0..n).flat_map(|i| [x.data()[i * d], 0.0]).collect();
    Tensor::new(data, &[n, 2]).map_err(|e| e.to_string())
}

fn points(set: &EngineData) -> Vec<Point> {
    let xy = set.x.data();
    set.y
        .iter()
        .enumerate()
        .map(|(i, &l)| Point {
            x: f64::from(xy[i * 2]),
            y: f64::from(xy[i * 2 + 1]),
            label: f64::from(l),
        })
        .collect()
}

/// Input rows for `features` at plane points `[n, 2]`.
pub fn feature_rows(plane: &Tensor, features: &[Feature]) -> Result<Tensor, String> {
    if features.is_empty() {
        // A network with no inputs still has biases; give it one constant-zero column.
        let n = plane.shape().rows_cols().0;
        return Tensor::new(vec![0.0; n], &[n, 1]).map_err(|e| e.to_string());
    }
    feature_matrix(plane, features).map_err(|e| e.to_string())
}

/// Generates and splits the data a config describes (engine generators, data seed), returning
/// the engine's splits of feature rows and the drawable points.
pub fn build(config: &Config, features: &[Feature]) -> Result<(Splits, Data), String> {
    let dataset = config.active_dataset();
    if dataset == Dataset::Own {
        return match super::own::build(config)? {
            (Some(splits), data) => Ok((splits, data)),
            (None, data) => Err(data
                .table
                .and_then(|t| t.problem_with_choice)
                .unwrap_or_default()),
        };
    }
    let Some(generator) = dataset.generator() else {
        return super::shipped::build(config, dataset);
    };
    if !dataset.is_planar() {
        return super::shipped::course_table(generator);
    }
    let noise = config.noise as f32 / 100.0;
    let raw = generator
        .generate(config.sample_count() as usize, noise, config.data_seed())
        .map_err(|e| e.to_string())?;
    let raw =
        EngineData::new(plane_points(&raw.x)?, raw.y, raw.classes).map_err(|e| e.to_string())?;
    let test_pct = 100.0 - config.perc_train_data as f32;
    let split = raw
        .split(config.perc_val_data as f32, test_pct, config.data_seed())
        .map_err(|e| e.to_string())?;
    let with_features = |set: &EngineData| -> Result<EngineData, String> {
        EngineData::new(feature_rows(&set.x, features)?, set.y.clone(), set.classes)
            .map_err(|e| e.to_string())
    };
    let splits = Splits {
        train: with_features(&split.train)?,
        val: with_features(&split.val)?,
        test: with_features(&split.test)?,
    };
    let (train, val, test) = (
        points(&split.train),
        points(&split.val),
        points(&split.test),
    );
    let all: Vec<Point> = train.iter().chain(&val).chain(&test).copied().collect();
    let data = Data {
        extent: Extent::of(dataset, &all),
        train,
        val,
        test,
        classes: dataset.classes(),
        wide: None,
        table: None,
    };
    Ok((splits, data))
}

/// Whether the generator of `dataset` uses the noise level: the course's three Gaussian clouds
/// overlap by their own spreads and take none, and real data is as it was measured.
pub fn noise_applies(dataset: Dataset) -> bool {
    dataset != Dataset::Clouds3 && dataset.is_planar()
}

/// `n` drawable points of `dataset` (previews in the data panel).
pub fn preview_points(dataset: Dataset, n: usize) -> Vec<Point> {
    dataset
        .generator()
        .and_then(|g| g.generate(n, 0.0, 7).ok())
        .and_then(|d| {
            plane_points(&d.x)
                .ok()
                .and_then(|x| EngineData::new(x, d.y, d.classes).ok())
        })
        .map(|d| points(&d))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_builds_and_splits() {
        for &d in Dataset::ALL.iter().filter(|d| d.is_planar()) {
            let mut c = Config {
                perc_train_data: 60,
                perc_val_data: 25,
                ..Config::default()
            };
            if d.is_regression() {
                c.problem = crate::config::Problem::Regression;
                c.reg_dataset = d;
            } else {
                c.dataset = d;
            }
            let features = c.input_features();
            let (splits, data) = build(&c, &features).unwrap_or_else(|e| panic!("{d}: {e}"));
            let n = c.sample_count() as usize;
            assert_eq!(
                data.train.len() + data.val.len() + data.test.len(),
                splits.train.len() + splits.val.len() + splits.test.len()
            );
            assert!(
                data.test.len().abs_diff(n * 40 / 100) <= 2,
                "{d}: {}",
                data.test.len()
            );
            assert!(
                data.extent.x.0 < data.extent.x.1 && data.extent.y.0 < data.extent.y.1,
                "{d}"
            );
            for p in &data.train {
                let (u, v) = data
                    .extent
                    .unit(p.x, if d.is_one_dimensional() { p.label } else { p.y });
                assert!(
                    (0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v),
                    "{d}: {p:?} outside {:?}",
                    data.extent
                );
            }
            let (again, _) = build(&c, &features).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again, splits, "same seed, same data");
        }
    }

    #[test]
    fn noise_changes_the_data_exactly_where_it_is_said_to() {
        for &d in Dataset::ALL.iter().filter(|d| d.is_planar()) {
            let points = |noise: u32| {
                let mut c = Config {
                    noise,
                    ..Config::default()
                };
                if d.is_regression() {
                    c.problem = crate::config::Problem::Regression;
                    c.reg_dataset = d;
                } else {
                    c.dataset = d;
                }
                let features = c.input_features();
                build(&c, &features)
                    .map(|(_, data)| data.train)
                    .unwrap_or_else(|e| panic!("{d}: {e}"))
            };
            assert_eq!(points(0) != points(50), noise_applies(d), "{d}");
        }
    }

    #[test]
    fn cells_run_top_down() {
        let e = Extent::default();
        assert_eq!(e.cell(4, 0, 0), (-4.5, 4.5));
        assert_eq!(e.unit(-6.0, 6.0), (0.0, 0.0));
    }
}
