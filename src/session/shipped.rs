//! The shipped datasets (issue 14: `digits`, `mnist`, `returns`, `credit`) as a session trains
//! on them. The host's loop fetches a file when a config names it (`runner::fetch`) and hands
//! the bytes to [`load`]; [`build`] then turns the packed rows into the engine's splits and the
//! page's [`Wide`] sample.
//!
//! Why a per-thread store rather than a field of the session: a file is read once and kept
//! for as long as the host lives, across every rebuild, reset and backend move (each of which
//! makes a new `Session`), and whichever thread runs the host (the worker, or the page in the
//! fallback mode) owns its own copy. Nothing else is global.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use np_engine::data::{read_packed, ColumnValues, Generator, PackedBody, PackedDataset, Splits};

use super::data::{Data, Extent};
use crate::analysis::groups::Grouping;
use crate::config::{Config, Dataset};

/// Rows of each part the page receives for its panels: enough for the image grid, the ROC
/// curve and the inspector's scatters, few enough to send once (MNIST: 1.9 MB).
pub const SAMPLE_ROWS: usize = 300;

thread_local! {
    static LOADED: RefCell<HashMap<Dataset, Rc<PackedDataset>>> = RefCell::new(HashMap::new());
}

/// The packed file of `dataset`, once [`load`] has read it on this thread.
pub fn get(dataset: Dataset) -> Option<Rc<PackedDataset>> {
    LOADED.with(|l| l.borrow().get(&dataset).cloned())
}

/// Reads the fetched bytes of `dataset`'s file and keeps them for this thread's sessions.
pub fn load(dataset: Dataset, bytes: &[u8]) -> Result<(), String> {
    let packed = read_packed(bytes).map_err(|e| {
        format!(
            "The file of the {} data set is damaged ({e}). Reload the page; if it persists, the site's copy of `{}` needs rebuilding (scripts/make-datasets.py).",
            dataset.label(),
            dataset.file().unwrap_or_default()
        )
    })?;
    if packed.name != dataset.as_str() {
        return Err(format!(
            "`{}` holds the data set `{}`, not `{dataset}`; the site's data folder is mixed up.",
            dataset.file().unwrap_or_default(),
            packed.name
        ));
    }
    LOADED.with(|l| l.borrow_mut().insert(dataset, Rc::new(packed)));
    Ok(())
}

/// What the page draws of data whose inputs are not points of a plane: the kind of input, the
/// names, and a sample of the rows as the network receives them.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Wide {
    /// `(height, width)` of grey images; `None` for a table.
    pub image: Option<(usize, usize)>,
    /// The inputs' names, in order (a table's columns; empty for images, whose pixels are
    /// named by position).
    pub names: Vec<String>,
    /// One name per class.
    pub class_names: Vec<String>,
    /// Rows in the training, validation and test parts.
    pub counts: [usize; 3],
    /// Whether the test part is the latest rows (a time-ordered split).
    pub by_time: bool,
    /// Where the data came from, in one line.
    pub source: String,
    /// Evenly spaced rows of the training and test parts.
    pub train: Sample,
    pub test: Sample,
    /// A regression target, trained on standardized: how to give its values their units back.
    #[serde(default)]
    pub target: Option<TargetScale>,
    /// Categorical inputs the test rows can be grouped by, for the rates per group.
    #[serde(default)]
    pub groupings: Vec<Grouping>,
}

/// A regression target's name and the training rows' mean and standard deviation, which turn
/// a standardized value (a label, the network's output) back into the target's units.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TargetScale {
    pub name: String,
    pub mean: f32,
    pub std: f32,
}

impl TargetScale {
    pub fn units(&self, standardized: f64) -> f64 {
        standardized * f64::from(self.std) + f64::from(self.mean)
    }
}

/// Rows of one part with their labels (class indices).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    pub rows: Vec<Vec<f32>>,
    pub labels: Vec<f64>,
}

impl Wide {
    /// Number of network inputs.
    pub fn width(&self) -> usize {
        match self.image {
            Some((h, w)) => h * w,
            None => self.names.len(),
        }
    }
}

