//! The batched forward that paints a decision boundary: every point of a `res x res` grid
//! through the network in one submission, the points generated on the device, one readback.

use crate::backend::WgpuBackend;
use np_engine::backend::{MatmulDesc, UnaryOp};
use np_engine::{Backend, BufferId, Result};

/// One Dense layer already on the device: `y = act(x @ w + b)`.
/// # Shapes
/// `w: [inputs, outputs]`, `b: [outputs]`.
#[derive(Clone, Copy, Debug)]
pub struct DenseOnDevice {
    pub w: BufferId,
    pub b: BufferId,
    pub inputs: usize,
    pub outputs: usize,
    pub act: UnaryOp,
}

/// The grid: x from `x0` to `x1` across columns, y from `y0` to `y1` down rows, `res` points
/// each way.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    pub res: usize,
    pub x0: f32,
    pub x1: f32,
    pub y0: f32,
    pub y1: f32,
}

/// The network's outputs at every grid point, row-major `[res * res, outputs]`. Records the
/// whole forward, submits once, awaits one readback.
pub async fn boundary_grid(
    backend: &mut WgpuBackend,
    layers: &[DenseOnDevice],
    spec: GridSpec,
) -> Result<Vec<f32>> {
    let n = spec.res * spec.res;
    let points = backend.grid_points(spec)?; // [n, 2]
    let mut x = points;
    let mut temps = vec![points];
    for layer in layers {
        let z = backend.alloc(n * layer.outputs)?;
        let y = backend.alloc(n * layer.outputs)?;
        backend.matmul(
            x,
            layer.w,
            z,
            MatmulDesc::new(n, layer.inputs, layer.outputs),
        )?;
        backend.bias_act(z, layer.b, y, n, layer.outputs, layer.act)?;
        temps.extend([z, y]);
        x = y;
    }
    let out = backend.read(x).await;
    for t in temps {
        backend.release(t);
    }
    out
}
