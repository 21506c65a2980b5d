//! Run control: whether the run plays, the steps asked for while it could not take them yet,
//! and the pace of play. One small state machine, so the host's loop only asks it what is next.

use std::collections::VecDeque;

use crate::config::Speed;

/// A step the student asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Epoch,
    Batch,
}

/// Playing or paused, with the steps still to take. Steps pause play and run in the order they
/// were pressed, each after the metrics of the one before are read (the host's loop evaluates
/// first), so a press during a GPU read waits for it instead of being lost.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunControl {
    playing: bool,
    steps: VecDeque<Step>,
}

impl RunControl {
    pub fn playing(&self) -> bool {
        self.playing
    }

    pub fn play(&mut self) {
        self.playing = true;
        self.steps.clear();
    }

    pub fn pause(&mut self) {
        self.playing = false;
    }

    pub fn step(&mut self, step: Step) {
        self.playing = false;
        self.steps.push_back(step);
    }

    /// The network was rebuilt or reset: steps asked of the old one lapse; play goes on.
    pub fn rebuilt(&mut self) {
        self.steps.clear();
    }

    /// The run stopped by itself (diverged): nothing more until the student acts.
    pub fn stopped(&mut self) {
        self.playing = false;
        self.steps.clear();
    }

    /// The next step to take, if any.
    /// Whether steps asked for are still to take.
    pub fn stepping(&self) -> bool {
        !self.steps.is_empty()
    }

    pub fn next_step(&mut self) -> Option<Step> {
        self.steps.pop_front()
    }
}

/// Epochs allowed by a target rate: a budget that grows with time and shrinks with each epoch
/// trained. Capped at a fifth of a second's worth, so a run that fell behind (a slow epoch,
/// a busy machine) does not race to catch up.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    speed: Speed,
    /// Epochs owed, as of `at` (ms).
    owed: f64,
    at: f64,
}

/// The longest a target rate may run ahead of itself, in seconds.
const BURST_S: f64 = 0.2;

impl Pace {
    pub fn new(speed: Speed, now: f64) -> Self {
        Self {
            speed,
            owed: 0.0,
            at: now,
        }
    }

    /// A new target (or play resumed): the budget starts afresh.
    pub fn restart(&mut self, speed: Speed, now: f64) {
        *self = Self::new(speed, now);
    }

    fn catch_up(&mut self, now: f64) {
        if let Some(rate) = self.speed.rate() {
            let cap = (rate * BURST_S).max(1.0);
            self.owed = (self.owed + rate * (now - self.at).max(0.0) / 1000.0).min(cap);
        }
        self.at = now;
    }

    /// Whole epochs that may be trained now (`u32::MAX` flat out), or the ms to wait for one.
    pub fn allowance(&mut self, now: f64) -> Result<u32, f64> {
        let Some(rate) = self.speed.rate() else {
            return Ok(u32::MAX);
        };
        self.catch_up(now);
        if self.owed >= 1.0 {
            Ok(self.owed.floor() as u32)
        } else {
            Err((1.0 - self.owed) / rate * 1000.0)
        }
    }

    /// `epochs` were trained.
    pub fn trained(&mut self, epochs: u32) {
        self.owed -= f64::from(epochs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_pause_and_queue_in_order() {
        let mut r = RunControl::default();
        r.play();
        r.step(Step::Epoch);
        r.step(Step::Batch);
        assert!(!r.playing());
        assert_eq!(r.next_step(), Some(Step::Epoch));
        assert_eq!(r.next_step(), Some(Step::Batch));
        assert_eq!(r.next_step(), None);
    }

    #[test]
    fn a_rebuild_drops_steps_but_keeps_play_and_a_stop_ends_both() {
        let mut r = RunControl::default();
        r.step(Step::Epoch);
        r.rebuilt();
        assert_eq!(r.next_step(), None);
        r.play();
        r.rebuilt();
        assert!(r.playing());
        r.step(Step::Batch);
        r.play();
        assert_eq!(r.next_step(), None, "play takes over from pending steps");
        r.stopped();
        assert!(!r.playing());
    }

    #[test]
    fn a_rate_allows_epochs_as_time_passes() {
        let mut p = Pace::new(Speed::Rate(100), 0.0);
        assert_eq!(p.allowance(0.0), Err(10.0), "one epoch every 10 ms");
        assert_eq!(p.allowance(55.0), Ok(5));
        p.trained(5);
        assert_eq!(p.allowance(55.0), Err(5.0));
        // Far behind: at most a fifth of a second's worth at once.
        assert_eq!(p.allowance(10_000.0), Ok(20));
        p.restart(Speed::Max, 10_000.0);
        assert_eq!(p.allowance(10_000.0), Ok(u32::MAX));
    }

    #[test]
    fn a_slow_rate_still_allows_one_epoch() {
        let mut p = Pace::new(Speed::Rate(6), 0.0);
        assert!(p.allowance(100.0).is_err());
        assert_eq!(p.allowance(10_000.0), Ok(1));
    }
}
