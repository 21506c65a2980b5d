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
    // The embedding keys (`crate::embed`) belong to the page around the playground, not to the
    // experiment: with them, `#playground` and a bare lesson link still open their defaults.
    let embedding = |k: &str| matches!(k, "embed" | "parentOrigin");
    let with_embedding = |c: Config| {
        let (place, _) = hash::parse(body);
        hash::print(&Config {
            embed: place.embed,
            parent_origin: place.parent_origin,
            ..c
        })
    };
    if keys.iter().any(|(k, _)| k == PLAYGROUND)
        && keys.iter().all(|(k, _)| k == PLAYGROUND || embedding(k))
    {
        return Route::Playground {
            rewrite: Some(with_embedding(Config::default())),
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
    let only_place = keys
        .iter()
        .all(|(k, _)| k == "lesson" || k == "task" || embedding(k));
    Route::Playground {
        rewrite: only_place.then(|| with_embedding(lesson.config(task).0)),
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
                rewrite: Some(hash::print(&lesson.config(1).0))
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

    #[test]
    fn the_embedding_keys_ride_along_with_the_playground_and_a_lesson() {
        let embedded = |c: Config| Config {
            embed: true,
            parent_origin: Some("http://localhost:8000".to_string()),
            ..c
        };
        let keys = "embed=true&parentOrigin=http://localhost:8000";
        let Route::Playground {
            rewrite: Some(text),
        } = route(&format!("#playground&{keys}"))
        else {
            panic!("the free playground, embedded");
        };
        assert_eq!(hash::parse(&text), (embedded(Config::default()), vec![]));
        let Route::Playground {
            rewrite: Some(text),
        } = route(&format!("#lesson=overfitting&task=2&{keys}"))
        else {
            panic!("a lesson, embedded");
        };
        let lesson = find("overfitting").unwrap();
        assert_eq!(hash::parse(&text), (embedded(lesson.config(2).0), vec![]));
        assert_eq!(
            route("#embed=true&dataset=xor"),
            Route::Playground { rewrite: None }
        );
    }
}
