//! The messages between the page and the training host. The host (`session::host`) owns the
//! data, the trainer and the backend; in the worker mode it runs in a dedicated Web Worker
//! (`runner::worker`), in the fallback mode on the page itself (`runner::local`). Either way the
//! page sends `Command`s and receives `Event`s, and nothing else passes between them.
//!
//! On the wire each message is one `ArrayBuffer` of MessagePack (binary serde, numbers as raw
//! IEEE bytes), moved to the other side as a transferable, not copied and not JSON: a snapshot
//! carries the output grid, every neuron's thumbnail and the weights, some hundreds of kilobytes
//! at display rate.
//!
//! Flow control: the host sends a snapshot only when the page has said `Ready` since the last
//! one, so snapshots are produced exactly as often as they are drawn, and a busy page never
//! builds a queue.

use np_engine::train::{
    GradCheck, Landscape, LandscapeRequest, StepExplanation, StepPick, TrainerState,
};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::analysis::groups::GroupCounts;
use crate::config::{Config, Dataset, Feature};
use crate::session::{Data, History, LayerView, Record, RunProgress, Snapshot};
use crate::state::Impact;

/// Page to host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// The experiment as it now stands; `impact` says how much of the run survives the change.
    /// `revision` counts the page's changes: snapshots carry the last one the host took, so the
    /// page can drop a snapshot of a network it has since replaced.
    Configure {
        config: Box<Config>,
        impact: Impact,
        revision: u64,
    },
    Play,
    Pause,
    /// Finish the current epoch (pauses).
    StepEpoch,
    /// Train one mini-batch (pauses).
    StepBatch,
    /// Set one parameter by hand (the weight editor).
    Edit {
        target: Edit,
        value: f64,
    },
    /// The page has drawn the last snapshot and can take another.
    Ready,
    /// The page stored a new file of the student's (or forgot theirs): the one read before is
    /// dropped, and read again from storage when the config names it.
    OwnFileStored,
    /// Send a checkpoint of the run as it stands after the commands before this one (a
    /// download of the run): taken now, not at the next second.
    Checkpoint,
    /// Carry on from a checkpoint: sent to a restarted worker right after its `Configure`, and
    /// after the `Configure` of a run restored from a file or from browser storage.
    Restore(Box<Checkpoint>),
    /// Explain the next step on `pick`'s rows without taking it (the backprop stepper and the
    /// graph panel); answered by `Event::Explained` with the same `view`.
    Explain {
        pick: StepPick,
        view: EngineView,
    },
    /// Take one extra step on one training row (the stepper's step on a chosen sample).
    StepRow {
        row: u32,
    },
    /// Check the gradients of the next mini-batch, at most `limit` parameter elements (a
    /// sample drawn with `seed` beyond); answered by `Event::GradientChecked`.
    GradientCheck {
        limit: u32,
        seed: u64,
    },
    /// The loss landscape around the current weights, with the weights the page recorded
    /// projected onto it; answered by `Event::Landscape`.
    Landscape(Box<LandscapeRequest>),
}

/// Which inside-the-engine view asked for an explanation (each keeps its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EngineView {
    /// The graph panel, following training.
    Graph,
    /// The backprop stepper, frozen on one step while the student walks it.
    Stepper,
}

/// Which parameter an edit sets (`layer` counts weight layers, the output layer last).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    Weight {
        layer: usize,
        to: usize,
        from: usize,
    },
    Bias {
        layer: usize,
        to: usize,
    },
}

/// Host to page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// What the panels draw.
    Snapshot(Box<WireSnapshot>),
    /// The run stopped by itself (diverged, or could not be built); the page shows `why`.
    Stopped { why: String },
    /// Bytes of a shipped dataset's file arrived (`total` when the server said how many).
    DataProgress {
        dataset: Dataset,
        loaded: u64,
        total: Option<u64>,
    },
    /// A shipped dataset's file is loaded; the network is built on it.
    DataLoaded { dataset: Dataset },
    /// A shipped dataset's file could not be fetched or read; `why` says what to do.
    DataFailed { dataset: Dataset, why: String },
    /// Early stopping ended the run (play stops); snapshots carry `why` while it stands.
    StoppedEarly { why: String },
    /// The backend in use and what the adapter check found.
    Backend { label: String, adapter: String },
    /// Training left the GPU mid-run (device lost) and goes on on the CPU.
    FellBack { why: String },
    /// Enough to restart the run where it stands if the worker dies, and what the page keeps
    /// in browser storage. `revision`: the last `Configure` the run had taken, so the page
    /// keeps a run only with the config it was made under.
    Checkpoint { run: Box<Checkpoint>, revision: u64 },
    /// A `Restore` was refused (the run goes on as it was); the page shows `why`.
    NotRestored { why: String },
    /// A `Command::Explain` answered: the explanation, or why there is none.
    Explained {
        view: EngineView,
        result: Result<Box<StepExplanation>, String>,
    },
    /// A `Command::GradientCheck` answered.
    GradientChecked(Result<Box<GradCheck>, String>),
    /// A `Command::Landscape` answered: the grid, or why there is none (GPU backend, a
    /// diverged run).
    Landscape(Result<Box<Landscape>, String>),
    /// A `Command::StepRow` could not be taken.
    NotStepped { why: String },
}

