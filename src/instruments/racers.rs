//! The six racers of the optimizer race and their hyper-parameters: which knobs each has, the
//! range each knob is kept in (with the notice that says so), and the engine [`UpdateRule`]
//! they make. Plain Rust, tested natively; the race panel only draws it.

use np_engine::backend::UpdateRule;
use np_engine::surfaces::Surface;

/// One optimizer of the race.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Racer {
    Sgd,
    Momentum,
    Nesterov,
    AdaGrad,
    RmsProp,
    Adam,
}

/// A marker shape: every racer has its own, so the paths are told apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Plus,
}

impl Racer {
    pub const ALL: [Racer; 6] = [
        Racer::Sgd,
        Racer::Momentum,
        Racer::Nesterov,
        Racer::AdaGrad,
        Racer::RmsProp,
        Racer::Adam,
    ];

    /// The key in test ids (`race-lr-<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Racer::Sgd => "sgd",
            Racer::Momentum => "momentum",
            Racer::Nesterov => "nesterov",
            Racer::AdaGrad => "adagrad",
            Racer::RmsProp => "rmsprop",
            Racer::Adam => "adam",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Racer::Sgd => "SGD",
            Racer::Momentum => "Momentum",
            Racer::Nesterov => "Nesterov",
            Racer::AdaGrad => "AdaGrad",
            Racer::RmsProp => "RMSprop",
            Racer::Adam => "Adam",
        }
    }

    /// Okabe and Ito's colour-blind safe palette (yellow left out: it vanishes on white).
    pub fn color(self) -> &'static str {
        match self {
            Racer::Sgd => "#000000",
            Racer::Momentum => "#e69f00",
            Racer::Nesterov => "#0072b2",
            Racer::AdaGrad => "#009e73",
            Racer::RmsProp => "#cc79a7",
            Racer::Adam => "#d55e00",
        }
    }

    pub fn marker(self) -> Marker {
        match self {
            Racer::Sgd => Marker::Circle,
            Racer::Momentum => Marker::Square,
            Racer::Nesterov => Marker::TriangleUp,
            Racer::AdaGrad => Marker::Diamond,
            Racer::RmsProp => Marker::TriangleDown,
            Racer::Adam => Marker::Plus,
        }
    }

    /// The knobs this optimizer has, in the order the page shows them.
    pub fn knobs(self) -> &'static [Knob] {
        match self {
            Racer::Sgd => &[Knob::LearningRate],
            Racer::Momentum | Racer::Nesterov => &[Knob::LearningRate, Knob::Momentum],
            Racer::AdaGrad => &[Knob::LearningRate, Knob::Epsilon],
            Racer::RmsProp => &[Knob::LearningRate, Knob::Rho, Knob::Epsilon],
            Racer::Adam => &[Knob::LearningRate, Knob::Beta1, Knob::Beta2, Knob::Epsilon],
        }
    }

    /// The engine's update rule for these settings.
    pub fn rule(self, h: &Hyper) -> UpdateRule {
        let f = |v: f64| v as f32;
        match self {
            Racer::Sgd => UpdateRule::sgd(f(h.lr)),
            Racer::Momentum => UpdateRule::momentum(f(h.lr), f(h.momentum)),
            Racer::Nesterov => UpdateRule::nesterov(f(h.lr), f(h.momentum)),
            Racer::AdaGrad => UpdateRule::AdaGrad {
                lr: f(h.lr),
                eps: f(h.eps),
                initial_accumulator: 0.0,
            },
            Racer::RmsProp => UpdateRule::RmsProp {
                lr: f(h.lr),
                alpha: f(h.rho),
                eps: f(h.eps),
            },
            Racer::Adam => UpdateRule::Adam {
                lr: f(h.lr),
                beta1: f(h.beta1),
                beta2: f(h.beta2),
                eps: f(h.eps),
            },
        }
    }

    /// A learning rate that shows this optimizer's character on `surface` without blowing up
    /// (plain steps must stay below 2 / the steepest curvature; adaptive ones move about `lr`
    /// per step whatever the gradient, so they get larger rates on wide windows).
    pub fn suggested_lr(self, surface: Surface) -> f64 {
        use Racer::*;
        match (surface, self) {
            (Surface::IllConditioned, Sgd | Momentum | Nesterov) => 0.03,
            (Surface::IllConditioned, AdaGrad) => 0.5,
            (Surface::IllConditioned, RmsProp) => 0.02,
            (Surface::IllConditioned, Adam) => 0.1,
            (Surface::Rosenbrock, Sgd) => 0.001,
            (Surface::Rosenbrock, Momentum | Nesterov) => 0.0005,
            (Surface::Rosenbrock, AdaGrad) => 0.3,
            (Surface::Rosenbrock, RmsProp) => 0.005,
            (Surface::Rosenbrock, Adam) => 0.05,
            (Surface::Beale, Sgd) => 0.01,
            (Surface::Beale, Momentum | Nesterov) => 0.003,
            (Surface::Beale, AdaGrad) => 0.5,
            (Surface::Beale, RmsProp) => 0.01,
            (Surface::Beale, Adam) => 0.05,
            (Surface::Saddle, Sgd | Momentum | Nesterov) => 0.05,
            (Surface::Saddle, AdaGrad) => 0.5,
            (Surface::Saddle, RmsProp) => 0.02,
            (Surface::Saddle, Adam) => 0.05,
        }
    }
}

