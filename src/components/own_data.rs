//! "Your own data": a CSV file chosen or dropped here is kept in this browser and trained on,
//! and, once the host has read it, the column picker: the first rows with each column's guessed
//! type, the target, the inputs, the problem and the split. Every choice is a Config change
//! (`csvTarget`, `csvInputs`, `csvTime`), so it is in the URL and in a saved run like any other.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::data::{fetch_status, DataFetch};
use super::fields::select;
use crate::config::{Config, CsvChoice, Dataset, Problem};
use crate::session::own::{ColumnView, TableView};
use crate::session::Data;
use crate::state::Action;
use np_engine::data::table::ColumnKind;

#[derive(Properties, PartialEq)]
pub struct OwnDataProps {
    pub config: Rc<Config>,
    pub data: Rc<Data>,
    pub on_action: Callback<Action>,
    /// How reading the student's file goes (its progress, or why it failed).
    pub fetch: DataFetch,
    /// A file the student chose or dropped.
    pub on_file: Callback<web_sys::File>,
    /// "Forget my file".
    pub on_forget: Callback<()>,
}

/// Whether a dropped file is meant as data rather than as a saved run.
pub fn looks_like_table(file: &web_sys::File) -> bool {
    let name = file.name().to_ascii_lowercase();
    [".csv", ".tsv", ".txt", ".tab"]
        .iter()
        .any(|end| name.ends_with(end))
        || matches!(
            file.type_().as_str(),
            "text/csv" | "text/tab-separated-values"
        )
}

/// Refuses a spreadsheet program's own file, which the CSV reader would only call garbled,
/// with the step that makes it readable.
pub fn not_a_workbook(name: &str) -> Result<(), String> {
    let lower = name.to_ascii_lowercase();
    match [".xlsx", ".xls", ".xlsm", ".ods", ".numbers"]
        .iter()
        .find(|end| lower.ends_with(*end))
    {
        Some(end) => Err(format!(
            "a `{end}` file is a spreadsheet workbook, not a table of text: open it in its program and save the sheet as CSV, then choose the .csv file"
        )),
        None => Ok(()),
    }
}

fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Numeric => "number",
        ColumnKind::Categorical => "category",
        ColumnKind::Date => "date",
        ColumnKind::Text => "text",
    }
}

fn summary(view: &TableView) -> String {
    let count = crate::analysis::summary::thousands;
    let separator = match view.separator.as_str() {
        "tab" => "tabs".to_string(),
        s => format!("“{s}”"),
    };
    let mut text = format!(
        "{}: {} rows and {} columns, separated by {separator}.",
        view.file,
        count(view.rows),
        view.columns.len()
    );
    if view.rows_dropped > 0 {
        text.push_str(&format!(
            " {} rows with an empty cell in a chosen column are left out.",
            count(view.rows_dropped)
        ));
    }
    text
}

