//! The compute kernels: one WGSL file per family beside the Rust that describes its entry
//! points, all compiled once when the context is created.
//!
//! Every kernel takes its parameters as a uniform struct at binding 0 (mirrored by a
//! `#[repr(C)]` Pod struct in [`params`]) and its storage buffers at bindings 1 and up, read-only
//! inputs declared `read`, outputs `read_write`. Layouts are explicit (not derived from the
//! shader), so one module can hold entry points with different bindings.

pub(crate) mod params;

/// How a storage binding is accessed.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Access {
    Read,
    ReadWrite,
}
use Access::{Read, ReadWrite};

/// One compiled entry point with its bind group layout. Cheap to clone (wgpu handles).
#[derive(Clone, Debug)]
pub(crate) struct Kernel {
    pub(crate) pipeline: wgpu::ComputePipeline,
    pub(crate) layout: wgpu::BindGroupLayout,
    /// The storage binding numbers, in the order callers pass buffers.
    pub(crate) bindings: Vec<u32>,
    /// Index in `bindings` of the first read_write binding: the layouts list inputs first.
    pub(crate) first_output: usize,
    pub(crate) label: &'static str,
}

impl Kernel {
    fn new(
        device: &wgpu::Device,
        module: &wgpu::ShaderModule,
        entry: &'static str,
        storage: &[(u32, Access)],
    ) -> Self {
        let buffer = |ty| wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        };
        let mut entries = vec![wgpu::BindGroupLayoutEntry {
            binding: 0,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: buffer(wgpu::BufferBindingType::Uniform),
            count: None,
        }];
        for &(binding, access) in storage {
            let read_only = matches!(access, Read);
            entries.push(wgpu::BindGroupLayoutEntry {
                binding,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: buffer(wgpu::BufferBindingType::Storage { read_only }),
                count: None,
            });
        }
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(entry),
            entries: &entries,
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(entry),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(entry),
            layout: Some(&pipeline_layout),
            module,
            entry_point: Some(entry),
            compilation_options: Default::default(),
            cache: None,
        });
        Self {
            pipeline,
            layout,
            bindings: storage.iter().map(|(b, _)| *b).collect(),
            first_output: storage
                .iter()
                .position(|(_, a)| matches!(a, ReadWrite))
                .unwrap_or(storage.len()),
            label: entry,
        }
    }
}

fn module(device: &wgpu::Device, label: &'static str, source: &'static str) -> wgpu::ShaderModule {
    device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    })
}

/// Every pipeline the backend uses, built once per device.
#[derive(Debug)]
pub(crate) struct Kernels {
    pub(crate) matmul: Kernel,
    pub(crate) matmul_thin: Kernel,
    pub(crate) unary: Kernel,
    pub(crate) unary_backward: Kernel,
    pub(crate) bias_act: Kernel,
    pub(crate) binary: Kernel,
    pub(crate) expand: Kernel,
    pub(crate) select: Kernel,
    pub(crate) axpy: Kernel,
    pub(crate) fill: Kernel,
    pub(crate) reduce_wide: Kernel,
    pub(crate) reduce_narrow: Kernel,
    pub(crate) argmax: Kernel,
    pub(crate) softmax: Kernel,
    pub(crate) softmax_backward: Kernel,
    pub(crate) xent_loss: Kernel,
    pub(crate) xent_loss_grad: Kernel,
    pub(crate) sgd: Kernel,
    pub(crate) one_state: Kernel,
    pub(crate) adam: Kernel,
    pub(crate) dropout: Kernel,
    pub(crate) gather_rows: Kernel,
    pub(crate) one_hot: Kernel,
    pub(crate) grid_points: Kernel,
}

