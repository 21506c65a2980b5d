//! From a table and a spec to training data: standardization from the training split only,
//! one-hot categories from the training split, classes in sorted order, the time-ordered
//! split, and every refusal with its exact words.

use np_engine::data::table::{
    read_table, ColumnKind, EmptyCells, InputColumn, Problem, ReadOptions, SplitRule, Table,
    TabularSpec,
};

fn table(text: &str) -> Table {
    read_table(text.as_bytes(), ReadOptions::default()).unwrap()
}

fn input(name: &str, kind: ColumnKind) -> InputColumn {
    InputColumn {
        name: name.into(),
        kind,
    }
}

fn spec(
    target: &str,
    features: Vec<InputColumn>,
    problem: Problem,
    split: SplitRule,
) -> TabularSpec {
    TabularSpec {
        target: target.into(),
        features,
        problem,
        split,
        empty_cells: EmptyCells::Reject,
    }
}

fn random(val_pct: f32, test_pct: f32) -> SplitRule {
    SplitRule::Random {
        seed: 7,
        val_pct,
        test_pct,
    }
}

fn message(t: &Table, s: &TabularSpec) -> String {
    s.build(t).unwrap_err().to_string()
}

/// A small credit table: 40 rows, the date increasing down the file.
fn credit() -> Table {
    let mut text = String::from("when,age,job,income,approved\n");
    for i in 0..40 {
        let job = ["nurse", "admin", "chef", "admin"][i % 4];
        let day = 1 + i % 28;
        let month = 1 + i / 28;
        text.push_str(&format!(
            "2021-{month:02}-{day:02},{},{job},{},{}\n",
            20 + i,
            1000 + 10 * (i % 7),
            ["yes", "no"][i % 2]
        ));
    }
    table(&text)
}

#[test]
fn standardized_on_the_training_split_and_one_hot_in_sorted_order() {
    let t = credit();
    let s = spec(
        "approved",
        vec![
            input("age", ColumnKind::Numeric),
            input("job", ColumnKind::Categorical),
        ],
        Problem::Classification,
        random(20.0, 10.0),
    );
    let d = s.build(&t).unwrap();
    assert_eq!(d.input_names, ["age", "job=admin", "job=chef", "job=nurse"]);
    assert_eq!(d.classes, ["no", "yes"]);
    assert_eq!(
        (
            d.splits.train.len(),
            d.splits.val.len(),
            d.splits.test.len()
        ),
        (29, 7, 4)
    );
    assert_eq!(d.splits.train.classes, 2);
    // The train split's age column has mean 0 and standard deviation 1; the others do not
    // have to.
    let age: Vec<f64> = d
        .splits
        .train
        .x
        .data()
        .chunks(4)
        .map(|r| f64::from(r[0]))
        .collect();
    let mean = age.iter().sum::<f64>() / age.len() as f64;
    let var = age.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / age.len() as f64;
    assert!(
        mean.abs() < 1e-5 && (var - 1.0).abs() < 1e-4,
        "{mean} {var}"
    );
    let scales = d.encoding.scales();
    assert_eq!(scales.len(), 4);
    assert_eq!(scales[1..], [(0.0, 1.0); 3]);
    // A new row is encoded as the training rows were.
    let (m, sd) = scales[0];
    assert_eq!(
        d.encoding.encode(&["33", "chef"]).unwrap(),
        [(33.0 - m) / sd, 0.0, 1.0, 0.0]
    );
    assert_eq!(
        d.encoding.encode(&["33", "pilot"]).unwrap()[1..],
        [0.0, 0.0, 0.0]
    );
    assert_eq!(
        d.encoding.encode(&["x", "chef"]).unwrap_err().to_string(),
        "`x` for `age` is not a number"
    );
    // Every row's one-hot block has exactly one 1 (all categories occur in training here).
    for row in d.splits.train.x.data().chunks(4) {
        assert_eq!(row[1..].iter().sum::<f32>(), 1.0);
    }
    // The same seed, the same splits.
    assert_eq!(s.build(&t).unwrap(), d);
}

