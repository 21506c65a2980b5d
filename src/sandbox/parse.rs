//! The sandbox's little language, read into a syntax tree with the place of every part.
//!
//! A program is statements on lines (or between `;`): `name = expression` defines a value that
//! later lines can use and that the run fetches; a bare expression is the result. Expressions
//! have `+ - * /` (elementwise, broadcasting), `@` (matrix product), `^` with a number
//! (power), unary `-`, parentheses, numbers, names and calls such as `matmul(x, w)`,
//! `sigmoid(z)` or `assign(counter, counter + 1)`.
//!
//! Values typed for names are numbers or nested lists (`3`, `[1, 2]`, `[[3, 3]]`).
//!
//! Errors say where (line and character) and what was expected; nothing here panics on any
//! input (`tests::the_parsers_survive_random_text`).

/// Longest program read, in characters.
pub const MAX_PROGRAM_CHARS: usize = 2_000;
/// Deepest nesting of parentheses, calls and unary minus (the parser recurses).
pub const MAX_DEPTH: usize = 40;
/// Most numbers in one typed value.
pub const MAX_VALUE_ELEMENTS: usize = 4_096;
/// Longest value text read, in characters.
pub const MAX_VALUE_CHARS: usize = 40_000;

/// Characters `start..end` of the program (0-based, in chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    fn join(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    MatMul,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::MatMul => "@",
        }
    }
}

/// The functions a program can call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    MatMul,
    Sigmoid,
    Tanh,
    Relu,
    Exp,
    Log,
    Sqrt,
    Square,
    Abs,
    Sin,
    Cos,
    Sum,
    Mean,
    Max,
    /// `assign(variable, value)`: writes `value` into the variable, again on every run.
    Assign,
}

/// Every function by name, with how many arguments it takes.
pub const FUNCS: &[(&str, Func, usize)] = &[
    ("matmul", Func::MatMul, 2),
    ("sigmoid", Func::Sigmoid, 1),
    ("tanh", Func::Tanh, 1),
    ("relu", Func::Relu, 1),
    ("exp", Func::Exp, 1),
    ("log", Func::Log, 1),
    ("sqrt", Func::Sqrt, 1),
    ("square", Func::Square, 1),
    ("abs", Func::Abs, 1),
    ("sin", Func::Sin, 1),
    ("cos", Func::Cos, 1),
    ("sum", Func::Sum, 1),
    ("mean", Func::Mean, 1),
    ("max", Func::Max, 1),
    ("assign", Func::Assign, 2),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number {
        value: f32,
        span: Span,
    },
    Name {
        name: String,
        span: Span,
    },
    Neg {
        inner: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    Power {
        base: Box<Expr>,
        exponent: f32,
        span: Span,
    },
    Call {
        func: Func,
        args: Vec<Expr>,
        span: Span,
    },
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Number { span, .. }
            | Expr::Name { span, .. }
            | Expr::Neg { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Power { span, .. }
            | Expr::Call { span, .. } => *span,
        }
    }
    /// Names read by the expression, in order of first appearance.
    fn names_into(&self, out: &mut Vec<(String, Span)>) {
        match self {
            Expr::Number { .. } => {}
            Expr::Name { name, span } => {
                if !out.iter().any(|(n, _)| n == name) {
                    out.push((name.clone(), *span));
                }
            }
            Expr::Neg { inner, .. } => inner.names_into(out),
            Expr::Power { base, .. } => base.names_into(out),
            Expr::Binary { left, right, .. } => {
                left.names_into(out);
                right.names_into(out);
            }
            Expr::Call { args, .. } => args.iter().for_each(|a| a.names_into(out)),
        }
    }
}

/// One line: `target = expr`, or a bare `expr`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub target: Option<(String, Span)>,
    pub expr: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub statements: Vec<Statement>,
}

impl Program {
    /// The names the student must give a role and a value: read somewhere, defined nowhere.
    pub fn free_names(&self) -> Vec<String> {
        let defined: Vec<&str> = self
            .statements
            .iter()
            .filter_map(|s| s.target.as_ref().map(|(n, _)| n.as_str()))
            .collect();
        let mut used = Vec::new();
        for s in &self.statements {
            s.expr.names_into(&mut used);
        }
        used.into_iter()
            .map(|(n, _)| n)
            .filter(|n| !defined.contains(&n.as_str()))
            .collect()
    }
}

/// What went wrong and where: `at` is the 0-based character, `message` says it in words,
/// starting with the line and character.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

