//! How well a regression's predictions fit the true values: the root mean square error, in the
//! target's units, and R², the share of the values' variance the predictions explain (1 is a
//! perfect fit, 0 is no better than always predicting the mean, below 0 is worse).

/// The fit of `(truth, prediction)` pairs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub rmse: f64,
    pub r2: f64,
}

/// `None` without a finite pair; R² is `NaN` when the true values are all the same.
pub fn fit(pairs: &[(f64, f64)]) -> Option<Fit> {
    let finite: Vec<(f64, f64)> = pairs
        .iter()
        .copied()
        .filter(|(t, p)| t.is_finite() && p.is_finite())
        .collect();
    if finite.is_empty() {
        return None;
    }
    let n = finite.len() as f64;
    let mean = finite.iter().map(|(t, _)| t).sum::<f64>() / n;
    let residual = finite.iter().map(|(t, p)| (t - p).powi(2)).sum::<f64>();
    let total = finite.iter().map(|(t, _)| (t - mean).powi(2)).sum::<f64>();
    Some(Fit {
        rmse: (residual / n).sqrt(),
        r2: if total > 0.0 {
            1.0 - residual / total
        } else {
            f64::NAN
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_mean_and_worse_predictions() {
        let truth = [1.0, 2.0, 3.0, 4.0];
        let exact: Vec<_> = truth.iter().map(|&t| (t, t)).collect();
        assert_eq!(fit(&exact), Some(Fit { rmse: 0.0, r2: 1.0 }));
        let mean: Vec<_> = truth.iter().map(|&t| (t, 2.5)).collect();
        let f = fit(&mean).unwrap();
        assert!(
            f.r2.abs() < 1e-12 && (f.rmse - 1.25f64.sqrt()).abs() < 1e-12,
            "{f:?}"
        );
        let backwards: Vec<_> = truth.iter().map(|&t| (t, 5.0 - t)).collect();
        assert!(fit(&backwards).unwrap().r2 < 0.0);
        assert_eq!(fit(&[(f64::NAN, 1.0)]), None);
        assert!(fit(&[(2.0, 1.0), (2.0, 3.0)]).unwrap().r2.is_nan());
    }
}