#[test]
fn by_time_trains_on_the_oldest_and_tests_on_the_newest() {
    let mut text = String::from("day,x,y\n");
    // The file is not in time order: the split must sort.
    for i in [5, 3, 9, 0, 7, 1, 8, 2, 6, 4] {
        text.push_str(&format!("2022-03-{:02},{i},{}\n", 10 + i, i * 2));
    }
    let t = table(&text);
    let s = spec(
        "y",
        vec![input("x", ColumnKind::Numeric)],
        Problem::Regression,
        SplitRule::ByTime {
            column: "day".into(),
            val_pct: 25.0,
            test_pct: 20.0,
        },
    );
    let d = s.build(&t).unwrap();
    assert_eq!(d.splits.train.y, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    assert_eq!(d.splits.val.y, [12.0, 14.0]);
    assert_eq!(d.splits.test.y, [16.0, 18.0]);
    assert!(d.classes.is_empty() && d.splits.train.is_regression());
    // Standardized with the training rows' mean (2.5) and standard deviation.
    let (mean, std) = d.encoding.scales()[0];
    assert_eq!(mean, 2.5);
    assert!((std - 1.707_825).abs() < 1e-5);
    assert!((d.splits.test.x.data()[1] - (9.0 - 2.5) / std).abs() < 1e-6);
}

#[test]
fn numeric_classes_sorted_by_value_dates_as_inputs_constant_columns_and_unseen_values() {
    let t = table("label,when,k,c\n10,2020-01-01,5,a\n2,2020-01-02,5,a\n10,2020-01-03,5,a\n2,2020-01-04,5,a\n2,2020-01-05,5,b\n");
    let s = spec(
        "label",
        vec![
            input("when", ColumnKind::Date),
            input("k", ColumnKind::Numeric),
            input("c", ColumnKind::Categorical),
        ],
        Problem::Classification,
        SplitRule::ByTime {
            column: "when".into(),
            val_pct: 0.0,
            test_pct: 20.0,
        },
    );
    let d = s.build(&t).unwrap();
    assert_eq!(d.classes, ["2", "10"]);
    assert_eq!(d.splits.train.y, [1.0, 0.0, 1.0, 0.0]);
    assert_eq!(d.input_names, ["when", "k", "c=a"]);
    assert_eq!(d.encoding.scales()[1], (5.0, 1.0));
    assert_eq!(
        d.splits.test.x.data()[2],
        0.0,
        "an unseen category is all zeros"
    );
    assert_eq!(
        d.notes,
        [
            "`k` has one value in every training row: its input is 0 there and tells the network nothing",
            "`c`: 1 validation or test row has a value that no training row has; it gets all zeros for `c`",
        ]
    );
}

#[test]
fn empty_cells_rejected_or_dropped() {
    let t = table("a,b,y\n1,2,p\n3,,q\n,6,p\n7,8,q\n9,10,p\n11,12,q\n");
    let mut s = spec(
        "y",
        vec![
            input("a", ColumnKind::Numeric),
            input("b", ColumnKind::Numeric),
        ],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "line 3, column 2 (`b`) is empty, and 2 rows have empty cells in the chosen columns: fill them in, or choose to drop the rows with empty cells");
    s.features.pop();
    assert_eq!(message(&t, &s), "line 4, column 1 (`a`) is empty, and it is the only row with an empty cell in the chosen columns: fill them in, or choose to drop the rows with empty cells");
    s.empty_cells = EmptyCells::DropRows;
    let d = s.build(&t).unwrap();
    assert_eq!((d.rows_dropped, d.splits.train.len()), (1, 5));
}

#[test]
fn text_in_a_column_chosen_numeric_and_other_wrong_kinds() {
    let mut text = String::from("id,age,when,y\n");
    for i in 0..45 {
        let age = if i == 40 {
            "abc".to_string()
        } else {
            i.to_string()
        };
        text.push_str(&format!("u{i},{age},2020-01-{:02},{}\n", 1 + i % 28, i % 2));
    }
    text.push_str("u99,5,2020-13-01,1\n");
    let t = table(&text);
    let mut s = spec(
        "y",
        vec![input("age", ColumnKind::Numeric)],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "line 42, column 2 (`age`): `abc` is not a number: correct the cell, or use the column as categorical");
    s.features = vec![input("when", ColumnKind::Date)];
    assert_eq!(message(&t, &s), "line 47, column 3 (`when`): `2020-13-01` is not a date (yyyy-mm-dd or yyyy/mm/dd, optionally with hh:mm or hh:mm:ss): correct the cell, or use the column as categorical");
    s.features = vec![input("id", ColumnKind::Text)];
    assert_eq!(
        message(&t, &s),
        "column `id` holds text: choose numeric, categorical or date for it, or leave it out"
    );
    s.features = vec![input("agee", ColumnKind::Numeric)];
    assert_eq!(
        message(&t, &s),
        "there is no column `agee`; the columns are `id`, `age`, `when`, `y`"
    );
    s.features = vec![input("y", ColumnKind::Numeric)];
    assert_eq!(
        message(&t, &s),
        "`y` is the target: it cannot be an input too"
    );
    s.features = vec![
        input("id", ColumnKind::Categorical),
        input("id", ColumnKind::Categorical),
    ];
    assert_eq!(message(&t, &s), "`id` is chosen twice as an input");
    s.features.clear();
    assert_eq!(message(&t, &s), "no input columns: choose at least one");
    s = spec(
        "age",
        vec![input("y", ColumnKind::Numeric)],
        Problem::Regression,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "line 42, column 2 (`age`): `abc` is not a number: correct the cell, or use the column as categorical");
    s.split = random(100.0, 0.0);
    assert_eq!(
        message(&t, &s),
        "the validation percentage is 100: choose a value from 0 to below 100"
    );
}

#[test]
fn too_many_categories_and_classes() {
    let mut text = String::from("id,v,y\n");
    for i in 0..1500 {
        text.push_str(&format!("u{i},{},{}\n", i as f32 * 0.37, i % 2));
    }
    let t = table(&text);
    let s = spec(
        "y",
        vec![input("id", ColumnKind::Categorical)],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "column `id` has more than 1,000 different values: too many to use as categories; leave it out");
    let s = spec(
        "y",
        vec![input("v", ColumnKind::Categorical)],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "column `v` has more than 1,000 different values: too many to use as categories; leave it out, or use it as numeric");
    let s = spec(
        "v",
        vec![input("y", ColumnKind::Numeric)],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(
        message(&t, &s),
        "the target `v` has more than 1,000 different values: too many classes; choose Regression"
    );
    let s = spec(
        "id",
        vec![input("y", ColumnKind::Numeric)],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "the target `id` has more than 1,000 different values: too many classes; choose Regression with a numeric target, or another target");
}

#[test]
fn a_single_class() {
    let t = table("x,y\n1,yes\n2,yes\n3,yes\n");
    let s = spec(
        "y",
        vec![input("x", ColumnKind::Numeric)],
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "the target `y` has one class (`yes`) in all its 3 rows: a classifier needs at least two; choose another target, or Regression");
    let t = table("t,x,y\n1,1,a\n2,2,a\n3,3,a\n4,4,b\n");
    let s = spec(
        "y",
        vec![input("x", ColumnKind::Numeric)],
        Problem::Classification,
        SplitRule::ByTime {
            column: "t".into(),
            val_pct: 0.0,
            test_pct: 25.0,
        },
    );
    assert_eq!(message(&t, &s), "the training split holds only class `a` of the target `y`: a classifier needs at least two there; use a random split, or move the validation and test percentages");
}

#[test]
fn fewer_rows_than_the_split_needs() {
    let t = table("x,y\n1,2\n");
    let s = spec(
        "y",
        vec![input("x", ColumnKind::Numeric)],
        Problem::Regression,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "1 row is too few for this split: the training split would get 1 row (at least 2 needed); add rows, or lower the validation and test percentages");
    let t = table("x,y\n1,2\n3,4\n5,6\n7,\n");
    let mut s = spec(
        "y",
        vec![input("x", ColumnKind::Numeric)],
        Problem::Regression,
        random(0.0, 10.0),
    );
    s.empty_cells = EmptyCells::DropRows;
    assert_eq!(message(&t, &s), "3 rows (after dropping 1 with empty cells) are too few for this split: the test split would get 0 rows (at least 1 needed); add rows, or set its percentage to 0");
    s.split = random(10.0, 0.0);
    assert_eq!(message(&t, &s), "3 rows (after dropping 1 with empty cells) are too few for this split: the validation split would get 0 rows (at least 1 needed); add rows, or set its percentage to 0");
    s.split = random(50.0, 50.0);
    assert_eq!(message(&t, &s), "3 rows (after dropping 1 with empty cells) are too few for this split: the training split would get 0 rows (at least 2 needed); add rows, or lower the validation and test percentages");
}

#[test]
fn too_many_inputs_and_too_much_data() {
    // Five columns of 1,000 categories each: 5,000 one-hot inputs.
    let mut text = String::from("a,b,c,d,e,y\n");
    for i in 0..2000 {
        let v = i % 1000;
        text.push_str(&format!(
            "a{v},b{v},c{v},d{v},e{},{}\n",
            (i * 7) % 1000,
            i % 2
        ));
    }
    let t = table(&text);
    let names = ["a", "b", "c", "d", "e"];
    let features: Vec<InputColumn> = names
        .iter()
        .map(|n| input(n, ColumnKind::Categorical))
        .collect();
    let s = spec(
        "y",
        features.clone(),
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(message(&t, &s), "the chosen columns make 5,000 network inputs; the limit is 4,096: leave out some columns (`a` alone makes 1,000)");
    let s = spec(
        "y",
        features[..4].to_vec(),
        Problem::Classification,
        random(0.0, 0.0),
    );
    assert_eq!(s.build(&t).unwrap().splits.train.features(), 4000);
    // 17,000 rows of those 4,000 inputs are 68 million numbers.
    let mut text = String::from("a,b,c,d,y\n");
    for i in 0..17_000 {
        let v = i % 1000;
        text.push_str(&format!("a{v},b{v},c{v},d{v},{}\n", i % 2));
    }
    let t = table(&text);
    assert_eq!(message(&t, &s), "17,000 rows x 4,000 inputs are 68,000,000 numbers; the limit is 67,108,864 (256 MB): choose fewer columns, or a sample of the rows");
}
