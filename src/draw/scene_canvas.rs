//! Paints a `Scene` onto a canvas. The only panel code that touches the 2-D context; it redraws
//! when the scene changes.

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use super::scene::{Align, Scene, Shape};
use crate::components::canvas_restore::use_context_restored;

#[derive(Properties, PartialEq)]
pub struct SceneCanvasProps {
    pub scene: Scene,
    /// The canvas's accessible name.
    pub label: AttrValue,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
    /// Pointer drags, in canvas pixels (dx, dy); makes the canvas focusable and arrow keys send
    /// 10-pixel drags, so rotating needs no mouse.
    #[prop_or_default]
    pub on_drag: Option<Callback<(f64, f64)>>,
}

#[function_component(SceneCanvas)]
pub fn scene_canvas(props: &SceneCanvasProps) -> Html {
    let canvas = use_node_ref();
    // A GPU process crash clears the canvas; paint the scene again when it comes back.
    let restored = use_context_restored(&canvas);
    {
        let canvas = canvas.clone();
        use_effect_with((props.scene.clone(), restored), move |(scene, _)| {
            if let Some(ctx) = context(&canvas) {
                paint(&ctx, scene);
            }
        });
    }
    let last = use_mut_ref(|| None::<(f64, f64)>);
    let drag = props.on_drag.clone();
    let (onpointerdown, onpointermove, onpointerup, onkeydown) = match drag {
        Some(on_drag) => {
            let down = {
                let last = last.clone();
                Callback::from(move |e: PointerEvent| {
                    *last.borrow_mut() = Some((f64::from(e.client_x()), f64::from(e.client_y())));
                })
            };
            let moved = {
                let last = last.clone();
                let on_drag = on_drag.clone();
                Callback::from(move |e: PointerEvent| {
                    let now = (f64::from(e.client_x()), f64::from(e.client_y()));
                    let prev = *last.borrow();
                    if let Some(prev) = prev {
                        if e.buttons() & 1 == 1 {
                            on_drag.emit((now.0 - prev.0, now.1 - prev.1));
                            *last.borrow_mut() = Some(now);
                        } else {
                            *last.borrow_mut() = None;
                        }
                    }
                })
            };
            let up = {
                let last = last.clone();
                Callback::from(move |_: PointerEvent| *last.borrow_mut() = None)
            };
            let key = Callback::from(move |e: KeyboardEvent| {
                let d = match e.key().as_str() {
                    "ArrowLeft" => (-10.0, 0.0),
                    "ArrowRight" => (10.0, 0.0),
                    "ArrowUp" => (0.0, -10.0),
                    "ArrowDown" => (0.0, 10.0),
                    _ => return,
                };
                e.prevent_default();
                on_drag.emit(d);
            });
            (Some(down), Some(moved), Some(up), Some(key))
        }
        None => (None, None, None, None),
    };
    let focusable = props.on_drag.is_some().then_some("0");
    html! {
        <canvas
            ref={canvas}
            class={classes!("scene-canvas", props.on_drag.is_some().then_some("draggable"))}
            width={props.scene.width.to_string()}
            height={props.scene.height.to_string()}
            role="img"
            aria-label={props.label.clone()}
            data-testid={props.testid.clone()}
            tabindex={focusable}
            {onpointerdown}
            {onpointermove}
            {onpointerup}
            {onkeydown}
        />
    }
}

fn context(canvas: &NodeRef) -> Option<CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    canvas
        .cast::<HtmlCanvasElement>()?
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()
}

/// Paints every shape in order.
fn paint(ctx: &CanvasRenderingContext2d, scene: &Scene) {
    ctx.set_fill_style_str(&scene.background.css());
    ctx.fill_rect(0.0, 0.0, scene.width, scene.height);
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
    for shape in &scene.shapes {
        match shape {
            Shape::Polyline {
                points,
                color,
                width,
            } => {
                ctx.begin_path();
                for (i, (x, y)) in points.iter().enumerate() {
                    if i == 0 {
                        ctx.move_to(*x, *y);
                    } else {
                        ctx.line_to(*x, *y);
                    }
                }
                ctx.set_stroke_style_str(&color.css());
                ctx.set_line_width(*width);
                ctx.stroke();
            }
            Shape::Rect { x, y, w, h, fill } => {
                ctx.set_fill_style_str(&fill.css());
                ctx.fill_rect(*x, *y, *w, *h);
            }
            Shape::Circle {
                x,
                y,
                r,
                fill,
                stroke,
            } => {
                ctx.begin_path();
                // arc only fails for a negative radius, which the scenes never make.
                let _ = ctx.arc(*x, *y, *r, 0.0, std::f64::consts::TAU);
                ctx.set_fill_style_str(&fill.css());
                ctx.fill();
                if let Some(s) = stroke {
                    ctx.set_stroke_style_str(&s.css());
                    ctx.set_line_width(1.0);
                    ctx.stroke();
                }
            }
            Shape::Polygon { points, fill } => {
                ctx.begin_path();
                for (i, (x, y)) in points.iter().enumerate() {
                    if i == 0 {
                        ctx.move_to(*x, *y);
                    } else {
                        ctx.line_to(*x, *y);
                    }
                }
                ctx.close_path();
                ctx.set_fill_style_str(&fill.css());
                ctx.fill();
            }
            Shape::Text {
                x,
                y,
                text,
                color,
                size,
                align,
            } => {
                ctx.set_font(&format!("{size}px system-ui, sans-serif"));
                ctx.set_text_align(match align {
                    Align::Left => "left",
                    Align::Center => "center",
                    Align::Right => "right",
                });
                ctx.set_fill_style_str(&color.css());
                let _ = ctx.fill_text(text, *x, *y);
            }
        }
    }
}
