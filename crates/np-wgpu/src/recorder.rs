//! Recording work and submitting it as one command buffer.
//!
//! Ops are not encoded when called but appended to a list; [`Recorder::submit`] writes all their
//! uniform parameters into one reused uniform buffer (the "arena"), creates the bind groups,
//! encodes every dispatch and copy in order and submits once. A training step therefore costs a
//! single submission, made when the step's loss is read (or on an explicit flush).

use crate::kernels::Kernel;

/// One recorded command.
#[derive(Debug)]
enum Command {
    Dispatch {
        kernel: Kernel,
        /// The storage buffers in the order of `kernel.bindings`.
        buffers: Vec<wgpu::Buffer>,
        /// Where this dispatch's parameters lie in the arena.
        params_offset: u64,
        params_size: u64,
        groups: [u32; 3],
    },
    Copy {
        src: wgpu::Buffer,
        dst: wgpu::Buffer,
        bytes: u64,
    },
}

/// The list of commands not yet submitted, and the arena their parameters go to.
#[derive(Debug)]
pub(crate) struct Recorder {
    commands: Vec<Command>,
    params: Vec<u8>,
    /// Uniform offsets must be multiples of the device's alignment (256 on most devices).
    align: u64,
    arena: Option<wgpu::Buffer>,
    /// Submissions so far (tests check that a training step is one submission).
    pub(crate) submissions: u64,
}

impl Recorder {
    pub(crate) fn new(align: u32) -> Self {
        Self {
            commands: Vec::new(),
            params: Vec::new(),
            align: u64::from(align.max(16)),
            arena: None,
            submissions: 0,
        }
    }

    /// Appends a dispatch. `params` is the kernel's uniform struct as bytes (size a multiple
    /// of 16, as uniform structs are), `buffers` its storage bindings in declaration order.
    pub(crate) fn dispatch(
        &mut self,
        kernel: &Kernel,
        params: &[u8],
        buffers: &[&wgpu::Buffer],
        groups: [u32; 3],
    ) {
        if groups.contains(&0) {
            return; // empty work: nothing to run, and a zero-sized dispatch is pointless
        }
        let offset = self.params.len() as u64;
        self.params.extend_from_slice(params);
        let padded = (self.params.len() as u64).div_ceil(self.align) * self.align;
        self.params.resize(padded as usize, 0);
        self.commands.push(Command::Dispatch {
            kernel: kernel.clone(),
            buffers: buffers.iter().map(|b| (*b).clone()).collect(),
            params_offset: offset,
            params_size: params.len() as u64,
            groups,
        });
    }

    /// Appends a buffer-to-buffer copy of `bytes` bytes (a multiple of 4).
    pub(crate) fn copy(&mut self, src: &wgpu::Buffer, dst: &wgpu::Buffer, bytes: u64) {
        if bytes > 0 {
            self.commands.push(Command::Copy {
                src: src.clone(),
                dst: dst.clone(),
                bytes,
            });
        }
    }

    /// Encodes everything recorded into one command buffer and submits it.
    pub(crate) fn submit(&mut self, device: &wgpu::Device, queue: &wgpu::Queue) {
        if self.commands.is_empty() {
            return;
        }
        let needed = (self.params.len() as u64).max(self.align);
        if self.arena.as_ref().is_none_or(|a| a.size() < needed) {
            self.arena = Some(device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("np-wgpu uniform arena"),
                size: needed.next_power_of_two(),
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            }));
        }
        let Some(arena) = self.arena.as_ref() else {
            return;
        };
        // Ordered on the queue before this submission and after every earlier one, so reusing
        // the arena across submissions is safe.
        queue.write_buffer(arena, 0, &self.params);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("np-wgpu step"),
        });
        let mut pass: Option<wgpu::ComputePass<'_>> = None;
        for command in self.commands.drain(..) {
            match command {
                Command::Dispatch {
                    kernel,
                    buffers,
                    params_offset,
                    params_size,
                    groups,
                } => {
                    let mut entries = vec![wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                            buffer: arena,
                            offset: params_offset,
                            size: wgpu::BufferSize::new(params_size),
                        }),
                    }];
                    for (binding, buffer) in kernel.bindings.iter().zip(&buffers) {
                        entries.push(wgpu::BindGroupEntry {
                            binding: *binding,
                            resource: buffer.as_entire_binding(),
                        });
                    }
                    let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                        label: Some(kernel.label),
                        layout: &kernel.layout,
                        entries: &entries,
                    });
                    let p = pass.get_or_insert_with(|| {
                        encoder
                            .begin_compute_pass(&wgpu::ComputePassDescriptor {
                                label: Some("np-wgpu kernels"),
                                timestamp_writes: None,
                            })
                            .forget_lifetime()
                    });
                    p.set_pipeline(&kernel.pipeline);
                    p.set_bind_group(0, &bind_group, &[]);
                    p.dispatch_workgroups(groups[0], groups[1], groups[2]);
                }
                Command::Copy { src, dst, bytes } => {
                    drop(pass.take()); // copies happen outside compute passes
                    encoder.copy_buffer_to_buffer(&src, 0, &dst, 0, bytes);
                }
            }
        }
        drop(pass);
        queue.submit([encoder.finish()]);
        self.params.clear();
        self.submissions += 1;
    }
}