fn preview(view: &TableView) -> Html {
    html! {
        <div class="csv-preview-wrap">
            <table class="csv-preview" data-testid="csv-preview">
                <caption>{ format!("The first {} rows, with the type each column was read as", view.preview.len()) }</caption>
                <thead>
                    <tr>{ for view.columns.iter().enumerate().map(|(i, c)| html! {
                        <th scope="col" title={c.evidence.clone()}>
                            <span class="csv-name">{ &c.name }</span>
                            <span class={classes!("csv-kind", format!("csv-kind-{}", kind_name(c.kind)))}
                                data-testid={format!("csv-kind-{i}")}>{ kind_name(c.kind) }</span>
                        </th>
                    }) }</tr>
                </thead>
                <tbody>
                    { for view.preview.iter().map(|row| html! {
                        <tr>{ for row.iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn inputs(c: &Config, view: &TableView, on_action: &Callback<Action>) -> Html {
    let can = |col: &ColumnView| col.can_be_input() && col.name != view.target;
    let config_choice = &c.csv;
    html! {
        <fieldset class="csv-inputs" data-testid="csv-inputs">
            <legend>{ "Inputs" }</legend>
            { for view.columns.iter().enumerate().map(|(i, col)| {
                let on = view.inputs.contains(&col.name);
                // The last input stays: no inputs would mean the defaults again.
                let last = on && view.inputs.len() == 1;
                let why_not = if col.name == view.target {
                    Some("the target".to_string())
                } else if view.time.as_ref() == Some(&col.name) {
                    Some("orders the split".to_string())
                } else if !col.can_be_input() {
                    Some(format!("not usable: {}", col.evidence))
                } else if !on && col.looks_like_identifier(view.rows) {
                    Some("a value for almost every row, like an id: left out unless you tick it".to_string())
                } else {
                    None
                };
                let onchange = {
                    let on_action = on_action.clone();
                    // Ticking makes the inputs in force explicit, defaults included.
                    let choice = CsvChoice {
                        inputs: view.inputs.clone(),
                        ..config_choice.clone()
                    };
                    let name = col.name.clone();
                    Callback::from(move |_: Event| {
                        let mut choice = choice.clone();
                        if on {
                            choice.inputs.retain(|n| *n != name);
                        } else {
                            choice.inputs.push(name.clone());
                        }
                        on_action.emit(Action::SetCsv(choice));
                    })
                };
                let id = format!("csv-input-{i}");
                html! {
                    <label class="csv-input" for={id.clone()} title={why_not.clone().unwrap_or_else(|| col.evidence.clone())}>
                        <input type="checkbox" id={id.clone()} data-testid={id} checked={on}
                            disabled={!can(col) || last || view.time.as_ref() == Some(&col.name)} {onchange} />
                        { &col.name }
                        if let Some(w) = why_not { <span class="hint">{ format!(" ({w})") }</span> }
                    </label>
                }
            }) }
        </fieldset>
    }
}

fn picker(c: &Config, view: &TableView, on_action: &Callback<Action>) -> Html {
    let target_options: Vec<(String, String)> = view
        .columns
        .iter()
        .map(|col| {
            let note = if col.can_be_target(c.problem) {
                match (c.problem, col.classes) {
                    (Problem::Classification, Some(n)) => format!(" ({n} classes)"),
                    _ => String::new(),
                }
            } else {
                format!(" ({}, not a {} target)", kind_name(col.kind), c.problem)
            };
            (col.name.clone(), format!("{}{note}", col.name))
        })
        .collect();
    // Inputs the student left at their defaults follow a new target or split (`own::resolve`);
    // chosen ones stay, less the column that becomes the target or orders the split.
    let on_target = {
        let on_action = on_action.clone();
        let choice = c.csv.clone();
        Callback::from(move |name: String| {
            let mut choice = choice.clone();
            choice.inputs.retain(|n| *n != name);
            choice.target = Some(name);
            on_action.emit(Action::SetCsv(choice));
        })
    };
    let mut split_options = vec![(String::new(), "At random (the sliders' shares)".to_string())];
    split_options.extend(
        view.columns
            .iter()
            .filter(|col| col.can_order_by_time() && col.name != view.target)
            .map(|col| {
                let words = match col.kind {
                    ColumnKind::Date => format!(
                        "By time ({}): the oldest rows train, the newest test",
                        col.name
                    ),
                    _ => format!(
                        "In order of {}: the smallest train, the largest test",
                        col.name
                    ),
                };
                (col.name.clone(), words)
            }),
    );
    let on_split = {
        let on_action = on_action.clone();
        let choice = c.csv.clone();
        Callback::from(move |name: String| {
            let mut choice = choice.clone();
            choice.inputs.retain(|n| *n != name);
            choice.time = (!name.is_empty()).then_some(name);
            on_action.emit(Action::SetCsv(choice));
        })
    };
    let problem_button = |p: Problem, text: &'static str| {
        let on_action = on_action.clone();
        html! {
            <button class={classes!("btn", "btn-small", (c.problem == p).then_some("selected"))}
                data-testid={format!("csv-problem-{p}")} aria-pressed={(c.problem == p).to_string()}
                onclick={Callback::from(move |_: MouseEvent| on_action.emit(Action::SetProblem(p)))}>
                { text }
            </button>
        }
    };
    html! {
        <div class="csv-columns" data-testid="csv-columns">
            <p class="hint" data-testid="csv-summary">{ summary(view) }</p>
            { preview(view) }
            <div class="csv-problem" role="group" aria-label="What to predict">
                { problem_button(Problem::Classification, "Predict a class") }
                { problem_button(Problem::Regression, "Predict a number") }
            </div>
            { select("csv-target", "Target (the column to predict)", target_options, &view.target, on_target) }
            { inputs(c, view, on_action) }
            { select("csv-split", "Split", split_options, view.time.as_deref().unwrap_or(""), on_split) }
            if let Some(why) = &view.problem_with_choice {
                <p class="alert alert-error" data-testid="csv-choice-problem" role="alert">{ why }</p>
            }
            if !view.notes.is_empty() {
                <ul class="hint csv-notes" data-testid="csv-notes">
                    { for view.notes.iter().map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
        </div>
    }
}

fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|f| f.get(0))
}

#[cfg(test)]
mod tests {
    use super::not_a_workbook;

    #[test]
    fn a_workbook_is_refused_with_the_way_to_a_csv() {
        let why = not_a_workbook("Loans 2024.XLSX").unwrap_err();
        assert!(
            why.contains(".xlsx") && why.contains("save the sheet as CSV"),
            "{why}"
        );
        assert!(not_a_workbook("loans.csv").is_ok());
        assert!(not_a_workbook("xlsx.txt").is_ok());
    }
}

#[function_component(OwnData)]
pub fn own_data(props: &OwnDataProps) -> Html {
    let c = &props.config;
    let active = c.active_dataset() == Dataset::Own;
    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(input) = input {
                if let Some(file) = first_file(input.files()) {
                    on_file.emit(file);
                }
                // The same file chosen again is a change too.
                input.set_value("");
            }
        })
    };
    let over = use_state(|| false);
    let ondragover = {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(true);
        })
    };
    let ondragleave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let ondrop = {
        let on_file = props.on_file.clone();
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            // Data, not a saved run: the page's own drop handler sees the default prevented
            // and only takes its "drop here" overlay away.
            e.prevent_default();
            over.set(false);
            if let Some(file) = first_file(e.data_transfer().and_then(|d| d.files())) {
                on_file.emit(file);
            }
        })
    };
    let forget = {
        let on_forget = props.on_forget.clone();
        Callback::from(move |_: MouseEvent| on_forget.emit(()))
    };
    let view = active.then(|| props.data.table.clone()).flatten();
    html! {
        <div class="own-data" data-testid="own-data">
            <p class="datasets-heading">{ "Your own data" }</p>
            <label class={classes!("csv-drop", (*over).then_some("over"))} data-testid="csv-drop"
                {ondragover} {ondragleave} {ondrop}>
                <input type="file" class="csv-file" data-testid="csv-file"
                    accept=".csv,.tsv,.txt,.tab,text/csv,text/tab-separated-values" {onchange} />
                <span>{ "Choose a CSV file, or drop one here. It stays in this browser: nothing is uploaded." }</span>
            </label>
            { fetch_status(Dataset::Own, &props.fetch).unwrap_or_default() }
            if active {
                <button class="btn btn-small" data-testid="csv-forget" onclick={forget}
                    title="Remove your file from this browser's storage">{ "Forget my file" }</button>
            }
            if let Some(view) = view {
                { picker(c, &view, &props.on_action) }
            }
        </div>
    }
}
