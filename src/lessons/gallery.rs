//! The front door: the course's lessons in order, each with a picture of its data, one line
//! of what it shows and a tick when its tasks are done; the free playground one click away.

use yew::prelude::*;

use super::progress::{self, Progress};
use super::{all, Lesson};
use crate::components::pixel_canvas::PixelCanvas;
use crate::draw::plane::{preview, Palette};
use crate::draw::Pixels;
use crate::session::data::{build, preview_points};
use crate::session::Extent;

/// Kept runs offered on the front door, newest first.
const RESUME_SHOWN: usize = 3;

/// Side of a card's picture, in pixels.
const PICTURE: u32 = 112;

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    /// Why the gallery opened instead of what the URL asked for.
    #[prop_or_default]
    pub notice: Option<String>,
}

/// A picture of the lesson's data: the points its preset generates (noise included).
pub fn picture(lesson: &Lesson) -> Pixels {
    let c = lesson.config(1).0;
    let d = c.active_dataset();
    if !d.is_planar() {
        return crate::draw::images::emblem(d, PICTURE);
    }
    let palette = Palette {
        classes: d.classes(),
        discretize: false,
    };
    let (points, extent) = match build(&c, &c.input_features()) {
        Ok((_, data)) => {
            let points: Vec<_> = data.train.iter().chain(&data.test).copied().collect();
            (points, data.extent)
        }
        Err(_) => {
            let points = preview_points(d, 240);
            let extent = Extent::of(d, &points);
            (points, extent)
        }
    };
    preview(&points, palette, &extent, d.is_one_dimensional(), PICTURE)
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    let pictures = use_memo((), |_| all().iter().map(picture).collect::<Vec<_>>());
    let progress = use_state(progress::load);
    let on_reset = {
        let progress = progress.clone();
        Callback::from(move |_: MouseEvent| {
            progress::reset();
            progress.set(Progress::default());
        })
    };
    let kept = use_state(crate::save::storage::index);
    let on_forget = {
        let kept = kept.clone();
        Callback::from(move |_: MouseEvent| {
            crate::save::storage::forget_all();
            kept.set(Vec::new());
        })
    };
    let lessons = all();
    let done = lessons
        .iter()
        .filter(|l| progress.lesson_done(&l.id, l.tasks.len()))
        .count();
    html! {
        <div class="app gallery-page" data-testid="app">
            <header class="app-header">
                <h1 class="app-title">{ "Neural Playground" }</h1>
                <span class="app-subtitle">{ "Build, train and look inside neural networks" }</span>
            </header>
            <main class="gallery" data-testid="lesson-gallery">
                <section class="gallery-intro">
                    <div>
                        <h2>{ "Lessons" }</h2>
                        <p>{ "Thirteen short lessons follow the course, one section each. Every lesson sets up an experiment, explains what is on the screen and gives you tasks; the page ticks a task when your network reaches its goal." }</p>
                    </div>
                    <div class="gallery-actions">
                        <a class="button button-primary" href="#playground" data-testid="free-playground">{ "Free playground" }</a>
                        <span class="gallery-progress" data-testid="progress-count">{ format!("{done} of {} lessons done", lessons.len()) }</span>
                        <button type="button" class="link-button" data-testid="progress-reset" onclick={on_reset}>{ "Reset progress" }</button>
                    </div>
                </section>
                { for props.notice.iter().map(|n| html! {
                    <p class="alert alert-notice" role="status" data-testid="gallery-notice">{ n.clone() }</p>
                }) }
                if !kept.is_empty() {
                    <section class="resume" data-testid="resume" aria-label="Continue where you left off">
                        <h2>{ "Continue where you left off" }</h2>
                        <ul class="resume-list">
                            { for kept.iter().take(RESUME_SHOWN).map(|k| html! {
                                <li>
                                    <a class="button" href={format!("#{}", k.experiment)} data-testid="resume-run">{ k.summary.clone() }</a>
                                    { for k.saved_at.as_deref().and_then(|t| t.get(..16)).map(|t| html! {
                                        <span class="resume-when">{ format!(" saved {} UTC", t.replace('T', " ")) }</span>
                                    }) }
                                </li>
                            }) }
                        </ul>
                        <button type="button" class="link-button" data-testid="resume-forget" onclick={on_forget}>
                            { "Forget the runs this browser keeps" }
                        </button>
                    </section>
                }
                <ol class="lesson-cards">
                    { for lessons.iter().zip(pictures.iter()).map(|(l, pixels)| card(l, pixels, &progress)) }
                </ol>
            </main>
        </div>
    }
}

fn card(l: &Lesson, pixels: &Pixels, progress: &Progress) -> Html {
    let done = progress.lesson_done(&l.id, l.tasks.len());
    let reached = (1..=l.tasks.len())
        .filter(|&t| progress.is_done(&l.id, t))
        .count();
    html! {
        <li class={classes!("lesson-card", done.then_some("done"))} data-testid="lesson-card"
            data-lesson={l.id.clone()} data-done={done.to_string()}>
            <a href={format!("#lesson={}", l.id)} data-testid={format!("lesson-card-{}", l.id)}>
                <PixelCanvas pixels={pixels.clone()} class={classes!("lesson-picture")}
                    label={AttrValue::from(format!("the data of the lesson {}", l.title))} />
                <span class="lesson-card-text">
                    <span class="lesson-section">{ format!("Section {}", l.section) }</span>
                    <span class="lesson-title">{ l.title.clone() }</span>
                    <span class="lesson-summary">{ l.summary.clone() }</span>
                    if l.coming.is_some() {
                        <span class="lesson-coming" data-testid="lesson-coming">{ "Stand-in for now: its own data or view comes later" }</span>
                    }
                    <span class="lesson-status">
                        if done {
                            <span class="tick" data-testid="lesson-done" aria-label="done">{ "✓ done" }</span>
                        } else {
                            { format!("{reached} of {} tasks", l.tasks.len()) }
                        }
                    </span>
                </span>
            </a>
        </li>
    }
}
