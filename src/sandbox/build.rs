//! A sandbox program built on the engine's own [`Graph`]: each name becomes a constant, a
//! trainable variable or a fed input, each operation a recorded node, and running again re-feeds
//! the inputs and re-runs the tape (so `assign` counts). Gradients are the engine's backward
//! pass. Every failure is a [`SandboxError`] that says what and where; nothing panics.

use std::collections::HashMap;

use np_engine::autodiff::GraphTrace;
use np_engine::backend::UnaryOp;
use np_engine::{EngineError, Graph, NodeId, Shape, Tensor, VarId};

use super::parse::{self, parse_program, parse_value, BinaryOp, Expr, Func, Program, Span};
use super::SandboxReadings;

/// Most elements of any value the sandbox computes (its graph is for looking at, not for work).
pub const MAX_NODE_ELEMENTS: usize = 65_536;
/// Elements of each value the drawing keeps (a heatmap beyond 16).
pub const TRACE_ELEMENTS: usize = 1_024;
/// The name of the node summed for gradients of a result that is not one number.
pub const SUMMED: &str = "sum for gradients";

/// What a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A fixed value, part of the graph.
    Constant,
    /// A persistent, trainable value: gradients reach it, `assign` writes it.
    Variable,
    /// A value fed in at each run (a "placeholder").
    Input,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Constant, Role::Variable, Role::Input];
    pub fn word(self) -> &'static str {
        match self {
            Role::Constant => "constant",
            Role::Variable => "variable",
            Role::Input => "fed input",
        }
    }
    /// Its value in a `<select>`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Constant => "constant",
            Role::Variable => "variable",
            Role::Input => "input",
        }
    }
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// One name's role and typed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub name: String,
    pub role: Role,
    pub text: String,
}

/// What the student has written: the program and a binding per free name.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Setup {
    pub program: String,
    pub bindings: Vec<Binding>,
}

impl Setup {
    pub fn binding(&self, name: &str) -> Option<&Binding> {
        self.bindings.iter().find(|b| b.name == name)
    }
}

/// A failure, where it is: `at` a character of the program, or `name` a binding's row.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxError {
    pub message: String,
    pub at: Option<usize>,
    pub name: Option<String>,
}

impl SandboxError {
    fn at(program: &str, span: Span, what: String) -> Self {
        Self {
            message: format!("{}: {what}", parse::place(program, span.start)),
            at: Some(span.start),
            name: None,
        }
    }
    fn of_name(name: &str, what: String) -> Self {
        Self {
            message: what,
            at: None,
            name: Some(name.to_string()),
        }
    }
}

/// A built program and its runs.
#[derive(Debug)]
pub struct Built {
    graph: Graph,
    setup: Setup,
    /// The fed inputs' nodes, to feed again.
    inputs: Vec<(String, NodeId)>,
    variables: Vec<(String, VarId)>,
    /// Named lines, in order, then the result.
    fetches: Vec<(String, NodeId)>,
    result: NodeId,
    /// Each variable's value before the first run and after each run.
    history: Vec<(String, Vec<Vec<f32>>)>,
    runs: usize,
    gradients: bool,
}

/// A fetched value.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub name: String,
    pub data: Vec<f32>,
    pub dims: Vec<usize>,
}

fn engine(program: &str, span: Span, e: EngineError) -> SandboxError {
    let what = match e {
        EngineError::ShapeMismatch { op, left, right } => {
            format!("the shapes {left:?} and {right:?} do not fit together in {op}")
        }
        other => other.to_string(),
    };
    SandboxError::at(program, span, what)
}

fn too_big(program: &str, span: Span, elements: usize) -> SandboxError {
    SandboxError::at(
        program,
        span,
        format!(
            "this would make a tensor of {elements} elements; the sandbox keeps values to {MAX_NODE_ELEMENTS}"
        ),
    )
}

/// Reads a binding's value.
fn value_of(b: &Binding) -> Result<Tensor, SandboxError> {
    if b.text.trim().is_empty() {
        return Err(SandboxError::of_name(
            &b.name,
            format!(
                "`{}` is a {} with no value: type one in its row (such as 3 or [[1, 2]])",
                b.name,
                b.role.word()
            ),
        ));
    }
    let v = parse_value(&b.text).map_err(|e| {
        SandboxError::of_name(&b.name, format!("the value of `{}`, {}", b.name, e.message))
    })?;
    Tensor::new(v.data, &v.dims)
        .map_err(|e| SandboxError::of_name(&b.name, format!("the value of `{}`: {e}", b.name)))
}