/// `line 2, character 5` (or `character 5` in a one-line text) for 0-based character `at`.
pub fn place(text: &str, at: usize) -> String {
    let before: Vec<char> = text.chars().take(at).collect();
    let line = before.iter().filter(|&&c| c == '\n').count() + 1;
    let column = before.iter().rev().take_while(|&&c| c != '\n').count() + 1;
    if text.contains('\n') {
        format!("line {line}, character {column}")
    } else {
        format!("character {column}")
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f32),
    Ident(String),
    Sym(char),
    /// A line break or `;`.
    End,
    Eof,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(v) => format!("the number {v}"),
        Tok::Ident(n) => format!("`{n}`"),
        Tok::Sym(c) => format!("`{c}`"),
        Tok::End => "the end of the line".into(),
        Tok::Eof => "the end".into(),
    }
}

fn lex(text: &str) -> Result<Vec<(Tok, Span)>, (usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '\n' || c == ';' {
            out.push((Tok::End, Span { start, end: i + 1 }));
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            // A comment runs to the end of the line.
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let word: String = chars[start..i].iter().collect();
            let value = word
                .parse::<f32>()
                .map_err(|_| (start, format!("`{word}` is not a number")))?;
            if !value.is_finite() {
                return Err((start, format!("`{word}` is too large for a 32-bit number")));
            }
            out.push((Tok::Num(value), Span { start, end: i }));
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((
                Tok::Ident(chars[start..i].iter().collect()),
                Span { start, end: i },
            ));
        } else if "+-*/@^(),=".contains(c) {
            out.push((Tok::Sym(c), Span { start, end: i + 1 }));
            i += 1;
        } else {
            return Err((
                start,
                format!("`{c}` is not part of an expression (use names, numbers, + - * / @ ^, parentheses and calls)"),
            ));
        }
    }
    out.push((
        Tok::Eof,
        Span {
            start: chars.len(),
            end: chars.len(),
        },
    ));
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