/// At most `limit` rows of `set`, evenly spaced, in their order.
pub(super) fn sample(set: &np_engine::data::Dataset, limit: usize) -> Sample {
    let (n, d) = set.x.shape().rows_cols();
    let x = set.x.data();
    let picked: Vec<usize> = super::data::evenly_spaced(n, limit).collect();
    Sample {
        rows: picked
            .iter()
            .map(|&r| x[r * d..(r + 1) * d].to_vec())
            .collect(),
        labels: picked.iter().map(|&r| f64::from(set.y[r])).collect(),
    }
}

/// The splits and the drawable data of a shipped dataset the config names. Images keep their
/// pixels in [0, 1], as the course feeds them; a table's columns are standardized on the
/// training part (their scales differ by orders of magnitude: a balance in dollars beside a
/// yes/no). `Err` says what to do; a file not yet loaded is the caller's to wait for.
pub fn build(config: &Config, dataset: Dataset) -> Result<(Splits, Data), String> {
    let packed =
        get(dataset).ok_or_else(|| format!("the {} data is not loaded yet", dataset.label()))?;
    let all = packed.to_dataset().map_err(|e| e.to_string())?;
    let test_pct = 100.0 - config.perc_train_data as f32;
    let splits = packed
        .splits(
            &all,
            config.perc_val_data as f32,
            test_pct,
            config.data_seed(),
        )
        .map_err(|e| e.to_string())?;
    drop(all);
    let image = match &packed.body {
        PackedBody::Images(img) => Some((img.height, img.width)),
        PackedBody::Table(_) => None,
    };
    let splits = if image.is_some() {
        splits
    } else {
        splits.standardized().0
    };
    let names = if image.is_some() {
        Vec::new()
    } else {
        packed.input_names(&packed.feature_columns())
    };
    let wide = Wide {
        image,
        names,
        class_names: packed.classes.clone(),
        counts: [splits.train.len(), splits.val.len(), splits.test.len()],
        by_time: packed.time_column().is_some(),
        source: packed.source.clone(),
        train: sample(&splits.train, SAMPLE_ROWS),
        test: sample(&splits.test, SAMPLE_ROWS),
        target: None,
        groupings: group_column(&packed).into_iter().collect(),
    };
    let data = Data {
        classes: packed.classes.len().max(1),
        extent: Extent::default(),
        wide: Some(wide),
        ..Data::default()
    };
    Ok((splits, data))
}

/// The grouping of the file's group column (credit's `student`), when it is one of the inputs.
fn group_column(packed: &PackedDataset) -> Option<Grouping> {
    let group = packed.group_column?;
    let columns = packed.columns();
    let ColumnValues::Category { categories, .. } = &columns.get(group)?.values else {
        return None;
    };
    let mut first = 0;
    for i in packed.feature_columns() {
        let width = columns[i].input_names().len();
        if i == group {
            return Some(Grouping {
                name: columns[i].name.clone(),
                categories: categories.clone(),
                inputs: (first..first + width).collect(),
            });
        }
        first += width;
    }
    None
}

