//! The keyboard shortcuts: one table that the page's key handler reads and the shortcut list
//! (opened by `?` or its header button) shows, so the list cannot drift from the keys.

use yew::prelude::*;

/// What a shortcut asks of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    TogglePlay,
    StepEpoch,
    StepBatch,
    Reset,
    /// Open or close this list.
    List,
}

/// Every shortcut: the keys (`KeyboardEvent.key` values), how the list writes them, and what
/// they do.
pub const SHORTCUTS: &[(&[&str], &str, Shortcut, &str)] = &[
    (
        &[" "],
        "Space",
        Shortcut::TogglePlay,
        "Play or pause training",
    ),
    (&["s", "S"], "S", Shortcut::StepEpoch, "Train one epoch"),
    (
        &["b", "B"],
        "B",
        Shortcut::StepBatch,
        "Train one mini-batch",
    ),
    (
        &["r", "R"],
        "R",
        Shortcut::Reset,
        "Reset to the starting weights",
    ),
    (&["?"], "?", Shortcut::List, "Show or hide this list"),
];

/// Where the focus is, as far as keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Nothing that takes keys (the page, a panel, a canvas).
    Page,
    /// A control whose Space or Enter presses it: a button, a link, a summary, a focusable
    /// diagram node. Taking Space from it would play instead of pressing it.
    Control,
    /// A field that is typed into: every key is its own.
    Field,
}

impl Focus {
    /// The focus on an element of `tag`, with a `tabindex` of 0 or more, or editable text.
    pub fn of(tag: &str, focusable: bool, content_editable: bool) -> Focus {
        match tag.to_ascii_lowercase().as_str() {
            "input" | "select" | "textarea" => Focus::Field,
            _ if content_editable => Focus::Field,
            "button" | "a" | "summary" => Focus::Control,
            _ if focusable => Focus::Control,
            _ => Focus::Page,
        }
    }
}

/// The shortcut of a key press, when no modifier is held and the focus does not take the key.
pub fn shortcut_for(key: &str, modified: bool, focus: Focus) -> Option<Shortcut> {
    let focus_takes_it = match focus {
        Focus::Page => false,
        Focus::Control => key == " " || key == "Enter",
        Focus::Field => true,
    };
    if modified || focus_takes_it {
        return None;
    }
    SHORTCUTS
        .iter()
        .find(|(keys, ..)| keys.contains(&key))
        .map(|&(_, _, s, _)| s)
}

#[derive(Properties, PartialEq)]
pub struct ShortcutListProps {
    pub on_close: Callback<()>,
}

/// The list of shortcuts, a non-modal dialog; Escape or its button closes it.
#[function_component(ShortcutList)]
pub fn shortcut_list(props: &ShortcutListProps) -> Html {
    let close_ref = use_node_ref();
    {
        // The focus moves into the list so Escape and Tab work from there at once.
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            if let Some(el) = close_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let on_key = {
        let cb = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                cb.emit(());
            }
        })
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="shortcuts" role="dialog" aria-labelledby="shortcuts-title" data-testid="shortcuts"
            onkeydown={on_key}>
            <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
            <table class="np-table">
                <thead><tr><th scope="col">{ "Key" }</th><th scope="col">{ "Does" }</th></tr></thead>
                <tbody>
                    { for SHORTCUTS.iter().map(|(_, label, _, what)| html! {
                        <tr><td><kbd>{ *label }</kbd></td><td>{ *what }</td></tr>
                    }) }
                </tbody>
            </table>
            <p class="np-note">{ "Tab moves between controls; Space or Enter presses the one in focus. \
                The shortcuts work whenever the focus is not on a control or a field." }</p>
            <button type="button" class="btn" data-testid="shortcuts-close" ref={close_ref} onclick={close}>
                { "Close (Esc)" }
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_listed_key_does_what_the_list_says_and_controls_keep_their_keys() {
        for (keys, _, does, _) in SHORTCUTS {
            for key in *keys {
                assert_eq!(
                    shortcut_for(key, false, Focus::Page),
                    Some(*does),
                    "{key:?}"
                );
                assert_eq!(
                    shortcut_for(key, true, Focus::Page),
                    None,
                    "{key:?} + modifier"
                );
                assert_eq!(
                    shortcut_for(key, false, Focus::Field),
                    None,
                    "{key:?} in a field"
                );
            }
        }
        // A focused button keeps Space (it presses the button); letters still reach the page.
        assert_eq!(shortcut_for(" ", false, Focus::Control), None);
        assert_eq!(
            shortcut_for("s", false, Focus::Control),
            Some(Shortcut::StepEpoch)
        );
        assert_eq!(shortcut_for("x", false, Focus::Page), None);
        for tag in ["INPUT", "select", "textarea"] {
            assert_eq!(Focus::of(tag, false, false), Focus::Field, "{tag}");
        }
        for tag in ["button", "A", "summary"] {
            assert_eq!(Focus::of(tag, false, false), Focus::Control, "{tag}");
        }
        assert_eq!(
            Focus::of("g", true, false),
            Focus::Control,
            "a focusable diagram node"
        );
        assert_eq!(Focus::of("div", false, true), Focus::Field, "editable text");
        assert_eq!(Focus::of("body", false, false), Focus::Page);
    }
}