type Parsed<T> = Result<T, ParseError>;

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].0
    }
    fn span(&self) -> Span {
        self.toks[self.pos.min(self.toks.len() - 1)].1
    }
    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos.min(self.toks.len() - 1)].clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn error(&self, at: usize, what: String) -> ParseError {
        ParseError {
            at,
            message: format!("{}: {what}", place(self.text, at)),
        }
    }
    fn expected(&self, what: &str) -> ParseError {
        self.error(
            self.span().start,
            format!("expected {what}, found {}", describe(self.peek())),
        )
    }
    fn deeper(&mut self) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                self.span().start,
                format!("nested more than {MAX_DEPTH} levels deep; split it into named lines"),
            ));
        }
        Ok(())
    }

    fn program(&mut self) -> Parsed<Program> {
        let mut statements = Vec::new();
        loop {
            while *self.peek() == Tok::End {
                self.bump();
            }
            if *self.peek() == Tok::Eof {
                break;
            }
            statements.push(self.statement()?);
            match self.peek() {
                Tok::End | Tok::Eof => {}
                _ => return Err(self.expected("an operator (+ - * / @ ^), a new line or `;`")),
            }
        }
        if statements.is_empty() {
            return Err(ParseError {
                at: 0,
                message: "the program is empty: write an expression such as a * (b + c)".into(),
            });
        }
        Ok(Program { statements })
    }

    fn statement(&mut self) -> Parsed<Statement> {
        if let (Tok::Ident(name), Some((Tok::Sym('='), _))) =
            (self.peek().clone(), self.toks.get(self.pos + 1))
        {
            let (_, span) = self.bump();
            self.bump();
            if FUNCS.iter().any(|(f, _, _)| *f == name) {
                return Err(self.error(
                    span.start,
                    format!("`{name}` is a function; give the value another name"),
                ));
            }
            let expr = self.expr()?;
            return Ok(Statement {
                target: Some((name, span)),
                expr,
            });
        }
        Ok(Statement {
            target: None,
            expr: self.expr()?,
        })
    }

    fn expr(&mut self) -> Parsed<Expr> {
        let mut left = self.term()?;
        while let Tok::Sym(c @ ('+' | '-')) = *self.peek() {
            self.bump();
            let right = self.term()?;
            let op = if c == '+' {
                BinaryOp::Add
            } else {
                BinaryOp::Sub
            };
            left = binary(op, left, right);
        }
        Ok(left)
    }

    fn term(&mut self) -> Parsed<Expr> {
        let mut left = self.unary()?;
        while let Tok::Sym(c @ ('*' | '/' | '@')) = *self.peek() {
            self.bump();
            let right = self.unary()?;
            let op = match c {
                '*' => BinaryOp::Mul,
                '/' => BinaryOp::Div,
                _ => BinaryOp::MatMul,
            };
            left = binary(op, left, right);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Parsed<Expr> {
        if *self.peek() == Tok::Sym('-') {
            let (_, span) = self.bump();
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            // A minus before a number is part of the number.
            if let Expr::Number { value, span: s } = inner {
                return Ok(Expr::Number {
                    value: -value,
                    span: span.join(s),
                });
            }
            let span = span.join(inner.span());
            return Ok(Expr::Neg {
                inner: Box::new(inner),
                span,
            });
        }
        self.power()
    }

    fn power(&mut self) -> Parsed<Expr> {
        let base = self.atom()?;
        if *self.peek() != Tok::Sym('^') {
            return Ok(base);
        }
        self.bump();
        let negative = *self.peek() == Tok::Sym('-');
        if negative {
            self.bump();
        }
        match self.peek().clone() {
            Tok::Num(v) => {
                let (_, s) = self.bump();
                let span = base.span().join(s);
                Ok(Expr::Power {
                    base: Box::new(base),
                    exponent: if negative { -v } else { v },
                    span,
                })
            }
            _ => Err(self.expected("a number after `^` (the power must be a plain number)")),
        }
    }

    fn atom(&mut self) -> Parsed<Expr> {
        match self.peek().clone() {
            Tok::Num(value) => {
                let (_, span) = self.bump();
                Ok(Expr::Number { value, span })
            }
            Tok::Ident(name) => {
                let (_, span) = self.bump();
                if *self.peek() == Tok::Sym('(') {
                    return self.call(name, span);
                }
                if FUNCS.iter().any(|(f, _, _)| *f == name) {
                    return Err(self.error(
                        span.start,
                        format!("`{name}` is a function: write {name}(…)"),
                    ));
                }
                Ok(Expr::Name { name, span })
            }
            Tok::Sym('(') => {
                let (_, open) = self.bump();
                self.deeper()?;
                let inner = self.expr()?;
                self.depth -= 1;
                if *self.peek() != Tok::Sym(')') {
                    return Err(self.expected(&format!(
                        "`)` to close the `(` at {}",
                        place(self.text, open.start)
                    )));
                }
                self.bump();
                Ok(inner)
            }
            _ => Err(self.expected("a number, a name or `(`")),
        }
    }

    fn call(&mut self, name: String, span: Span) -> Parsed<Expr> {
        let Some(&(_, func, arity)) = FUNCS.iter().find(|(f, _, _)| *f == name) else {
            let known: Vec<&str> = FUNCS.iter().map(|(f, _, _)| *f).collect();
            return Err(self.error(
                span.start,
                format!("unknown function `{name}` (known: {})", known.join(", ")),
            ));
        };
        let (_, open) = self.bump();
        self.deeper()?;
        let mut args = Vec::new();
        if *self.peek() != Tok::Sym(')') {
            loop {
                args.push(self.expr()?);
                if *self.peek() == Tok::Sym(',') {
                    self.bump();
                    continue;
                }
                break;
            }
        }
        self.depth -= 1;
        if *self.peek() != Tok::Sym(')') {
            return Err(self.expected(&format!(
                "`,` or `)` to close the `(` of {name} at {}",
                place(self.text, open.start)
            )));
        }
        let (_, close) = self.bump();
        if args.len() != arity {
            return Err(self.error(
                span.start,
                format!(
                    "{name} takes {arity} argument{}, got {}",
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
            ));
        }
        if func == Func::Assign && !matches!(args[0], Expr::Name { .. }) {
            return Err(self.error(
                args[0].span().start,
                "assign writes into a variable: its first argument must be a name".into(),
            ));
        }
        Ok(Expr::Call {
            func,
            args,
            span: span.join(close),
        })
    }
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let span = left.span().join(right.span());
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
        span,
    }
}

/// Reads a program.
pub fn parse_program(text: &str) -> Result<Program, ParseError> {
    let n = text.chars().count();
    if n > MAX_PROGRAM_CHARS {
        return Err(ParseError {
            at: MAX_PROGRAM_CHARS,
            message: format!(
                "the program has {n} characters; the sandbox reads at most {MAX_PROGRAM_CHARS}"
            ),
        });
    }
    let toks = lex(text).map_err(|(at, what)| ParseError {
        at,
        message: format!("{}: {what}", place(text, at)),
    })?;
    Parser {
        text,
        toks,
        pos: 0,
        depth: 0,
    }
    .program()
}

/// A typed value: its numbers row-major and its dimensions (`[]` for one number).
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub data: Vec<f32>,
    pub dims: Vec<usize>,
}

