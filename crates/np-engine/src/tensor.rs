//! Host tensors: f32 data of rank 0 to 4, row-major, shared (`Rc`) so clones are cheap.
//! They carry data into and out of a backend; computation happens in the graph.

use crate::error::{EngineError, Result};
use crate::shape::Shape;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// An immutable tensor in host memory. Cloning shares the data.
#[derive(Clone, PartialEq)]
pub struct Tensor {
    shape: Shape,
    data: Rc<[f32]>,
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tensor{:?} {:?}",
            self.shape,
            &self.data[..self.data.len().min(8)]
        )
    }
}

impl Tensor {
    /// A tensor from data and dimensions; errors if the lengths disagree or rank > 4.
    pub fn new(data: Vec<f32>, dims: &[usize]) -> Result<Self> {
        Self::from_shape(data, Shape::new(dims)?)
    }
    /// A tensor from data and a shape.
    pub fn from_shape(data: Vec<f32>, shape: Shape) -> Result<Self> {
        if data.len() != shape.numel() {
            return Err(EngineError::InvalidShape {
                dims: shape.dims().to_vec(),
                why: format!("{} values for {} elements", data.len(), shape.numel()),
            });
        }
        Ok(Self {
            shape,
            data: data.into(),
        })
    }
    /// A rank-0 tensor.
    pub fn scalar(v: f32) -> Self {
        Self {
            shape: Shape::scalar(),
            data: Rc::from([v]),
        }
    }
    /// A rank-1 tensor.
    pub fn vector(v: Vec<f32>) -> Self {
        Self {
            shape: Shape::vector(v.len()),
            data: v.into(),
        }
    }
    /// A rank-2 tensor from rows (all rows must have equal length).
    pub fn matrix(rows: &[Vec<f32>]) -> Result<Self> {
        let cols = rows.first().map_or(0, Vec::len);
        let data: Vec<f32> = rows.iter().flatten().copied().collect();
        Self::new(data, &[rows.len(), cols])
    }
    /// All zeros.
    pub fn zeros(dims: &[usize]) -> Result<Self> {
        let s = Shape::new(dims)?;
        Self::from_shape(vec![0.0; s.numel()], s)
    }
    /// Every element equal to `v`.
    pub fn full(dims: &[usize], v: f32) -> Result<Self> {
        let s = Shape::new(dims)?;
        Self::from_shape(vec![v; s.numel()], s)
    }
    pub fn shape(&self) -> Shape {
        self.shape
    }
    pub fn dims(&self) -> &[usize] {
        self.shape.dims()
    }
    pub fn data(&self) -> &[f32] {
        &self.data
    }
    pub fn to_vec(&self) -> Vec<f32> {
        self.data.to_vec()
    }
    /// The only value of a one-element tensor.
    pub fn item(&self) -> Result<f32> {
        match *self.data {
            [v] => Ok(v),
            _ => Err(EngineError::InvalidShape {
                dims: self.dims().to_vec(),
                why: "item() needs exactly one element".into(),
            }),
        }
    }
    /// The element at a multi-index.
    pub fn get(&self, index: &[usize]) -> Result<f32> {
        let dims = self.dims();
        if index.len() != dims.len() || index.iter().zip(dims).any(|(i, d)| i >= d) {
            return Err(EngineError::OutOfRange {
                what: "tensor index",
                index: index.iter().copied().max().unwrap_or(0),
                limit: dims.iter().copied().max().unwrap_or(0),
            });
        }
        let flat = index.iter().zip(dims).fold(0, |acc, (i, d)| acc * d + i);
        Ok(self.data[flat])
    }
    /// The same data with another shape of equal size (shares the data).
    pub fn reshape(&self, dims: &[usize]) -> Result<Self> {
        let s = Shape::new(dims)?;
        if s.numel() != self.shape.numel() {
            return Err(EngineError::ShapeMismatch {
                op: "reshape",
                left: self.dims().to_vec(),
                right: dims.to_vec(),
            });
        }
        Ok(Self {
            shape: s,
            data: self.data.clone(),
        })
    }
    /// Plain serializable form.
    pub fn to_data(&self) -> TensorData {
        TensorData {
            dims: self.dims().to_vec(),
            data: self.to_vec(),
        }
    }
}

/// A tensor as plain data (serde), for saving, exporting and golden files.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TensorData {
    pub dims: Vec<usize>,
    pub data: Vec<f32>,
}

impl TryFrom<TensorData> for Tensor {
    type Error = EngineError;
    fn try_from(t: TensorData) -> Result<Self> {
        Tensor::new(t.data, &t.dims)
    }
}
