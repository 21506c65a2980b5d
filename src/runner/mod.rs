//! Where the training host runs, seen from the page. In the worker mode it runs in a dedicated
//! Web Worker and the page only draws; where a worker cannot run the engine (the worker script
//! or the module fails to load there) it runs on the page between frames, the fallback mode.
//! Either way the page sends `Command`s and hears `Event`s (`crate::protocol`).
//!
//! A worker that dies (a crash, out of memory) is started again and continues from the last
//! checkpoint the page holds: the weights, optimizer state and epoch of at most a second ago.

pub mod drive;
mod fetch;
mod local;
pub mod own_store;
pub mod worker;

use crate::config::Config;
use crate::protocol::{Checkpoint, Command};
use crate::state::Impact;
pub(crate) use local::now;
use local::LocalLink;
pub use worker::Heard;
use worker::WorkerLink;

/// Where training runs, for the badge.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Worker,
    /// On the page, and why.
    Page(String),
}

impl Mode {
    pub fn describe(&self) -> String {
        match self {
            Mode::Worker => "worker".to_string(),
            Mode::Page(why) => format!("page: {why}"),
        }
    }
}

#[derive(Debug)]
enum Link {
    Worker(WorkerLink),
    Page(LocalLink),
}

/// The page's handle on the host.
#[derive(Debug)]
pub struct Runner {
    link: Link,
    mode: Mode,
}

impl Runner {
    /// Starts the host for `config` in a worker, or on the page where no worker starts.
    /// `heard` gets the worker's events and its failures (`Runner::recover` handles those).
    pub fn start(config: &Config, revision: u64, heard: impl Fn(Heard) + Clone + 'static) -> Self {
        match WorkerLink::start(heard.clone()) {
            Ok(link) => {
                link.send(Command::Configure {
                    config: Box::new(config.clone()),
                    impact: Impact::Rebuild,
                    revision,
                });
                Self {
                    link: Link::Worker(link),
                    mode: Mode::Worker,
                }
            }
            Err(why) => Self::on_page(config, revision, why, heard),
        }
    }

    fn on_page(
        config: &Config,
        revision: u64,
        why: String,
        heard: impl Fn(Heard) + 'static,
    ) -> Self {
        let link = LocalLink::start(config, move |e| heard(Heard::Event(e)));
        // Built from `config` already: this only tells the host the page's revision.
        link.send(Command::Configure {
            config: Box::new(config.clone()),
            impact: Impact::None,
            revision,
        });
        Self {
            link: Link::Page(link),
            mode: Mode::Page(why),
        }
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    pub fn send(&self, c: Command) {
        match &self.link {
            Link::Worker(w) => w.send(c),
            Link::Page(p) => p.send(c),
        }
    }

    /// After the worker failed to start (`on_page`: move onto the page) or died: a new host for
    /// `config`, continuing from `checkpoint` and playing if `playing`.
    pub fn recover(
        &mut self,
        config: &Config,
        revision: u64,
        checkpoint: Option<&Checkpoint>,
        playing: bool,
        on_page: Option<String>,
        heard: impl Fn(Heard) + Clone + 'static,
    ) {
        // The old worker goes first (terminated on drop), so two never train at once.
        self.link = Link::Page(LocalLink::idle());
        *self = match on_page {
            Some(why) => Self::on_page(config, revision, why, heard),
            None => Self::start(config, revision, heard),
        };
        if let Some(c) = checkpoint {
            self.send(Command::Restore(Box::new(c.clone())));
        }
        if playing {
            self.send(Command::Play);
        }
        self.send(Command::Ready);
    }
}
