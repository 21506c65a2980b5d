//! Pure drawing: functions from data to RGBA pixels, tested without a DOM. Components only copy
//! the pixels onto canvases.

pub mod activation;
pub mod colors;
pub mod confusion;
pub mod fit;
pub mod graph_model;
pub mod health;
pub mod hidden;
pub mod images;
pub mod layered;
pub mod plane;
pub mod roc;
pub mod scene;
pub mod scene_canvas;

use std::rc::Rc;

/// An RGBA image. Equality is identity, so canvases redraw only for a new image.
#[derive(Debug, Clone)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgba: Rc<Vec<u8>>,
}

impl PartialEq for Pixels {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rgba, &other.rgba)
    }
}