/// Every hyper-parameter a racer may have (each racer reads the ones its [`Racer::knobs`] name).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyper {
    pub lr: f64,
    pub momentum: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub rho: f64,
}

impl Hyper {
    /// PyTorch's defaults (the engine's constructors), with a learning rate for `surface`.
    pub fn suggested(racer: Racer, surface: Surface) -> Self {
        Self {
            lr: racer.suggested_lr(surface),
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            eps: if racer == Racer::AdaGrad { 1e-10 } else { 1e-8 },
            rho: 0.99,
        }
    }
    pub fn get(&self, knob: Knob) -> f64 {
        match knob {
            Knob::LearningRate => self.lr,
            Knob::Momentum => self.momentum,
            Knob::Beta1 => self.beta1,
            Knob::Beta2 => self.beta2,
            Knob::Epsilon => self.eps,
            Knob::Rho => self.rho,
        }
    }
    pub fn set(&mut self, knob: Knob, v: f64) {
        let slot = match knob {
            Knob::LearningRate => &mut self.lr,
            Knob::Momentum => &mut self.momentum,
            Knob::Beta1 => &mut self.beta1,
            Knob::Beta2 => &mut self.beta2,
            Knob::Epsilon => &mut self.eps,
            Knob::Rho => &mut self.rho,
        };
        *slot = v;
    }
}

/// One hyper-parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    LearningRate,
    Momentum,
    Beta1,
    Beta2,
    Epsilon,
    Rho,
}

impl Knob {
    /// The key in test ids (`race-<key>-<racer>`).
    pub fn key(self) -> &'static str {
        match self {
            Knob::LearningRate => "lr",
            Knob::Momentum => "momentum",
            Knob::Beta1 => "beta1",
            Knob::Beta2 => "beta2",
            Knob::Epsilon => "epsilon",
            Knob::Rho => "rho",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Knob::LearningRate => "learning rate",
            Knob::Momentum => "momentum",
            Knob::Beta1 => "β₁",
            Knob::Beta2 => "β₂",
            Knob::Epsilon => "ε",
            Knob::Rho => "ρ",
        }
    }
    /// The sensible range, inclusive. Decay rates stay below 1 (at 1 nothing is forgotten and
    /// Adam's bias correction divides by zero); ε stays positive (it keeps the division finite).
    pub fn range(self) -> (f64, f64) {
        match self {
            Knob::LearningRate => (1e-5, 5.0),
            Knob::Momentum => (0.0, 0.999),
            Knob::Beta1 => (0.0, 0.999),
            Knob::Beta2 => (0.5, 0.99999),
            Knob::Epsilon => (1e-10, 1.0),
            Knob::Rho => (0.0, 0.999),
        }
    }
    /// The input's step attribute.
    pub fn step(self) -> &'static str {
        match self {
            Knob::LearningRate | Knob::Epsilon => "any",
            _ => "0.01",
        }
    }
}

