//! Where a `load` command goes: the hash body the page navigates to. The embedding keys
//! (`embed`, `parentOrigin`) are the embedding page's choice, made in the iframe's URL, so a
//! `load` keeps them as they are: a message cannot leave embed mode or redirect the events.

use super::message::Target;
use crate::config::{hash, Config};

/// Keys a `load`'s hash may not set (see the module documentation).
const EMBEDDING_KEYS: [&str; 2] = ["embed", "parentOrigin"];

/// The hash body (no `#`) for `target`, with `current`'s embedding keys.
pub fn hash_for(target: &Target, current: &Config) -> String {
    let embedding = |mut c: Config| {
        c.embed = current.embed;
        c.parent_origin = current.parent_origin.clone();
        hash::print(&c)
    };
    match target {
        // The lesson route rewrites a bare `lesson=<id>` to its preset, keeping these keys.
        Target::Lesson(id) => join(format!("lesson={id}"), current),
        Target::Hash(body) if body.is_empty() || body == crate::lessons::route::PLAYGROUND => {
            embedding(Config::default())
        }
        Target::Hash(body) => {
            let kept: Vec<&str> = body
                .split('&')
                .filter(|pair| {
                    let key = pair.split_once('=').map_or(*pair, |(k, _)| k).trim();
                    !pair.trim().is_empty() && !EMBEDDING_KEYS.contains(&key)
                })
                .collect();
            if kept.is_empty() {
                return embedding(Config::default());
            }
            join(kept.join("&"), current)
        }
    }
}

fn join(body: String, current: &Config) -> String {
    let pairs = hash::embedding_pairs(current);
    if pairs.is_empty() {
        body
    } else {
        format!("{body}&{}", pairs.join("&"))
    }
}