impl Kernels {
    pub(crate) fn new(device: &wgpu::Device) -> Self {
        let matmul = module(device, "matmul.wgsl", include_str!("matmul.wgsl"));
        let elementwise = module(device, "elementwise.wgsl", include_str!("elementwise.wgsl"));
        let broadcast = module(device, "broadcast.wgsl", include_str!("broadcast.wgsl"));
        let reduce = module(device, "reduce.wgsl", include_str!("reduce.wgsl"));
        let softmax = module(device, "softmax.wgsl", include_str!("softmax.wgsl"));
        let optim = module(device, "optimizer.wgsl", include_str!("optimizer.wgsl"));
        let dropout = module(device, "dropout.wgsl", include_str!("dropout.wgsl"));
        let indexing = module(device, "indexing.wgsl", include_str!("indexing.wgsl"));
        let k = |m, entry, storage: &[(u32, Access)]| Kernel::new(device, m, entry, storage);
        Self {
            matmul: k(&matmul, "matmul", &[(1, Read), (2, Read), (3, ReadWrite)]),
            matmul_thin: k(
                &matmul,
                "matmul_thin",
                &[(1, Read), (2, Read), (3, ReadWrite)],
            ),
            unary: k(&elementwise, "unary", &[(1, Read), (4, ReadWrite)]),
            unary_backward: k(
                &elementwise,
                "unary_backward",
                &[(1, Read), (2, Read), (3, Read), (4, ReadWrite)],
            ),
            bias_act: k(
                &elementwise,
                "bias_act",
                &[(1, Read), (2, Read), (4, ReadWrite)],
            ),
            binary: k(
                &broadcast,
                "binary",
                &[(1, Read), (2, Read), (4, ReadWrite)],
            ),
            expand: k(&broadcast, "expand", &[(1, Read), (4, ReadWrite)]),
            select: k(
                &broadcast,
                "select_where",
                &[(1, Read), (2, Read), (3, Read), (4, ReadWrite)],
            ),
            axpy: k(&broadcast, "axpy", &[(1, Read), (4, ReadWrite)]),
            fill: k(&broadcast, "fill", &[(4, ReadWrite)]),
            reduce_wide: k(&reduce, "reduce_wide", &[(1, Read), (2, ReadWrite)]),
            reduce_narrow: k(&reduce, "reduce_narrow", &[(1, Read), (2, ReadWrite)]),
            argmax: k(&reduce, "argmax", &[(1, Read), (2, ReadWrite)]),
            softmax: k(&softmax, "softmax", &[(1, Read), (3, ReadWrite)]),
            softmax_backward: k(
                &softmax,
                "softmax_backward",
                &[(1, Read), (2, Read), (3, ReadWrite)],
            ),
            xent_loss: k(
                &softmax,
                "xent_loss",
                &[(1, Read), (2, Read), (3, ReadWrite)],
            ),
            xent_loss_grad: k(
                &softmax,
                "xent_loss_grad",
                &[(1, Read), (2, Read), (3, ReadWrite), (4, ReadWrite)],
            ),
            sgd: k(&optim, "sgd", &[(1, Read), (2, ReadWrite)]),
            one_state: k(
                &optim,
                "one_state",
                &[(1, Read), (2, ReadWrite), (3, ReadWrite)],
            ),
            adam: k(
                &optim,
                "adam",
                &[(1, Read), (2, ReadWrite), (3, ReadWrite), (4, ReadWrite)],
            ),
            dropout: k(&dropout, "dropout_mask", &[(1, ReadWrite)]),
            gather_rows: k(
                &indexing,
                "gather_rows",
                &[(1, Read), (2, Read), (3, ReadWrite)],
            ),
            one_hot: k(&indexing, "one_hot", &[(1, Read), (3, ReadWrite)]),
            grid_points: k(&indexing, "grid_points", &[(3, ReadWrite)]),
        }
    }
}

/// Threads per workgroup of the one-dimensional kernels: 256 is WebGPU's guaranteed maximum
/// (`maxComputeInvocationsPerWorkgroup`) and a multiple of every GPU's SIMD width (32 or 64),
/// so no lane idles except in the last group.
pub(crate) const WG_1D: u32 = 256;

/// Largest workgroup count per dispatch dimension WebGPU guarantees.
const MAX_GROUPS: u32 = 65_535;

/// Workgroup counts for `n` items at `per_group` items per group, folded into two dimensions
/// once one would exceed 65,535 (kernels rebuild the linear index from `num_workgroups`).
pub(crate) fn groups_1d(n: usize, per_group: u32) -> [u32; 3] {
    let groups = (n as u64).div_ceil(u64::from(per_group));
    if groups <= u64::from(MAX_GROUPS) {
        [groups as u32, 1, 1]
    } else {
        let y = groups.div_ceil(u64::from(MAX_GROUPS));
        [MAX_GROUPS, y as u32, 1]
    }
}
