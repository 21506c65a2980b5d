//! The test part's rates per group of a categorical input (`analysis::groups`): a table with a
//! row per category, so a student can compare how often each group is called positive (for
//! credit: turned down) and how often the model is wrong about it.

use std::rc::Rc;

use yew::prelude::*;

use crate::analysis::groups::{GroupCounts, Rates};
use crate::session::Snapshot;

#[derive(Properties, PartialEq)]
pub struct GroupRatesProps {
    pub snapshot: Rc<Snapshot>,
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "\u{2013}".into(), |v| format!("{:.1}%", v * 100.0))
}

fn exact(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

#[function_component(GroupRates)]
pub fn group_rates(props: &GroupRatesProps) -> Html {
    let chosen = use_state(|| 0usize);
    let s = &props.snapshot;
    let Some(wide) = s.data.wide.as_ref() else {
        return html! {};
    };
    if wide.groupings.is_empty() || wide.class_names.len() < 2 {
        return html! {};
    }
    let index = (*chosen).min(wide.groupings.len() - 1);
    let grouping = &wide.groupings[index];
    // Before the first test metrics there are no counts: the table says so rather than zeros.
    let counts: Option<&GroupCounts> = s.groups.iter().find(|g| g.name == grouping.name);
    let picker = if wide.groupings.len() > 1 {
        let onchange = {
            let chosen = chosen.clone();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                chosen.set(select.value().parse().unwrap_or(0));
            })
        };
        html! {
            <label>{ "Group by " }
                <select data-testid="group-by" {onchange}>
                    { for wide.groupings.iter().enumerate().map(|(i, g)| html! {
                        <option value={i.to_string()} selected={i == index}>{ g.name.clone() }</option>
                    }) }
                </select>
            </label>
        }
    } else {
        html! {}
    };
    let two = wide.class_names.len() == 2;
    let positive = wide.class_names.last().cloned().unwrap_or_default();
    let rows = grouping.categories.iter().enumerate().map(|(k, category)| {
        let rates = counts
            .and_then(|c| c.confusion.get(k))
            .map(|m| Rates::of(m, wide.class_names.len() - 1));
        let cell = |id: &str, v: Option<f64>| {
            html! { <td data-testid={format!("group-{k}-{id}")} data-value={exact(v)}>{ percent(v) }</td> }
        };
        let r = rates.unwrap_or_default();
        html! {
            <tr data-testid={format!("group-{k}")}>
                <th scope="row">{ category.clone() }</th>
                <td data-testid={format!("group-{k}-rows")} data-value={r.rows.to_string()}>{ r.rows }</td>
                if two {
                    { cell("truly", r.truly_positive) }
                    { cell("called", r.called_positive) }
                }
                { cell("error", r.error) }
                if two {
                    { cell("missed", r.missed) }
                    { cell("false-alarm", r.false_alarm) }
                }
            </tr>
        }
    });
    html! {
        <div class="group-rates" data-testid="group-rates">
            <h4>{ format!("The test rows by {}", grouping.name) }</h4>
            { picker }
            <table>
                <thead><tr>
                    <th scope="col">{ grouping.name.clone() }</th>
                    <th scope="col">{ "rows" }</th>
                    if two {
                        <th scope="col">{ format!("truly {positive}") }</th>
                        <th scope="col">{ format!("called {positive}") }</th>
                    }
                    <th scope="col">{ "wrong" }</th>
                    if two {
                        <th scope="col"><abbr title={format!("Of the rows truly {positive}, the share the network calls otherwise (the false-negative rate)")}>{ format!("{positive} missed") }</abbr></th>
                        <th scope="col"><abbr title={format!("Of the rows not truly {positive}, the share the network calls {positive} (the false-positive rate)")}>{ format!("false {positive}") }</abbr></th>
                    }
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="hint">{ if counts.is_none() {
                "The rates appear after the first epoch.".to_string()
            } else if two {
                format!("Each row is one group of the test part: how many of its rows are truly {positive}, how many the network calls {positive}, how many it gets wrong, and its two kinds of mistake. A model can look fine over all rows and still treat one group worse.")
            } else {
                "Each row is one group of the test part and the share of its rows the network gets wrong. A model can look fine over all rows and still treat one group worse.".to_string()
            } }</p>
        </div>
    }
}