enum Nested {
    /// A number and where it starts.
    Num(f32, usize),
    List(Vec<Nested>, usize),
}

/// Reads a value: a number, or lists nested up to four deep with rows of equal length.
pub fn parse_value(text: &str) -> Result<Value, ParseError> {
    let err = |at: usize, what: String| ParseError {
        at,
        message: format!("{}: {what}", place(text, at)),
    };
    let n = text.chars().count();
    if n > MAX_VALUE_CHARS {
        return Err(err(0, format!("{n} characters is too long for a value")));
    }
    if text.trim().is_empty() {
        return Err(err(
            0,
            "no value: type a number such as 3 or a matrix such as [[1, 2]]".into(),
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let mut count = 0;
    let nested = value_at(&chars, &mut pos, 0, &mut count).map_err(|(at, w)| err(at, w))?;
    skip_space(&chars, &mut pos);
    if pos < chars.len() {
        return Err(err(
            pos,
            format!("expected the end of the value, found `{}`", chars[pos]),
        ));
    }
    let mut dims = Vec::new();
    let mut node = &nested;
    while let Nested::List(items, _) = node {
        dims.push(items.len());
        match items.first() {
            Some(first) => node = first,
            None => break,
        }
    }
    let mut data = Vec::with_capacity(count);
    flatten(&nested, &dims, &mut data).map_err(|(at, w)| err(at, w))?;
    if dims.contains(&0) {
        return Err(err(
            0,
            "an empty list has no numbers to compute with".into(),
        ));
    }
    Ok(Value { data, dims })
}

fn skip_space(chars: &[char], pos: &mut usize) {
    while *pos < chars.len() && chars[*pos].is_whitespace() {
        *pos += 1;
    }
}

fn value_at(
    chars: &[char],
    pos: &mut usize,
    depth: usize,
    count: &mut usize,
) -> Result<Nested, (usize, String)> {
    skip_space(chars, pos);
    let start = *pos;
    if chars.get(*pos) == Some(&'[') {
        if depth >= 4 {
            return Err((start, "lists nest at most four deep here".into()));
        }
        *pos += 1;
        let mut items = Vec::new();
        skip_space(chars, pos);
        if chars.get(*pos) == Some(&']') {
            *pos += 1;
            return Ok(Nested::List(items, start));
        }
        loop {
            items.push(value_at(chars, pos, depth + 1, count)?);
            skip_space(chars, pos);
            match chars.get(*pos) {
                Some(',') => *pos += 1,
                Some(']') => {
                    *pos += 1;
                    return Ok(Nested::List(items, start));
                }
                Some(c) => return Err((*pos, format!("expected `,` or `]`, found `{c}`"))),
                None => {
                    return Err((
                        *pos,
                        format!("expected `]` to close the `[` at character {}", start + 1),
                    ))
                }
            }
        }
    }
    while *pos < chars.len() && (chars[*pos].is_ascii_alphanumeric() || "+-.".contains(chars[*pos]))
    {
        *pos += 1;
    }
    let word: String = chars[start..*pos].iter().collect();
    if word.is_empty() {
        return Err(match chars.get(start) {
            Some(c) => (start, format!("expected a number or `[`, found `{c}`")),
            None => (start, "expected a number or `[`, found the end".into()),
        });
    }
    let v = word
        .parse::<f32>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| (start, format!("`{word}` is not a number")))?;
    *count += 1;
    if *count > MAX_VALUE_ELEMENTS {
        return Err((
            start,
            format!("more than {MAX_VALUE_ELEMENTS} numbers; the sandbox keeps values small"),
        ));
    }
    Ok(Nested::Num(v, start))
}

/// Checks every list against `dims` (rows of equal length) and collects the numbers.
fn flatten(node: &Nested, dims: &[usize], out: &mut Vec<f32>) -> Result<(), (usize, String)> {
    match (node, dims) {
        (Nested::Num(v, _), []) => {
            out.push(*v);
            Ok(())
        }
        (Nested::List(items, at), [d, rest @ ..]) => {
            if items.len() != *d {
                let n = items.len();
                return Err((*at, format!(
                    "this list has {n} entr{}; the first list at its depth has {d}: rows must be equally long",
                    if n == 1 { "y" } else { "ies" }
                )));
            }
            items.iter().try_for_each(|i| flatten(i, rest, out))
        }
        (Nested::Num(_, at), _) => Err((
            *at,
            "a number stands where a list was expected (mixed depths)".into(),
        )),
        (Nested::List(_, at), []) => Err((
            *at,
            "a list stands where a number was expected (mixed depths)".into(),
        )),
    }
}