/// Reads what a student typed for `knob` of `racer`: the value to use, kept in range, and a
/// notice when it was changed (naming the range) or could not be read (keeping `current`).
pub fn read_knob(racer: Racer, knob: Knob, text: &str, current: f64) -> (f64, Option<String>) {
    let (lo, hi) = knob.range();
    let what = format!("{}'s {}", racer.title(), knob.label());
    let range = format!("{} to {}", number(lo), number(hi));
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => (v, None),
        Ok(v) if v.is_finite() => {
            let kept = v.clamp(lo, hi);
            let notice = format!(
                "{what} is kept between {range}: {} became {}.",
                number(v),
                number(kept)
            );
            (kept, Some(notice))
        }
        _ => (
            current,
            Some(format!(
                "{what} must be a number from {range}; \"{}\" is not, so it stays {}.",
                text.trim(),
                number(current)
            )),
        ),
    }
}

/// A number as a student would write it: plain where that is short, else scientific.
pub fn number(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if (1e-3..1e5).contains(&a) {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{v:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_in_range_are_taken_as_they_are() {
        assert_eq!(
            read_knob(Racer::Adam, Knob::LearningRate, " 0.05 ", 0.1),
            (0.05, None)
        );
        assert_eq!(
            read_knob(Racer::Momentum, Knob::Momentum, "0", 0.9),
            (0.0, None)
        );
    }

    #[test]
    fn values_out_of_range_are_clamped_with_a_notice_naming_the_range() {
        let (v, notice) = read_knob(Racer::Momentum, Knob::Momentum, "1.5", 0.9);
        assert_eq!(v, 0.999);
        assert_eq!(
            notice.as_deref(),
            Some("Momentum's momentum is kept between 0 to 0.999: 1.5 became 0.999.")
        );
        let (v, notice) = read_knob(Racer::Sgd, Knob::LearningRate, "-3", 0.1);
        assert_eq!(v, 1e-5);
        assert!(notice.unwrap().contains("1e-5 to 5"));
        let (v, _) = read_knob(Racer::Adam, Knob::Epsilon, "0", 1e-8);
        assert_eq!(v, 1e-10, "ε = 0 would divide by zero");
    }

    #[test]
    fn text_that_is_no_number_keeps_the_value_and_says_so() {
        let (v, notice) = read_knob(Racer::RmsProp, Knob::Rho, "fast", 0.99);
        assert_eq!(v, 0.99);
        assert_eq!(
            notice.as_deref(),
            Some(
                "RMSprop's ρ must be a number from 0 to 0.999; \"fast\" is not, so it stays 0.99."
            )
        );
        assert!(read_knob(Racer::Adam, Knob::Beta1, "NaN", 0.9).1.is_some());
    }

    #[test]
    fn every_suggested_setting_is_in_range_and_names_its_optimizer() {
        for s in Surface::ALL {
            for r in Racer::ALL {
                let h = Hyper::suggested(r, s);
                for &k in r.knobs() {
                    let (lo, hi) = k.range();
                    assert!((lo..=hi).contains(&h.get(k)), "{r:?} {k:?} on {s:?}");
                }
                let rule = r.rule(&h);
                let expected = match r {
                    Racer::Sgd => "plain SGD",
                    Racer::Momentum => "SGD with momentum",
                    Racer::Nesterov => "Nesterov momentum",
                    Racer::AdaGrad => "AdaGrad",
                    Racer::RmsProp => "RMSprop",
                    Racer::Adam => "Adam",
                };
                assert_eq!(rule.name(), expected);
            }
        }
    }

    #[test]
    fn racers_differ_in_colour_and_in_shape() {
        for (i, a) in Racer::ALL.iter().enumerate() {
            for b in &Racer::ALL[i + 1..] {
                assert_ne!(a.color(), b.color());
                assert_ne!(a.marker(), b.marker());
            }
        }
    }
}
