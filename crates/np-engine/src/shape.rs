//! Shapes of rank 0 to 4, row-major, with NumPy broadcasting rules.

use crate::error::{EngineError, Result};
use serde::{Deserialize, Serialize};

/// The largest rank the engine supports.
pub const MAX_RANK: usize = 4;

/// A tensor shape: up to four dimensions, row-major (the last dimension is contiguous).
/// `Copy`, so it travels freely through backend calls and into GPU uniforms.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Shape {
    dims: [usize; MAX_RANK],
    rank: usize,
}

impl std::fmt::Debug for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.dims())
    }
}

impl Shape {
    /// A shape from its dimensions; errors beyond rank 4.
    pub fn new(dims: &[usize]) -> Result<Self> {
        if dims.len() > MAX_RANK {
            return Err(EngineError::InvalidShape {
                dims: dims.to_vec(),
                why: format!("rank above {MAX_RANK}"),
            });
        }
        let mut d = [1; MAX_RANK];
        d[..dims.len()].copy_from_slice(dims);
        Ok(Self {
            dims: d,
            rank: dims.len(),
        })
    }
    /// Rank 0.
    pub fn scalar() -> Self {
        Self {
            dims: [1; MAX_RANK],
            rank: 0,
        }
    }
    /// Rank 1 of length `n`.
    pub fn vector(n: usize) -> Self {
        Self {
            dims: [n, 1, 1, 1],
            rank: 1,
        }
    }
    /// Rank 2, `rows x cols`.
    pub fn matrix(rows: usize, cols: usize) -> Self {
        Self {
            dims: [rows, cols, 1, 1],
            rank: 2,
        }
    }
    /// The dimensions, `rank` of them.
    pub fn dims(&self) -> &[usize] {
        &self.dims[..self.rank]
    }
    /// Number of dimensions.
    pub fn rank(&self) -> usize {
        self.rank
    }
    /// Number of elements (1 for a scalar).
    pub fn numel(&self) -> usize {
        self.dims().iter().product()
    }
    /// Dimension `axis`.
    pub fn dim(&self, axis: usize) -> Result<usize> {
        self.dims().get(axis).copied().ok_or(EngineError::BadAxis {
            axis,
            rank: self.rank,
        })
    }
    /// The dimensions left-padded with ones to rank 4, the form kernels index with.
    pub fn padded4(&self) -> [usize; MAX_RANK] {
        let mut out = [1; MAX_RANK];
        out[MAX_RANK - self.rank..].copy_from_slice(self.dims());
        out
    }
    /// Rows and columns when viewed as a matrix: the last dimension is the columns,
    /// everything before it the rows (a scalar is 1x1, a vector 1xn).
    pub fn rows_cols(&self) -> (usize, usize) {
        match self.rank {
            0 => (1, 1),
            _ => {
                let cols = self.dims[self.rank - 1];
                (self.numel() / cols.max(1), cols)
            }
        }
    }
    /// The shape with `axis` set to 1 (kept), as reductions with keepdims produce.
    pub fn reduced(&self, axis: usize) -> Result<Self> {
        if axis >= self.rank {
            return Err(EngineError::BadAxis {
                axis,
                rank: self.rank,
            });
        }
        let mut s = *self;
        s.dims[axis] = 1;
        Ok(s)
    }
    /// NumPy broadcasting of two shapes.
    pub fn broadcast(a: Shape, b: Shape) -> Result<Shape> {
        let rank = a.rank.max(b.rank);
        let (pa, pb) = (a.padded4(), b.padded4());
        let mut out = [1; MAX_RANK];
        for i in 0..MAX_RANK {
            out[i] = match (pa[i], pb[i]) {
                (x, y) if x == y => x,
                (1, y) => y,
                (x, 1) => x,
                _ => {
                    return Err(EngineError::ShapeMismatch {
                        op: "broadcast",
                        left: a.dims().to_vec(),
                        right: b.dims().to_vec(),
                    })
                }
            };
        }
        Shape::new(&out[MAX_RANK - rank..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn broadcasting_follows_numpy() -> Result<()> {
        let s = Shape::broadcast(Shape::new(&[3, 1])?, Shape::new(&[4])?)?;
        assert_eq!(s.dims(), &[3, 4]);
        assert!(Shape::broadcast(Shape::new(&[3])?, Shape::new(&[4])?).is_err());
        assert_eq!(Shape::scalar().numel(), 1);
        assert!(Shape::new(&[1, 2, 3, 4, 5]).is_err());
        Ok(())
    }
}
