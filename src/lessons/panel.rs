//! The lesson beside the playground: its text, its tasks with their goals checked live, a
//! hint after a while, a tick when a goal is reached. Renders nothing outside a lesson.
//!
//! Moving between tasks is a link to the same experiment at another task (`#lesson=…&task=n&…`),
//! so back/forward walk through the tasks and the run carries on (`Config::same_experiment`).

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::goal::{Condition, Readings};
use super::progress::{self, Progress};
use super::{find, next, Lesson, Task};
use crate::components::guard::{padlock, LOCKED_NOTE};
use crate::config::{hash, Config};
use crate::sandbox::SandboxReadings;
use crate::session::Snapshot;

/// The areas and panels of the page a lesson may point at: their `data-testid`s and names.
pub const PANELS: &[(&str, &str)] = &[
    ("area-data", "Data"),
    ("area-network", "Network"),
    ("area-output", "Output"),
    ("area-charts", "Training curves"),
    ("area-inspect", "Inside the network"),
    ("area-engine", "Inside the engine"),
    ("open-graph", "The step's graph"),
    ("open-stepper", "Backprop, step by step"),
    ("open-gradient-check", "Gradient check"),
    ("panel-loss", "Loss chart"),
    ("panel-boundary", "Decision boundary"),
    ("panel-hidden", "Hidden layers"),
    ("panel-activation", "Activation functions"),
    ("panel-health", "Network health"),
    ("panel-confusion", "Confusion matrix"),
    ("panel-roc", "ROC curve"),
    ("panel-summary", "Model summary"),
    ("controls", "Controls"),
    ("area-sandbox", "Graph sandbox"),
    ("area-instruments", "Instruments"),
    ("panel-race", "Optimizer race"),
    ("panel-landscape", "Loss landscape"),
    ("panel-approximation", "Function approximation"),
];

/// The name of the panel `id`.
fn panel_name(id: &str) -> Option<&'static str> {
    PANELS.iter().find(|(p, _)| *p == id).map(|(_, n)| *n)
}

/// Scrolls the page's element `data-testid=id` into view.
fn show_panel(id: &str) {
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("[data-testid=\"{id}\"]"))
            .ok()
            .flatten()
    });
    if let Some(el) = el {
        el.scroll_into_view();
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub config: Rc<Config>,
    pub snapshot: Rc<Snapshot>,
    /// Told `(lesson id, task)` each time the current task's goal becomes reached (the
    /// embedding API's `task-reached` event).
    #[prop_or_default]
    pub on_reached: Callback<(String, usize)>,
    /// The graph sandbox's state after its last run, for goals on it.
    #[prop_or_default]
    pub sandbox: Rc<SandboxReadings>,
}

/// One condition of the current task's goal as the student reads it: what, the live value,
/// the target, whether it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionView {
    pub what: String,
    pub value: String,
    pub target: String,
    pub holds: bool,
}

/// The goal's conditions with their live values.
pub fn conditions(task: &Task, r: &Readings<'_>) -> Vec<ConditionView> {
    task.goal
        .all
        .iter()
        .map(|c: &Condition| ConditionView {
            what: c.quantity.label(r.config),
            value: match (c.quantity.read(r), c.quantity.missing_in(r.config)) {
                (Some(v), _) => format_value(v),
                (None, Some(_)) => "not in this network".to_string(),
                (None, None) if c.quantity.reads_sandbox() => "no sandbox run yet".to_string(),
                (None, None) => "not yet".to_string(),
            },
            target: c.comparison.label(),
            holds: c.holds(r),
        })
        .collect()
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{v}")
    } else if v.abs() >= 0.01 {
        format!("{v:.3}")
    } else if v.abs() >= 1e-4 {
        format!("{v:.4}")
    } else {
        format!("{v:.2e}")
    }
}