struct Builder<'a> {
    g: Graph,
    setup: &'a Setup,
    nodes: HashMap<String, NodeId>,
    vars: HashMap<String, VarId>,
    inputs: Vec<(String, NodeId)>,
}

impl Builder<'_> {
    fn program(&self) -> &str {
        &self.setup.program
    }

    /// The node of a free name, made at its first use.
    fn name(&mut self, name: &str, span: Span) -> Result<NodeId, SandboxError> {
        if let Some(&n) = self.nodes.get(name) {
            return Ok(n);
        }
        let Some(b) = self.setup.binding(name) else {
            return Err(SandboxError::at(
                self.program(),
                span,
                format!("`{name}` has no role or value yet: choose one in its row below"),
            ));
        };
        let t = value_of(b)?;
        let made = match b.role {
            Role::Constant => self.g.constant(&t).and_then(|n| self.g.name(n, name)),
            Role::Input => self.g.input(name, &t),
            Role::Variable => {
                let v = self
                    .g
                    .variable(name, &t, true)
                    .map_err(|e| engine(&self.setup.program, span, e))?;
                self.vars.insert(name.to_string(), v);
                self.g.var(v)
            }
        };
        let n = made.map_err(|e| engine(&self.setup.program, span, e))?;
        if b.role == Role::Input {
            self.inputs.push((name.to_string(), n));
        }
        self.nodes.insert(name.to_string(), n);
        Ok(n)
    }

    fn dims(&self, n: NodeId) -> Shape {
        self.g.node(n).map(|n| n.shape).unwrap_or_default()
    }

    fn expr(&mut self, e: &Expr) -> Result<NodeId, SandboxError> {
        let program = self.setup.program.clone();
        let wrap = |span: Span| move |err: EngineError| engine(&program, span, err);
        match e {
            Expr::Number { value, span } => self
                .g
                .constant(&Tensor::scalar(*value))
                .map_err(wrap(*span)),
            Expr::Name { name, span } => self.name(name, *span),
            Expr::Neg { inner, span } => {
                let x = self.expr(inner)?;
                self.g.neg(x).map_err(wrap(*span))
            }
            Expr::Power {
                base,
                exponent,
                span,
            } => {
                let x = self.expr(base)?;
                self.g.powf(x, *exponent).map_err(wrap(*span))
            }
            Expr::Binary {
                op,
                left,
                right,
                span,
            } => {
                let a = self.expr(left)?;
                let b = self.expr(right)?;
                self.binary(*op, a, b, *span)
            }
            Expr::Call { func, args, span } => self.call(*func, args, *span),
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        a: NodeId,
        b: NodeId,
        span: Span,
    ) -> Result<NodeId, SandboxError> {
        let (sa, sb) = (self.dims(a), self.dims(b));
        let program = self.setup.program.clone();
        if op == BinaryOp::MatMul {
            return self.matmul(a, b, span);
        }
        let out = Shape::broadcast(sa, sb).map_err(|_| {
            SandboxError::at(
                &program,
                span,
                format!(
                    "`{}` is elementwise: the shapes {:?} and {:?} do not broadcast (each size must match or be 1); for a matrix product use @ or matmul",
                    op.symbol(),
                    sa.dims(),
                    sb.dims()
                ),
            )
        })?;
        if out.numel() > MAX_NODE_ELEMENTS {
            return Err(too_big(&program, span, out.numel()));
        }
        let r = match op {
            BinaryOp::Add => self.g.add(a, b),
            BinaryOp::Sub => self.g.sub(a, b),
            BinaryOp::Mul => self.g.mul(a, b),
            BinaryOp::Div => self.g.div(a, b),
            BinaryOp::MatMul => unreachable_matmul(),
        };
        r.map_err(|e| engine(&program, span, e))
    }

    fn matmul(&mut self, a: NodeId, b: NodeId, span: Span) -> Result<NodeId, SandboxError> {
        let (sa, sb) = (self.dims(a), self.dims(b));
        let program = self.setup.program.clone();
        let (da, db) = (sa.dims(), sb.dims());
        if da.len() != 2 || db.len() != 2 {
            return Err(SandboxError::at(
                &program,
                span,
                format!(
                    "a matrix product needs two matrices (written [[…], …]); got shapes {da:?} and {db:?}"
                ),
            ));
        }
        if da[1] != db[0] {
            return Err(SandboxError::at(
                &program,
                span,
                format!(
                    "a matrix product [m, k] × [k, n] needs the left's columns to equal the right's rows; got {da:?} × {db:?} ({} ≠ {})",
                    da[1], db[0]
                ),
            ));
        }
        if da[0] * db[1] > MAX_NODE_ELEMENTS {
            return Err(too_big(&program, span, da[0] * db[1]));
        }
        self.g.matmul(a, b).map_err(|e| engine(&program, span, e))
    }

    fn call(&mut self, func: Func, args: &[Expr], span: Span) -> Result<NodeId, SandboxError> {
        let program = self.setup.program.clone();
        if func == Func::Assign {
            let Some(Expr::Name { name, span: at }) = args.first() else {
                return Err(SandboxError::at(
                    &program,
                    span,
                    "assign needs a variable's name first".into(),
                ));
            };
            let value = args.get(1).map(|v| self.expr(v)).transpose()?;
            let Some(value) = value else {
                return Err(SandboxError::at(
                    &program,
                    span,
                    "assign needs a value second".into(),
                ));
            };
            // Make sure the variable exists (its first use may be here).
            self.name(name, *at)?;
            let Some(&var) = self.vars.get(name) else {
                return Err(SandboxError::at(
                    &program,
                    *at,
                    format!("assign writes into a variable, and `{name}` is not one: mark it variable in its row"),
                ));
            };
            return self
                .g
                .assign(var, value)
                .map_err(|e| engine(&program, span, e));
        }
        let mut nodes = Vec::with_capacity(args.len());
        for a in args {
            nodes.push(self.expr(a)?);
        }
        let unary = |f: UnaryOp| (f, nodes[0]);
        let wrap = |e: EngineError| engine(&program, span, e);
        match func {
            Func::MatMul => self.matmul(nodes[0], nodes[1], span),
            Func::Sum => self.g.sum(nodes[0]).map_err(wrap),
            Func::Mean => self.g.mean(nodes[0]).map_err(wrap),
            Func::Max => self.g.max(nodes[0]).map_err(wrap),
            _ => {
                let (f, x) = match func {
                    Func::Sigmoid => unary(UnaryOp::Sigmoid),
                    Func::Tanh => unary(UnaryOp::Tanh),
                    Func::Relu => unary(UnaryOp::Relu),
                    Func::Exp => unary(UnaryOp::Exp),
                    Func::Log => unary(UnaryOp::Log),
                    Func::Sqrt => unary(UnaryOp::Sqrt),
                    Func::Square => unary(UnaryOp::Square),
                    Func::Abs => unary(UnaryOp::Abs),
                    Func::Sin => unary(UnaryOp::Sin),
                    _ => unary(UnaryOp::Cos),
                };
                self.g.unary(f, x).map_err(wrap)
            }
        }
    }
}

