//! Painting a canvas again after the browser restores its 2D context. A GPU process crash or a
//! GPU reset (the same event that loses a WebGPU device) clears every accelerated canvas; the
//! browser then fires `contextrestored` on each, blank. Components redraw only when their data
//! changes, so a paused page would stay blank without this.

use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

/// How many times the context was restored.
#[derive(Default, PartialEq)]
struct Restores(u32);

impl Reducible for Restores {
    type Action = ();
    fn reduce(self: Rc<Self>, _: ()) -> Rc<Self> {
        Rc::new(Restores(self.0.wrapping_add(1)))
    }
}

/// A counter that goes up each time `canvas`'s context is restored: put it among a drawing
/// effect's dependencies and the canvas is painted again.
#[hook]
pub fn use_context_restored(canvas: &NodeRef) -> u32 {
    let restores = use_reducer(Restores::default);
    {
        let canvas = canvas.clone();
        let dispatcher = restores.dispatcher();
        use_effect_with((), move |_| {
            let listener = canvas.cast::<web_sys::Element>().map(|target| {
                EventListener::new(&target, "contextrestored", move |_| dispatcher.dispatch(()))
            });
            move || drop(listener)
        });
    }
    restores.0
}
