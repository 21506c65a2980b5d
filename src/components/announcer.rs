//! The page's polite live region for screen readers: while training runs it says the epoch,
//! loss and accuracy at most every `EVERY_MS`, and it says when a lesson task's goal is reached.
//! A screen reader reads a polite region when the user is idle, so a region that changed every
//! frame would either flood them or be cut off mid-sentence; hence the throttle.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::{Record, Snapshot};

/// Least time between two training announcements, in ms.
pub const EVERY_MS: f64 = 5000.0;

/// A sentence about the run: epoch, losses, and test accuracy where the problem has classes.
pub fn training_words(epoch: u64, r: &Record, classification: bool) -> String {
    let mut words = format!("Epoch {epoch}: training loss {}", short(r.loss_train));
    if let Some(test) = r.loss_test.filter(|v| v.is_finite()) {
        words += &format!(", test loss {}", short(test));
    }
    if classification {
        if let Some(acc) = r.acc_test.filter(|v| v.is_finite()) {
            words += &format!(", test accuracy {:.0} %", acc * 100.0);
        }
    }
    words
}

/// Three significant digits: enough to hear a trend, short enough to listen to.
fn short(v: f64) -> String {
    if !v.is_finite() {
        "not a number".to_string()
    } else if v == 0.0 {
        "0".to_string()
    } else if (1e-3..1e4).contains(&v.abs()) {
        let digits = (2 - v.abs().log10().floor() as i32).clamp(0, 5) as usize;
        format!("{v:.digits$}")
    } else {
        format!("{v:.2e}")
    }
}

/// Whether a training announcement is due: only while playing, and `EVERY_MS` after the last
/// announcement of any kind (a task reached is not talked over at once).
pub fn due(playing: bool, since_last_ms: f64) -> bool {
    playing && since_last_ms >= EVERY_MS
}

#[derive(Properties, PartialEq)]
pub struct AnnouncerProps {
    pub snapshot: Rc<Snapshot>,
    pub playing: bool,
    /// The latest task reached, with a count that grows each time one is, so the same task
    /// reached twice is announced twice.
    #[prop_or_default]
    pub reached: Option<(u64, String)>,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[function_component(Announcer)]
pub fn announcer(props: &AnnouncerProps) -> Html {
    let text = use_state(String::new);
    // Far in the past: the first snapshot of a run is announced at once.
    let last = use_mut_ref(|| f64::NEG_INFINITY);
    {
        let (text, last) = (text.clone(), last.clone());
        let snapshot = props.snapshot.clone();
        use_effect_with(
            (props.snapshot.version, props.playing),
            move |(_, playing)| {
                let t = now();
                if due(*playing, t - *last.borrow()) && snapshot.epoch > 0 {
                    *last.borrow_mut() = t;
                    let classification = snapshot.data.classes > 1;
                    text.set(training_words(
                        snapshot.epoch,
                        &snapshot.latest,
                        classification,
                    ));
                }
            },
        );
    }
    {
        let (text, last) = (text.clone(), last.clone());
        use_effect_with(props.reached.clone(), move |reached| {
            if let Some((_, words)) = reached {
                *last.borrow_mut() = now();
                text.set(format!("Task reached: {words}"));
            }
        });
    }
    html! {
        <div class="visually-hidden" data-testid="live-announcer" aria-live="polite" aria-atomic="true">{ (*text).clone() }</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_epoch_losses_and_accuracy() {
        let r = Record {
            epoch: 120,
            loss_train: 0.23456,
            loss_test: Some(0.0312),
            loss_val: None,
            acc_train: Some(0.95),
            acc_test: Some(0.9125),
            auc_test: None,
        };
        assert_eq!(
            training_words(120, &r, true),
            "Epoch 120: training loss 0.235, test loss 0.0312, test accuracy 91 %"
        );
        // Regression has no accuracy to speak of.
        assert_eq!(
            training_words(120, &r, false),
            "Epoch 120: training loss 0.235, test loss 0.0312"
        );
        let young = Record {
            loss_train: 12.5,
            loss_test: None,
            ..r
        };
        assert_eq!(
            training_words(1, &young, true),
            "Epoch 1: training loss 12.5, test accuracy 91 %"
        );
    }

    #[test]
    fn numbers_stay_short_and_never_panic() {
        assert_eq!(short(0.0), "0");
        assert_eq!(short(1.0), "1.00");
        assert_eq!(short(123.456), "123");
        assert_eq!(short(0.000012), "1.20e-5");
        assert_eq!(short(f64::NAN), "not a number");
        assert_eq!(short(f64::INFINITY), "not a number");
    }

    #[test]
    fn at_most_every_five_seconds_and_only_while_playing() {
        assert!(due(true, f64::INFINITY));
        assert!(!due(true, EVERY_MS - 1.0));
        assert!(due(true, EVERY_MS));
        assert!(!due(false, f64::INFINITY));
    }
}