/// `BinaryOp::MatMul` is routed to `matmul` before the elementwise match; this arm only
/// satisfies the compiler, returning an error rather than panicking.
fn unreachable_matmul() -> np_engine::Result<NodeId> {
    Err(EngineError::InvalidConfig(
        "matrix product routed elementwise".into(),
    ))
}

/// Checks a program's names against its lines: a defined name used before its line.
fn check_order(program: &Program, text: &str) -> Result<(), SandboxError> {
    let mut later: Vec<(&str, usize)> = Vec::new();
    for (k, s) in program.statements.iter().enumerate() {
        if let Some((n, _)) = &s.target {
            if later.iter().any(|(m, _)| m == n) {
                return Err(SandboxError::at(
                    text,
                    s.target.as_ref().map_or(s.expr.span(), |t| t.1),
                    format!("`{n}` is defined twice; give the second another name"),
                ));
            }
            later.push((n, k));
        }
    }
    for (k, s) in program.statements.iter().enumerate() {
        let mut used = Vec::new();
        names(&s.expr, &mut used);
        for (n, span) in used {
            if let Some(&(_, line)) = later.iter().find(|(m, _)| *m == n) {
                if line >= k {
                    return Err(SandboxError::at(
                        text,
                        span,
                        format!("`{n}` is used before the line that defines it"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Op nodes an expression records (numbers and names make none).
fn op_count(e: &Expr) -> usize {
    match e {
        Expr::Number { .. } | Expr::Name { .. } => 0,
        Expr::Neg { inner, .. } => 1 + op_count(inner),
        Expr::Power { base, .. } => 1 + op_count(base),
        Expr::Binary { left, right, .. } => 1 + op_count(left) + op_count(right),
        Expr::Call { args, .. } => 1 + args.iter().map(op_count).sum::<usize>(),
    }
}

fn names<'e>(e: &'e Expr, out: &mut Vec<(&'e str, Span)>) {
    match e {
        Expr::Number { .. } => {}
        Expr::Name { name, span } => out.push((name, *span)),
        Expr::Neg { inner, .. } => names(inner, out),
        Expr::Power { base, .. } => names(base, out),
        Expr::Binary { left, right, .. } => {
            names(left, out);
            names(right, out);
        }
        Expr::Call { args, .. } => args.iter().for_each(|a| names(a, out)),
    }
}

impl Built {
    /// Parses, builds and runs `setup` once.
    pub fn start(setup: &Setup) -> Result<Built, SandboxError> {
        let program = parse_program(&setup.program).map_err(|e| SandboxError {
            message: e.message,
            at: Some(e.at),
            name: None,
        })?;
        check_order(&program, &setup.program)?;
        let mut b = Builder {
            g: Graph::cpu(),
            setup,
            nodes: HashMap::new(),
            vars: HashMap::new(),
            inputs: Vec::new(),
        };
        let mut fetches = Vec::new();
        let mut initial: Vec<(String, Vec<f32>)> = Vec::new();
        let mut result = None;
        // Every free name's node first, in order of use, so none lands inside a line's scope;
        // and the variables' first values, before a run changes them.
        let defined: Vec<&str> = program
            .statements
            .iter()
            .filter_map(|s| s.target.as_ref().map(|(n, _)| n.as_str()))
            .collect();
        for s in &program.statements {
            let mut used = Vec::new();
            names(&s.expr, &mut used);
            for (n, span) in used.into_iter().filter(|(n, _)| !defined.contains(n)) {
                if let Some(bd) = setup.binding(n).filter(|bd| bd.role == Role::Variable) {
                    if !initial.iter().any(|(m, _)| m == n) {
                        initial.push((n.to_string(), value_of(bd)?.data().to_vec()));
                    }
                }
                b.name(n, span)?;
            }
        }
        for s in &program.statements {
            // A named line of several ops is a scope (a box the drawing can collapse).
            let scoped = match &s.target {
                Some((name, _)) if op_count(&s.expr) >= 2 => {
                    b.g.push_scope(name);
                    true
                }
                _ => false,
            };
            let node = b.expr(&s.expr)?;
            if scoped {
                b.g.pop_scope();
            }
            let span = s.expr.span();
            if b.g.node(node).map(|n| n.shape.numel()).unwrap_or(0) > MAX_NODE_ELEMENTS {
                return Err(too_big(&setup.program, span, MAX_NODE_ELEMENTS + 1));
            }
            match &s.target {
                Some((name, _)) => {
                    // `y = x` fetches x's node under a second name; the node keeps its caption.
                    if b.g.node(node).is_ok_and(|n| n.name.is_none()) {
                        b.g.name(node, name)
                            .map_err(|e| engine(&setup.program, span, e))?;
                    }
                    b.nodes.insert(name.clone(), node);
                    fetches.push((name.clone(), node));
                }
                None => fetches.push(("result".to_string(), node)),
            }
            result = Some(node);
        }
        let Some(result) = result else {
            return Err(SandboxError {
                message: "the program is empty".into(),
                at: Some(0),
                name: None,
            });
        };
        let mut variables: Vec<(String, VarId)> = b.vars.into_iter().collect();
        variables.sort_by_key(|(_, v)| v.0);
        let mut built = Built {
            graph: b.g,
            setup: setup.clone(),
            inputs: b.inputs,
            variables,
            fetches,
            result,
            history: Vec::new(),
            runs: 1,
            gradients: false,
        };
        built.history = built
            .variables
            .iter()
            .map(|(n, _)| {
                let first = initial
                    .iter()
                    .find(|(m, _)| m == n)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (n.clone(), vec![first])
            })
            .collect();
        built.record_history();
        Ok(built)
    }

    /// Whether `setup` can run on this graph again: the same program, roles and constant and
    /// variable values (fed inputs may differ: that is what feeding is).
    pub fn same_graph(&self, setup: &Setup) -> bool {
        self.setup.program == setup.program
            && self.setup.bindings.len() == setup.bindings.len()
            && self.setup.bindings.iter().all(|old| {
                setup.binding(&old.name).is_some_and(|new| {
                    new.role == old.role && (old.role == Role::Input || new.text == old.text)
                })
            })
    }

    /// Runs again: feeds the inputs' current values and re-runs the tape (assigns write again).
    pub fn run_again(&mut self, setup: &Setup) -> Result<(), SandboxError> {
        for (name, node) in &self.inputs {
            let Some(b) = setup.binding(name) else {
                continue;
            };
            let t = value_of(b)?;
            let old = self
                .graph
                .node(*node)
                .map(|n| n.shape.dims().to_vec())
                .unwrap_or_default();
            if t.dims() != old.as_slice() {
                // Another shape may not fit the ops after it: build afresh instead.
                return Err(SandboxError::of_name(name, format!(
                    "`{name}` was fed as {old:?} and is now {:?}: press Run to rebuild with the new shape",
                    t.dims()
                )));
            }
            self.graph
                .feed(*node, &t)
                .map_err(|e| SandboxError::of_name(name, e.to_string()))?;
        }
        self.graph.rerun().map_err(|e| SandboxError {
            message: format!("the run failed: {e}"),
            at: None,
            name: None,
        })?;
        self.setup = setup.clone();
        self.runs += 1;
        self.gradients = false;
        self.record_history();
        Ok(())
    }

    fn record_history(&mut self) {
        for ((_, var), (_, seen)) in self.variables.iter().zip(self.history.iter_mut()) {
            if let Ok(t) = self.graph.var_value(*var) {
                seen.push(t.data().to_vec());
            }
        }
    }

    /// The gradient of the result (summed first when it is not one number) on every node it
    /// reaches.
    pub fn gradients(&mut self) -> Result<(), SandboxError> {
        if self.variables.is_empty() {
            return Err(SandboxError {
                message: "gradients flow to trainable variables, and this graph has none: mark a name variable in its row, then run again".into(),
                at: None,
                name: None,
            });
        }
        let mut target = self.result;
        let scalar = self
            .graph
            .node(target)
            .map(|n| n.shape.numel() == 1)
            .unwrap_or(false);
        if !scalar {
            let existing = self
                .graph
                .nodes()
                .iter()
                .position(|n| n.name.as_deref() == Some(SUMMED));
            target = match existing {
                Some(i) => NodeId(i),
                None => {
                    let s = self.graph.sum(target).map_err(|e| SandboxError {
                        message: e.to_string(),
                        at: None,
                        name: None,
                    })?;
                    self.graph.name(s, SUMMED).map_err(|e| SandboxError {
                        message: e.to_string(),
                        at: None,
                        name: None,
                    })?
                }
            };
        }
        self.graph.zero_grad().map_err(|e| SandboxError {
            message: e.to_string(),
            at: None,
            name: None,
        })?;
        self.graph.backward(target).map_err(|e| SandboxError {
            message: match e {
                EngineError::Backward(_) => "the result does not depend on any trainable variable, so no gradient reaches anything: mark a name it uses as variable".into(),
                other => other.to_string(),
            },
            at: None,
            name: None,
        })?;
        self.gradients = true;
        Ok(())
    }

    /// The tape as data for the drawing.
    pub fn trace(&self) -> GraphTrace {
        self.graph.trace(TRACE_ELEMENTS).unwrap_or_default()
    }

    /// The named lines and the result, with their values of the last run.
    pub fn fetched(&self) -> Vec<Fetched> {
        self.fetches
            .iter()
            .filter_map(|(name, node)| {
                let t = self.graph.value(*node).ok()?;
                Some(Fetched {
                    name: name.clone(),
                    data: t.data().to_vec(),
                    dims: t.dims().to_vec(),
                })
            })
            .collect()
    }

    /// Each variable's value before the first run and after each run since.
    pub fn history(&self) -> &[(String, Vec<Vec<f32>>)] {
        &self.history
    }

    pub fn runs(&self) -> usize {
        self.runs
    }

    pub fn has_gradients(&self) -> bool {
        self.gradients
    }

    /// What the lesson's goals read.
    pub fn readings(&self) -> SandboxReadings {
        let fetched = self.fetched();
        SandboxReadings {
            runs: self.runs,
            result: fetched
                .last()
                .and_then(|f| f.data.first())
                .map(|&v| f64::from(v)),
            fetches: fetched.len(),
            gradients: self.gradients,
        }
    }
}