/// A link of the lesson's navigation (`lessonNav`): a link; with the navigation locked, the same
/// words with a padlock, not followable; hidden, nothing.
fn nav_link(config: &Config, href: String, testid: String, words: Html) -> Html {
    if config.locks("lessonNav") && config.shows("lessonNav") {
        html! {
            <span class="np-locked-link" data-testid={testid} aria-disabled="true" title={LOCKED_NOTE}>
                { padlock() }{ words }
            </span>
        }
    } else if config.shows("lessonNav") {
        html! { <a href={href} data-testid={testid}>{ words }</a> }
    } else {
        Html::default()
    }
}

/// The hash of the same experiment at task `task`.
fn task_href(config: &Config, task: usize) -> String {
    format!(
        "#{}",
        hash::print(&Config {
            task,
            ..config.clone()
        })
    )
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonPanelProps) -> Html {
    let lesson = props.config.lesson.as_deref().and_then(find);
    let task_no = props.config.task;
    let id = lesson.map(|l| l.id.clone()).unwrap_or_default();
    let current = lesson.and_then(|l| l.tasks.get(task_no.wrapping_sub(1)));
    let readings = Readings::of(&props.config, &props.snapshot).with_sandbox(&props.sandbox);
    let reached_now = current.is_some_and(|t| t.goal.reached(&readings));
    let progress = use_state(progress::load);
    {
        let progress = progress.clone();
        let id = id.clone();
        let on_reached = props.on_reached.clone();
        use_effect_with((id, task_no, reached_now), move |(id, task, reached)| {
            if *reached {
                on_reached.emit((id.clone(), *task));
            }
            if *reached && !progress.is_done(id, *task) {
                progress::mark(id, *task);
                progress.set(progress::load());
            }
        });
    }
    let hint_shown = use_state(|| false);
    {
        let hint_shown = hint_shown.clone();
        let after = current.map_or(0, |t| t.hint_after_s);
        use_effect_with((id.clone(), task_no), move |_| {
            hint_shown.set(false);
            let timer = Timeout::new(after.saturating_mul(1000), move || hint_shown.set(true));
            move || drop(timer)
        });
    }
    let Some(lesson) = lesson else {
        return Html::default();
    };
    let on_hint = {
        let hint_shown = hint_shown.clone();
        Callback::from(move |_: MouseEvent| hint_shown.set(true))
    };
    let highlight = highlight_style(lesson);
    html! {
        <aside class="lesson-panel" data-testid="lesson" data-lesson={lesson.id.clone()} aria-label="Lesson">
            <style>{ highlight }</style>
            if props.config.shows("lessonNav") {
                <nav class="lesson-nav">
                    { nav_link(&props.config, "#".into(), "lesson-gallery-link".into(), html! { "← All lessons" }) }
                    { nav_link(&props.config, "#playground".into(), "free-playground".into(), html! { "Free playground" }) }
                </nav>
            }
            <p class="lesson-section">{ format!("Section {}", lesson.section) }</p>
            <h2 class="lesson-heading">{ lesson.title.clone() }</h2>
            if let Some(coming) = &lesson.coming {
                <p class="lesson-coming-note" data-testid="lesson-coming">{ coming.clone() }</p>
            }
            if !lesson.panels.is_empty() {
                <p class="lesson-look">
                    <span>{ "Look at: " }</span>
                    { for lesson.panels.iter().filter_map(|p| panel_name(p).map(|n| (p.clone(), n))).map(|(p, n)| {
                        let id = p.clone();
                        html! {
                            <button type="button" class="lesson-chip" data-testid={format!("lesson-show-{p}")}
                                title="Scroll to it" onclick={Callback::from(move |_: MouseEvent| show_panel(&id))}>{ n }</button>
                        }
                    }) }
                </p>
            }
            <div class="lesson-text" data-testid="lesson-text">
                { for lesson.paragraphs.iter().map(|p| html! {
                    <p>{ Html::from_html_unchecked(AttrValue::from(p.clone())) }</p>
                }) }
            </div>
            <h3 class="lesson-tasks-heading">{ "Tasks" }</h3>
            <ol class="lesson-tasks">
                { for lesson.tasks.iter().enumerate().map(|(i, t)| {
                    let n = i + 1;
                    let view = TaskView {
                        lesson, task: t, n, current: n == task_no,
                        reached: progress.is_done(&lesson.id, n) || (n == task_no && reached_now),
                    };
                    view.render(&props.config, &readings, *hint_shown, on_hint.clone())
                }) }
            </ol>
            { footer(&props.config, lesson, &progress) }
        </aside>
    }
}