/// The course's own table (section 3): four rows of three 0/1 inputs. The course fits all four
/// and has no test rows, so every part is the four rows: the test readouts show the fit.
pub fn course_table(generator: Generator) -> Result<(Splits, Data), String> {
    let all = generator.generate(4, 0.0, 0).map_err(|e| e.to_string())?;
    let empty = all.subset(&[]).map_err(|e| e.to_string())?;
    let wide = Wide {
        image: None,
        names: (1..=all.features()).map(|i| format!("x{i}")).collect(),
        class_names: vec!["0".into(), "1".into()],
        counts: [all.len(), 0, all.len()],
        by_time: false,
        source: "the course's section 3".into(),
        train: sample(&all, SAMPLE_ROWS),
        test: sample(&all, SAMPLE_ROWS),
        target: None,
        groupings: Vec::new(),
    };
    let data = Data {
        classes: all.classes.max(1),
        wide: Some(wide),
        ..Data::default()
    };
    let splits = Splits {
        train: all.clone(),
        val: empty,
        test: all,
    };
    Ok((splits, data))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Loads the committed files, and MNIST where the setup script has built it (it must have
    /// when `NP_REQUIRE_MNIST` is set, as `scripts/test.sh` sets it).
    pub fn load_committed() {
        for d in [
            Dataset::Digits,
            Dataset::Returns,
            Dataset::Credit,
            Dataset::Mnist,
        ] {
            if get(d).is_some() {
                continue;
            }
            let path = format!("{}/assets/data/{d}.npds", env!("CARGO_MANIFEST_DIR"));
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(_) if d == Dataset::Mnist && std::env::var_os("NP_REQUIRE_MNIST").is_none() => {
                    continue
                }
                Err(e) => panic!("{path}: {e}"),
            };
            load(d, &bytes).unwrap_or_else(|e| panic!("{d}: {e}"));
        }
    }

    #[test]
    fn each_committed_file_builds_with_its_inputs_and_split() {
        load_committed();
        for (d, width, classes) in [
            (Dataset::Digits, 64, 10),
            (Dataset::Returns, 6, 2),
            (Dataset::Credit, 3, 2),
        ] {
            let c = Config {
                dataset: d,
                ..Config::default()
            };
            let (splits, data) = build(&c, d).unwrap_or_else(|e| panic!("{d}: {e}"));
            let wide = data.wide.as_ref().unwrap();
            assert_eq!(splits.train.features(), width, "{d}");
            assert_eq!(wide.width(), width, "{d}");
            assert_eq!(d.fixed_inputs(), Some(width), "{d}");
            assert_eq!(data.classes, classes, "{d}");
            assert_eq!(wide.class_names.len(), classes, "{d}");
            assert!(wide.train.rows.len() <= SAMPLE_ROWS && !wide.test.rows.is_empty());
            assert_eq!(
                wide.counts.iter().sum::<usize>(),
                get(d).unwrap().rows(),
                "{d}: every row in one part"
            );
            assert!(data.train.is_empty(), "{d}: no plane points");
        }
        // The returns are split by time: 2005 is the test year, whatever the slider says.
        let c = Config {
            dataset: Dataset::Returns,
            ..Config::default()
        };
        let (splits, data) = build(&c, Dataset::Returns).unwrap();
        let wide = data.wide.unwrap();
        assert!(wide.by_time);
        assert_eq!(wide.counts[2], 252);
        // 2005 rose on 141 of its 252 days (what the finance lesson says of always "up").
        let up = splits.test.y.iter().filter(|&&y| y == 1.0).count();
        assert_eq!((up, wide.class_names[1].as_str()), (141, "Up"));
    }

    #[test]
    fn a_table_is_standardized_on_its_training_part_and_images_are_not() {
        load_committed();
        let c = Config {
            dataset: Dataset::Credit,
            ..Config::default()
        };
        let (splits, _) = build(&c, Dataset::Credit).unwrap();
        let (n, d) = splits.train.x.shape().rows_cols();
        for col in 0..d {
            let mean: f64 = (0..n)
                .map(|r| f64::from(splits.train.x.data()[r * d + col]))
                .sum::<f64>()
                / n as f64;
            assert!(mean.abs() < 1e-3, "column {col}: mean {mean}");
        }
        let c = Config {
            dataset: Dataset::Digits,
            ..Config::default()
        };
        let (splits, _) = build(&c, Dataset::Digits).unwrap();
        assert!(splits
            .train
            .x
            .data()
            .iter()
            .all(|v| (0.0..=1.0).contains(v)));
    }

    #[test]
    fn the_course_table_trains_and_tests_on_its_four_rows() {
        let c = Config {
            dataset: Dataset::Logistic,
            ..Config::default()
        };
        let (splits, data) = crate::session::data::build(&c, &c.input_features()).unwrap();
        assert_eq!(splits.train, splits.test);
        assert_eq!(
            splits.train.x.data(),
            &[0., 1., 0., 1., 0., 0., 1., 1., 1., 0., 1., 1.]
        );
        assert!(splits.val.is_empty());
        let wide = data.wide.unwrap();
        assert_eq!(
            (wide.names.join(","), wide.counts),
            ("x1,x2,x3".to_string(), [4, 0, 4])
        );
    }

    #[test]
    fn bad_bytes_are_refused_with_what_to_do() {
        let e = load(Dataset::Digits, b"not a packed file").unwrap_err();
        assert!(
            e.contains("damaged") && e.contains("make-datasets.py"),
            "{e}"
        );
        let path = format!("{}/assets/data/credit.npds", env!("CARGO_MANIFEST_DIR"));
        let e = load(Dataset::Returns, &std::fs::read(path).unwrap()).unwrap_err();
        assert!(e.contains("holds the data set `credit`"), "{e}");
    }
}