/// A run's state as plain data: the trainer's (weights, optimizer state, epoch, shuffle
/// position) plus what the page shows of its past.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub trainer: TrainerState,
    pub history: History,
    pub latest: Record,
}

/// A `Snapshot` on the wire: the data set travels only when it changed (after a rebuild), the
/// page keeps the last one it received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireSnapshot {
    pub version: u64,
    /// The `revision` of the last `Configure` the host took before this snapshot.
    pub revision: u64,
    pub latest: Record,
    pub history: Vec<Record>,
    pub grid: usize,
    pub output: Vec<Vec<f64>>,
    pub neurons: Vec<Vec<Vec<f64>>>,
    pub layers: Vec<LayerView>,
    pub features: Vec<Feature>,
    pub progress: RunProgress,
    pub groups: Vec<GroupCounts>,
    pub data: Option<Data>,
}

impl WireSnapshot {
    /// `s` for the wire, with its data set when `with_data`.
    pub fn of(s: &Snapshot, revision: u64, with_data: bool) -> Self {
        Self {
            version: s.version,
            revision,
            latest: s.latest,
            history: s.history.clone(),
            grid: s.grid,
            output: s.output.clone(),
            neurons: s.neurons.clone(),
            layers: s.layers.clone(),
            features: s.features.clone(),
            progress: s.progress.clone(),
            groups: s.groups.clone(),
            data: with_data.then(|| (*s.data).clone()),
        }
    }

    /// The snapshot again, with `data` where the message carried none.
    pub fn into_snapshot(self, data: &std::rc::Rc<Data>) -> Snapshot {
        Snapshot {
            version: self.version,
            epoch: self.latest.epoch,
            latest: self.latest,
            history: self.history,
            grid: self.grid,
            output: self.output,
            neurons: self.neurons,
            layers: self.layers,
            features: self.features,
            progress: self.progress,
            groups: self.groups,
            data: match self.data {
                Some(d) => std::rc::Rc::new(d),
                None => data.clone(),
            },
        }
    }
}

/// A message as bytes.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    // Field names kept (`to_vec_named`): the engine's internally tagged enums are read by name.
    rmp_serde::to_vec_named(message).map_err(|e| format!("encoding a message failed: {e}"))
}

/// Bytes as a message; anything else is an error, never a panic.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(bytes).map_err(|e| format!("a message could not be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::hash;
    use crate::session::Session;

    #[test]
    fn messages_survive_the_wire() {
        let (config, _) = hash::parse("dataset=spiral&networkShape=5,3&speed=max");
        let mut s = Session::new(&config);
        s.step_epoch_now();
        let snap = s.snapshot_now(8);
        let commands = [
            Command::Configure {
                config: Box::new(config),
                impact: Impact::Rebuild,
                revision: 3,
            },
            Command::Edit {
                target: Edit::Weight {
                    layer: 1,
                    to: 2,
                    from: 0,
                },
                value: -0.25,
            },
            Command::Restore(Box::new(s.checkpoint().expect("the CPU exports at once"))),
        ];
        for c in commands {
            let back: Command = decode(&encode(&c).expect("encodes")).expect("decodes");
            assert_eq!(back, c);
        }
        let event = Event::Snapshot(Box::new(WireSnapshot::of(&snap, 0, true)));
        let Event::Snapshot(back) = decode(&encode(&event).expect("encodes")).expect("decodes")
        else {
            panic!("not a snapshot");
        };
        let back = back.into_snapshot(&std::rc::Rc::default());
        assert_eq!(
            (back.output, back.neurons, back.layers),
            (snap.output, snap.neurons, snap.layers)
        );
        assert_eq!(*back.data, *snap.data);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let good = encode(&Command::StepEpoch).expect("encodes");
        let mut rng = crate::config::fuzz::Rng::new(11);
        for i in 0..5000 {
            let mut bytes = good.clone();
            let len = rng.below(40);
            bytes.resize(len, 0);
            for b in bytes.iter_mut() {
                *b = rng.below(256) as u8;
            }
            if i % 2 == 0 {
                bytes.splice(0..0, good.iter().copied());
            }
            let _ = decode::<Command>(&bytes);
            let _ = decode::<Event>(&bytes);
        }
    }
}
