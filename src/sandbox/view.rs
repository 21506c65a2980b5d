//! The sandbox on the page: a program, a row per name (role and value), Run and Gradients
//! buttons, the worked examples, what the run fetched, and the graph (`GraphView`).
//! `SandboxArea` is the collapsible section the playground mounts.

use std::cell::RefCell;
use std::rc::Rc;

use np_engine::autodiff::GraphTrace;
use yew::prelude::*;

use super::build::{Binding, Built, Role, SandboxError, Setup};
use super::examples::{Example, EXAMPLES};
use super::parse::{parse_program, place};
use super::SandboxReadings;
use crate::components::graph_view::GraphView;
use crate::draw::graph_model::{number, shape_text};

#[derive(Properties, PartialEq)]
pub struct GraphSandboxProps {
    /// Told what the goals read after every run and every gradient.
    #[prop_or_default]
    pub on_readings: Callback<SandboxReadings>,
}

/// The program the sandbox opens with.
const FIRST_PROGRAM: &str = "a * (b + c)";

/// Runs `setup` on the graph in `slot` (again, if it is the same graph) or on a new one,
/// `runs` times, then gradients if asked.
fn execute(
    slot: &RefCell<Option<Built>>,
    setup: &Setup,
    runs: usize,
    gradients: bool,
) -> Result<(), SandboxError> {
    let mut slot = slot.borrow_mut();
    for _ in 0..runs {
        let again = match slot.as_mut() {
            Some(b) if b.same_graph(setup) => b.run_again(setup).is_ok(),
            _ => false,
        };
        if !again {
            // A new program, new roles or values, or a fed shape that changed: build afresh.
            *slot = None;
            *slot = Some(Built::start(setup)?);
        }
    }
    if gradients {
        if let Some(b) = slot.as_mut() {
            b.gradients()?;
        }
    }
    Ok(())
}

/// Bindings for the program's free names: the ones kept (by name), new names as fed inputs
/// without a value.
fn rows(program: &str, kept: &[Binding]) -> Vec<Binding> {
    let names = parse_program(program)
        .map(|p| p.free_names())
        .unwrap_or_else(|_| kept.iter().map(|b| b.name.clone()).collect());
    names
        .into_iter()
        .map(|n| {
            kept.iter()
                .find(|b| b.name == n)
                .cloned()
                .unwrap_or(Binding {
                    name: n,
                    role: Role::Input,
                    text: String::new(),
                })
        })
        .collect()
}

