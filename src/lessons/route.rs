//! What a URL hash opens. A hash with no experiment in it opens the lesson gallery;
//! `#playground` the free playground; `#lesson=<id>` (optionally `&task=<n>`) a lesson at its
//! preset; any other hash (a TensorFlow Playground link, a lesson with the student's changes)
//! the playground as the hash says.

use super::find;
use crate::config::{hash, Config};

/// The page to show for a hash.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// The gallery, with a notice when the hash asked for something that is not there.
    Gallery { notice: Option<String> },
    /// The playground. `rewrite` is the hash to put in the address bar first (a lesson's preset,
    /// the free playground's defaults), `None` to keep the hash as it is.
    Playground { rewrite: Option<String> },
}

/// The key the free playground's link uses.
pub const PLAYGROUND: &str = "playground";

/// Decides the route of `text` (with or without `#`).
pub fn route(text: &str) -> Route {
    let body = text.trim().trim_start_matches('#');
    let keys: Vec<(String, String)> = body
        .split('&')
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (p.trim().to_string(), String::new()),
        })
        .collect();
    if keys.is_empty() {
        return Route::Gallery { notice: None };
    }
    if keys.len() == 1 && keys[0].0 == PLAYGROUND {
        return Route::Playground {
            rewrite: Some(hash::print(&Config::default())),
        };
    }
    let lesson = keys.iter().rev().find(|(k, _)| k == "lesson");
    let Some((_, id)) = lesson else {
        return Route::Playground { rewrite: None };
    };
    let Some(lesson) = find(id) else {
        return Route::Gallery {
            notice: Some(format!(
                "There is no lesson “{id}”; here are the lessons there are."
            )),
        };
    };
    let task_text = keys.iter().rev().find(|(k, _)| k == "task").map(|(_, v)| v);
    let task = match task_text {
        None => 1,
        Some(t) => match t.parse::<usize>() {
            Ok(n) if (1..=lesson.tasks.len()).contains(&n) => n,
            _ => {
                return Route::Gallery {
                    notice: Some(format!(
                        "The lesson “{}” has tasks 1 to {}, not “{t}”.",
                        lesson.title,
                        lesson.tasks.len()
                    )),
                }
            }
        },
    };
    let only_place = keys.iter().all(|(k, _)| k == "lesson" || k == "task");
    Route::Playground {
        rewrite: only_place.then(|| lesson.hash(task)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_hashes_open_the_gallery() {
        for text in ["", "#", "  ", "#&"] {
            assert_eq!(route(text), Route::Gallery { notice: None }, "{text:?}");
        }
    }

    #[test]
    fn experiments_open_the_playground_as_they_are() {
        for text in [
            "#activation=tanh&dataset=spiral",
            "hideText=true",
            "#lesson=overfitting&task=2&dataset=moons&networkShape=3",
        ] {
            assert_eq!(route(text), Route::Playground { rewrite: None }, "{text}");
        }
    }

    #[test]
    fn the_free_playground_is_the_default_experiment() {
        let Route::Playground {
            rewrite: Some(text),
        } = route("#playground")
        else {
            panic!("the free playground opens the playground");
        };
        assert_eq!(hash::parse(&text), (Config::default(), vec![]));
    }

    #[test]
    fn a_lesson_opens_at_its_preset_and_task() {
        let lesson = find("overfitting").unwrap();
        let Route::Playground {
            rewrite: Some(text),
        } = route("#lesson=overfitting&task=2")
        else {
            panic!("a lesson opens the playground");
        };
        let (c, notices) = hash::parse(&text);
        assert_eq!(notices, vec![]);
        assert_eq!(c, lesson.config(2).0);
        assert!(text.starts_with("lesson=overfitting&task=2&"), "{text}");
        assert_eq!(
            route("lesson=overfitting"),
            Route::Playground {
                rewrite: Some(lesson.hash(1))
            }
        );
    }

    #[test]
    fn unknown_lessons_and_tasks_open_the_gallery_saying_so() {
        let Route::Gallery { notice: Some(n) } = route("#lesson=quantum") else {
            panic!("unknown lesson");
        };
        assert!(n.contains("quantum"), "{n}");
        for task in ["0", "99", "two"] {
            let Route::Gallery { notice: Some(n) } = route(&format!("#lesson=graphs&task={task}"))
            else {
                panic!("task {task}");
            };
            assert!(n.contains(task), "{n}");
        }
    }
}