/// CSS that outlines the panels the lesson points at.
fn highlight_style(lesson: &Lesson) -> String {
    lesson
        .panels
        .iter()
        .filter(|p| panel_name(p).is_some())
        .map(|p| format!("[data-testid=\"{p}\"]{{outline:3px solid #f2a541;outline-offset:2px}}"))
        .collect()
}

struct TaskView<'a> {
    lesson: &'a Lesson,
    task: &'a Task,
    n: usize,
    current: bool,
    reached: bool,
}

impl TaskView<'_> {
    fn render(
        &self,
        config: &Config,
        r: &Readings<'_>,
        hint_shown: bool,
        on_hint: Callback<MouseEvent>,
    ) -> Html {
        let n = self.n;
        let t = self.task;
        let last = n == self.lesson.tasks.len();
        let title = html! { <>
            <span class="task-number">{ n }</span>
            <span class="task-try">{ t.try_.clone() }</span>
            if self.reached {
                <span class="tick" data-testid={format!("task-{n}-done")} aria-label="reached">{ "✓" }</span>
            }
        </> };
        html! {
            <li class={classes!("lesson-task", self.current.then_some("current"), self.reached.then_some("reached"))}
                data-testid="task" data-task={n.to_string()} data-reached={self.reached.to_string()}>
                if config.shows("lessonNav") && !config.locks("lessonNav") {
                    <a class="task-title" href={task_href(config, n)} data-testid={format!("task-{n}")}
                        aria-current={self.current.then_some("step")}>{ title }</a>
                } else {
                    // The navigation is hidden or locked: the task reads the same, but is no link.
                    <span class="task-title" data-testid={format!("task-{n}")} aria-current={self.current.then_some("step")}
                        title={config.shows("lessonNav").then_some(LOCKED_NOTE)}>
                        if config.shows("lessonNav") { { padlock() } }
                        { title }
                    </span>
                }
                if self.current {
                    <div class="task-body">
                        <p class="task-notice"><strong>{ "Look: " }</strong>{ t.notice.clone() }</p>
                        <table class="task-goal" data-testid={format!("task-{n}-goal")}>
                            <caption>{ "Goal" }</caption>
                            { for conditions(t, r).into_iter().enumerate().map(|(i, c)| html! {
                                <tr class={classes!(c.holds.then_some("holds"))}>
                                    <th scope="row">{ c.what }</th>
                                    <td data-testid={format!("task-{n}-value-{i}")}>{ c.value }</td>
                                    <td>{ c.target }</td>
                                    <td>{ if c.holds { "✓" } else { "" } }</td>
                                </tr>
                            }) }
                        </table>
                        if self.reached {
                            <p class="task-reached" role="status">
                                { "Goal reached. " }
                                if !last {
                                    { nav_link(config, task_href(config, n + 1), "task-next".into(), html! { "Next task →" }) }
                                }
                            </p>
                        } else if hint_shown {
                            <p class="task-hint" data-testid={format!("task-{n}-hint")}><strong>{ "Hint: " }</strong>{ t.hint.clone() }</p>
                        } else {
                            <button type="button" class="link-button" data-testid={format!("task-{n}-hint-button")} onclick={on_hint}>{ "Show a hint" }</button>
                        }
                    </div>
                }
            </li>
        }
    }
}

fn footer(config: &Config, lesson: &Lesson, progress: &Progress) -> Html {
    let done = progress.lesson_done(&lesson.id, lesson.tasks.len());
    html! {
        <p class="lesson-footer">
            if done {
                <span class="tick">{ "✓ Lesson done. " }</span>
            }
            if let Some(n) = next(&lesson.id) {
                { nav_link(config, format!("#lesson={}", n.id), "lesson-next".into(), html! { format!("Next lesson: {} →", n.title) }) }
            } else {
                { nav_link(config, "#".into(), "lesson-next".into(), html! { "Back to all lessons" }) }
            }
        </p>
    }
}
