//! [`Suite`]: runs the same calls on a candidate backend and on the plain reference, and
//! compares what they wrote.

use np_engine::backend::cpu::ReferenceBackend;
use np_engine::rng::Rng;
use np_engine::{Backend, BufferId, Result};

/// How close a candidate's value must be: `|got - want| <= abs + rel * |want|`. NaN must meet
/// NaN and an infinity the same infinity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tol {
    pub abs: f32,
    pub rel: f32,
}

impl Tol {
    /// Bit-for-bit equal (copies, masks, indices).
    pub const EXACT: Tol = Tol { abs: 0.0, rel: 0.0 };

    pub const fn new(abs: f32, rel: f32) -> Self {
        Tol { abs, rel }
    }

    fn accepts(self, got: f32, want: f32) -> bool {
        if want.is_nan() {
            return got.is_nan();
        }
        if want.is_infinite() {
            return got == want;
        }
        got == want || (got - want).abs() <= self.abs + self.rel * want.abs()
    }
}

/// The accuracy a candidate promises for transcendental functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// Within the suite's tolerances everywhere, NaN where the reference has NaN (the CPU
    /// backends; wgpu on Vulkan's lavapipe).
    Full,
    /// What the WGSL spec promises and no more (WebGPU in a browser: SwiftShader's `sin` is off
    /// by 2e-4): `sin` and `cos` within [`WGSL_TRIG_ABS`] absolute on `[-pi, pi]`, and any value
    /// outside a function's domain (`log` of a negative), where the reference has NaN.
    Wgsl,
}

/// The WGSL spec's absolute error bound for `sin` and `cos` on `[-pi, pi]`: 2^-11.
pub const WGSL_TRIG_ABS: f32 = 1.0 / 2048.0;

/// What a run of cases found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Comparisons made.
    pub checks: usize,
    /// One line per mismatch or error: the check, the element, both values.
    pub failures: Vec<String>,
}

impl Report {
    /// Panics with every failure if there is any (the test's verdict).
    pub fn assert_clean(&self, case: &str) {
        assert!(self.checks > 0, "{case}: no check ran");
        assert!(
            self.failures.is_empty(),
            "{case}: {} of {} checks failed:\n{}",
            self.failures.len(),
            self.checks,
            self.failures.join("\n")
        );
    }
}

/// A candidate backend beside a fresh [`ReferenceBackend`].
#[derive(Debug)]
pub struct Suite<'a> {
    candidate: &'a mut dyn Backend,
    reference: ReferenceBackend,
    tol_scale: f32,
    precision: Precision,
    report: Report,
}

impl<'a> Suite<'a> {
    /// Checks `candidate`, which should be fresh: cases leave buffers allocated.
    pub fn new(candidate: &'a mut dyn Backend) -> Self {
        Self {
            candidate,
            reference: ReferenceBackend::new(),
            tol_scale: 1.0,
            precision: Precision::Full,
            report: Report::default(),
        }
    }

    /// Every tolerance multiplied by `scale` (0: demand exact equality, which shows that the
    /// suite sees rounding differences).
    pub fn with_tolerance_scale(mut self, scale: f32) -> Self {
        self.tol_scale = scale;
        self
    }

    /// Holds the candidate to `precision` instead of [`Precision::Full`].
    pub fn with_precision(mut self, precision: Precision) -> Self {
        self.precision = precision;
        self
    }

    /// The precision the candidate is held to (cases loosen their tolerances by it).
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The candidate, for checks of its own (errors it must return).
    pub fn candidate(&mut self) -> &mut dyn Backend {
        self.candidate
    }

    /// Records a check that passes when `ok`.
    pub fn expect(&mut self, what: &str, ok: bool) {
        self.report.checks += 1;
        if !ok {
            self.report
                .failures
                .push(format!("{what}: not as expected"));
        }
    }

    /// Runs `f` on the reference and on the candidate; each returns the buffers to compare, and
    /// output `i` is compared within `tols[i]` (the last tolerance covers the rest).
    pub async fn check(
        &mut self,
        what: &str,
        tols: &[Tol],
        f: impl Fn(&mut dyn Backend) -> Result<Vec<BufferId>>,
    ) {
        let want = match f(&mut self.reference) {
            Ok(ids) => read_all(&self.reference, &ids).await,
            Err(e) => Err(e),
        };
        let want = match want {
            Ok(w) => w,
            Err(e) => return self.fail(format!("{what}: the reference failed: {e}")),
        };
        let got = match f(self.candidate) {
            Ok(ids) => {
                let got = read_all(self.candidate, &ids).await;
                for id in ids {
                    self.candidate.release(id);
                }
                got
            }
            Err(e) => Err(e),
        };
        let got = match got {
            Ok(g) => g,
            Err(e) => return self.fail(format!("{what}: {e}")),
        };
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            let tol = tols.get(i).or(tols.last()).copied().unwrap_or(Tol::EXACT);
            let tol = Tol::new(tol.abs * self.tol_scale, tol.rel * self.tol_scale);
            self.compare(&format!("{what} output {i}"), g, w, tol);
        }
    }

    fn compare(&mut self, what: &str, got: &[f32], want: &[f32], tol: Tol) {
        self.report.checks += 1;
        if got.len() != want.len() {
            return self.fail(format!(
                "{what}: length {} instead of {}",
                got.len(),
                want.len()
            ));
        }
        let any_outside_domain = self.precision == Precision::Wgsl;
        let bad = got
            .iter()
            .zip(want)
            .enumerate()
            .find(|(_, (g, w))| !(tol.accepts(**g, **w) || (any_outside_domain && w.is_nan())));
        if let Some((i, (g, w))) = bad {
            self.fail(format!("{what}[{i}]: candidate {g}, reference {w}"));
        }
    }

    fn fail(&mut self, line: String) {
        self.report.failures.push(line);
    }

    /// What the checks found.
    pub fn finish(self) -> Report {
        self.report
    }
}

async fn read_all(b: &dyn Backend, ids: &[BufferId]) -> Result<Vec<Vec<f32>>> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        out.push(b.read(id).await?);
    }
    Ok(out)
}

/// `n` uniform values in `[lo, hi)`.
pub fn random(rng: &mut Rng, n: usize, lo: f64, hi: f64) -> Vec<f32> {
    (0..n).map(|_| rng.uniform(lo, hi) as f32).collect()
}