#[function_component(GraphSandbox)]
pub fn graph_sandbox(props: &GraphSandboxProps) -> Html {
    let program = use_state(|| FIRST_PROGRAM.to_string());
    let kept = use_state(|| {
        vec![
            Binding {
                name: "a".into(),
                role: Role::Constant,
                text: "3".into(),
            },
            Binding {
                name: "b".into(),
                role: Role::Constant,
                text: "2".into(),
            },
            Binding {
                name: "c".into(),
                role: Role::Constant,
                text: "5".into(),
            },
        ]
    });
    let built = use_mut_ref(|| None::<Built>);
    let trace = use_state(|| Rc::new(GraphTrace::default()));
    let error = use_state(|| None::<SandboxError>);
    // Bumped after each run, so the fetched values below are read again.
    let version = use_state(|| 0u64);

    let finish = {
        let (built, trace, error, version, on_readings) = (
            built.clone(),
            trace.clone(),
            error.clone(),
            version.clone(),
            props.on_readings.clone(),
        );
        Rc::new(move |outcome: Result<(), SandboxError>| {
            if let Some(b) = built.borrow().as_ref() {
                trace.set(Rc::new(b.trace()));
                on_readings.emit(b.readings());
            }
            error.set(outcome.err());
            version.set(*version + 1);
        })
    };
    let run = {
        let (program, kept, built, finish) =
            (program.clone(), kept.clone(), built.clone(), finish.clone());
        move |gradients: bool| {
            let setup = Setup {
                program: (*program).clone(),
                bindings: rows(&program, &kept),
            };
            // Gradients belong to the graph as it stands: run only when nothing ran yet or
            // the setup changed.
            let runs = match built.borrow().as_ref() {
                Some(b) if gradients && b.same_graph(&setup) => 0,
                _ => 1,
            };
            finish(execute(&built, &setup, runs, gradients));
        }
    };
    let on_run = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run(false))
    };
    let on_gradients = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run(true))
    };
    let on_key = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run(false);
            }
        })
    };
    let on_program = {
        let program = program.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            program.set(area.value());
        })
    };
    let on_example = {
        let (program, kept, built, finish) =
            (program.clone(), kept.clone(), built.clone(), finish.clone());
        move |ex: &'static Example| {
            let (program, kept, built, finish) =
                (program.clone(), kept.clone(), built.clone(), finish.clone());
            Callback::from(move |_: MouseEvent| {
                let setup = ex.setup();
                program.set(setup.program.clone());
                let mut merged: Vec<Binding> = kept
                    .iter()
                    .filter(|b| setup.binding(&b.name).is_none())
                    .cloned()
                    .collect();
                merged.extend(setup.bindings.iter().cloned());
                kept.set(merged);
                // A fresh graph: an example always starts from its own first values.
                *built.borrow_mut() = None;
                finish(execute(&built, &setup, ex.runs, ex.gradients));
            })
        }
    };
    let set_binding = {
        let kept = kept.clone();
        move |name: String, role: Option<Role>, text: Option<String>| {
            let mut all = (*kept).clone();
            match all.iter_mut().find(|b| b.name == name) {
                Some(b) => {
                    if let Some(r) = role {
                        b.role = r;
                    }
                    if let Some(t) = text {
                        b.text = t;
                    }
                }
                None => all.push(Binding {
                    name,
                    role: role.unwrap_or(Role::Input),
                    text: text.unwrap_or_default(),
                }),
            }
            kept.set(all);
        }
    };

    let live_parse = parse_program(&program).err();
    let shown_error = error.as_ref().cloned().or(live_parse.map(|e| SandboxError {
        message: e.message,
        at: Some(e.at),
        name: None,
    }));
    let current_rows = rows(&program, &kept);
    let b = built.borrow();
    let _ = *version;

    html! {
        <div class="sandbox" data-testid="graph-sandbox">
            <div class="sandbox-examples" role="group" aria-label="Worked examples">
                <span class="sandbox-examples-label">{ "Worked examples:" }</span>
                { for EXAMPLES.iter().map(|ex| html! {
                    <button type="button" class="btn btn-small" data-testid={format!("sandbox-example-{}", ex.id)}
                        title={ex.program.replace('\n', "; ")} onclick={on_example(ex)}>{ ex.title }</button>
                }) }
            </div>
            <div class="sandbox-editor">
                <label class="sandbox-program-label" for="sandbox-program">{ "Program" }
                    <span class="sandbox-note">{ " one expression per line; name = expression fetches a value; Ctrl+Enter runs" }</span>
                </label>
                <textarea id="sandbox-program" class="sandbox-program" data-testid="sandbox-program" rows="3" spellcheck="false"
                    value={(*program).clone()} oninput={on_program} onkeydown={on_key}
                    aria-invalid={shown_error.as_ref().is_some_and(|e| e.at.is_some()).to_string()} />
                <table class="sandbox-names" data-testid="sandbox-names">
                    <thead><tr><th>{ "name" }</th><th>{ "is a" }</th><th>{ "value" }</th></tr></thead>
                    <tbody>
                    { for current_rows.iter().map(|row| name_row(row, &set_binding, shown_error.as_ref())) }
                    </tbody>
                </table>
                <div class="sandbox-actions">
                    <button type="button" class="btn btn-run" data-testid="sandbox-run" onclick={on_run}>{ "Run" }</button>
                    <button type="button" class="btn" data-testid="sandbox-gradients" onclick={on_gradients}
                        title="Differentiate the result (summed, if it has many numbers) back through the graph">{ "Gradients" }</button>
                    if let Some(b) = b.as_ref() {
                        <span class="sandbox-runs" data-testid="sandbox-runs" data-runs={b.runs().to_string()}>
                            { format!("run {} of this graph{}", b.runs(), if b.has_gradients() { ", gradients shown" } else { "" }) }
                        </span>
                    }
                </div>
                { error_view(shown_error.as_ref(), &program) }
            </div>
            if let Some(b) = b.as_ref() {
                { fetched_view(b) }
            }
            <GraphView trace={(*trace).clone()} />
        </div>
    }
}

fn name_row<F>(row: &Binding, set: &F, error: Option<&SandboxError>) -> Html
where
    F: Fn(String, Option<Role>, Option<String>) + Clone + 'static,
{
    let name = row.name.clone();
    let bad = error.is_some_and(|e| e.name.as_deref() == Some(name.as_str()));
    let on_role = {
        let (set, name) = (set.clone(), name.clone());
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            set(name.clone(), Role::from_key(&sel.value()), None);
        })
    };
    let on_value = {
        let (set, name) = (set.clone(), name.clone());
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            set(name.clone(), None, Some(input.value()));
        })
    };
    html! {
        <tr class={classes!(bad.then_some("sandbox-bad"))}>
            <th scope="row"><code>{ name.clone() }</code></th>
            <td>
                <select data-testid={format!("sandbox-role-{name}")} aria-label={format!("What {name} is")} onchange={on_role}>
                    { for Role::ALL.iter().map(|r| html! {
                        <option value={r.key()} selected={*r == row.role}>{ r.word() }</option>
                    }) }
                </select>
            </td>
            <td>
                <input type="text" class="sandbox-value" data-testid={format!("sandbox-value-{name}")} spellcheck="false"
                    aria-label={format!("Value of {name}")} aria-invalid={bad.to_string()} placeholder="3 or [[1, 2]]"
                    value={row.text.clone()} oninput={on_value} />
            </td>
        </tr>
    }
}

