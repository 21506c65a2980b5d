//! How a control honours the instructor's choices in the URL (`<name>_hide=true`,
//! `<name>_lock=true`, names of `config::controls::CONTROLS`): a hidden control is not drawn; a
//! locked one is drawn inside a disabled `<fieldset>` (which disables every input, select and
//! button in it, whatever the control's own markup), with a padlock and a tooltip that says who
//! locked it.

use yew::prelude::*;

use crate::config::Config;

/// What a locked control says on hover.
pub const LOCKED_NOTE: &str = "Locked by your instructor: shown here, but it cannot be changed";

/// `control` as the config wants it: absent when hidden, disabled with a padlock when locked.
pub fn guard(c: &Config, name: &'static str, control: Html) -> Html {
    if !c.shows(name) {
        return Html::default();
    }
    if !c.locks(name) {
        return control;
    }
    locked(name, control)
}

/// `control` disabled, with the padlock and the lock note (`data-testid="locked-<name>"`).
pub fn locked(name: &str, control: Html) -> Html {
    html! {
        <fieldset class="np-locked" disabled=true title={LOCKED_NOTE} data-testid={format!("locked-{name}")}>
            { padlock() }
            { control }
        </fieldset>
    }
}

/// `normal`, or the lock note when `name` is locked: for controls that carry a tooltip of
/// their own, which would otherwise hide the fieldset's.
pub fn title(c: &Config, name: &str, normal: impl Into<String>) -> String {
    if c.locks(name) {
        LOCKED_NOTE.to_string()
    } else {
        normal.into()
    }
}

/// A small padlock drawn in SVG (no emoji font is needed, none is fetched).
pub fn padlock() -> Html {
    html! {
        <svg class="np-padlock" viewBox="0 0 12 14" width="12" height="14" role="img" aria-label="locked">
            <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
            <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="currentColor" />
        </svg>
    }
}
