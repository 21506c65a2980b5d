//! One component per file.

pub mod announcer;
pub mod backend_badge;
pub mod canvas_restore;
pub mod classroom;
pub mod controls;
pub mod data;
pub mod download;
pub mod export;
pub mod fields;
pub mod graph_view;
pub mod group_rates;
pub mod guard;
pub mod help;
pub mod loss_chart;
pub mod network;
pub mod notices;
pub mod output;
pub mod own_data;
pub mod pixel_canvas;
pub mod png_button;
pub mod save;
pub mod shortcuts;
pub mod weight_editor;
pub mod wide_view;