fn error_view(error: Option<&SandboxError>, program: &str) -> Html {
    let Some(e) = error else {
        return Html::default();
    };
    // The line of the program with a caret under the character.
    let caret = e.at.map(|at| {
        let chars: Vec<char> = program.chars().collect();
        let at = at.min(chars.len());
        let start = chars[..at]
            .iter()
            .rposition(|&c| c == '\n')
            .map_or(0, |i| i + 1);
        let end = chars[at..]
            .iter()
            .position(|&c| c == '\n')
            .map_or(chars.len(), |i| at + i);
        let line: String = chars[start..end].iter().collect();
        format!("{line}\n{}^", " ".repeat(at - start))
    });
    html! {
        <div class="alert alert-error sandbox-error" role="alert" data-testid="sandbox-error"
            data-at={e.at.map(|a| a.to_string())} data-name={e.name.clone()}>
            <p>{ e.message.clone() }</p>
            if let Some(c) = caret {
                <pre class="sandbox-caret" aria-label={format!("at {}", e.at.map(|a| place(program, a)).unwrap_or_default())}>{ c }</pre>
            }
        </div>
    }
}

fn fetched_view(b: &Built) -> Html {
    let fetched = b.fetched();
    let changed: Vec<&(String, Vec<Vec<f32>>)> = b
        .history()
        .iter()
        .filter(|(_, seen)| seen.windows(2).any(|w| w[0] != w[1]))
        .collect();
    html! {
        <div class="sandbox-out">
            <ul class="sandbox-fetched" data-testid="sandbox-fetched" aria-label="Values fetched by the last run">
                { for fetched.iter().map(|f| html! {
                    <li data-testid={format!("sandbox-fetch-{}", f.name)} data-value={f.data.first().map(|v| v.to_string())}>
                        <code>{ f.name.clone() }</code>{ " = " }<span class="sandbox-value-text">{ value_text(&f.data, &f.dims) }</span>
                    </li>
                }) }
            </ul>
            { for changed.iter().map(|(name, seen)| html! {
                <p class="sandbox-history" data-testid={format!("sandbox-history-{name}")}>
                    <code>{ name.clone() }</code>{ " before the first run and after each run: " }
                    <span class="sandbox-history-values">
                        { seen.iter().map(|v| {
                            let dims: Vec<usize> = if v.len() == 1 { vec![] } else { vec![v.len()] };
                            value_text(v, &dims)
                        }).collect::<Vec<_>>().join(", ") }
                    </span>
                </p>
            }) }
        </div>
    }
}

/// A fetched value in text: the number, the nested lists, or its shape when large.
fn value_text(data: &[f32], dims: &[usize]) -> String {
    if data.len() > 16 {
        return format!(
            "a {} tensor (hover its node for the values)",
            shape_text(dims)
        );
    }
    fn nest(data: &[f32], dims: &[usize]) -> String {
        match dims {
            [] => data.first().map(|&v| number(v)).unwrap_or_default(),
            [_, rest @ ..] => {
                let step: usize = rest.iter().product::<usize>().max(1);
                let parts: Vec<String> = data.chunks(step).map(|c| nest(c, rest)).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }
    nest(data, dims)
}

#[derive(Properties, PartialEq)]
pub struct SandboxAreaProps {
    /// Open when the page opens (in the `graphs` lesson).
    pub open: bool,
    #[prop_or_default]
    pub on_readings: Callback<SandboxReadings>,
}

/// The sandbox's section of the playground, collapsible. Closed, the sandbox stays mounted
/// (hidden), so its graph and counter survive.
#[function_component(SandboxArea)]
pub fn sandbox_area(props: &SandboxAreaProps) -> Html {
    let open = use_state(|| props.open);
    {
        let open = open.clone();
        use_effect_with(props.open, move |o| {
            if *o {
                open.set(true);
            }
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <section class="area area-sandbox" data-testid="area-sandbox" aria-label="Graph sandbox">
            <h2>
                <button type="button" class="sandbox-toggle" data-testid="sandbox-toggle" aria-expanded={open.to_string()}
                    aria-controls="sandbox-body" onclick={toggle}>
                    <span aria-hidden="true">{ if *open { "▾ " } else { "▸ " } }</span>{ "Graph sandbox" }
                </button>
            </h2>
            <div id="sandbox-body" hidden={!*open}>
                <p class="sandbox-intro">{ "Write a small computation, say what each name is, and run it: the engine records it as a graph, shown below with the value on every node. Gradients then walk the same graph backwards." }</p>
                <GraphSandbox on_readings={props.on_readings.clone()} />
            </div>
        </section>
    }
}
