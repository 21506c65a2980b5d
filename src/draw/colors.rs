//! The playground's colours: orange for negative / class 0, blue for positive / class 1, green
//! for class 2, white in between.

/// An RGB colour.
pub type Rgb = [u8; 3];

pub const ORANGE: Rgb = [0xf5, 0x93, 0x22];
pub const BLUE: Rgb = [0x08, 0x77, 0xbd];
pub const GREEN: Rgb = [0x2e, 0x9e, 0x4f];
pub const NEUTRAL: Rgb = [0xe8, 0xea, 0xeb];
pub const WHITE: Rgb = [0xff, 0xff, 0xff];

/// Class colours, in class order.
pub const CLASSES: [Rgb; 3] = [ORANGE, BLUE, GREEN];

/// Linear mix: `t` = 0 gives `a`, 1 gives `b`.
pub fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// A value in [-1, 1] on the orange-neutral-blue scale (clamped outside).
pub fn diverging(v: f64) -> Rgb {
    if !v.is_finite() {
        return [0x80, 0x80, 0x80];
    }
    if v < 0.0 {
        mix(NEUTRAL, ORANGE, -v)
    } else {
        mix(NEUTRAL, BLUE, v)
    }
}

/// The colour of class `k`.
pub fn class(k: usize) -> Rgb {
    CLASSES[k % CLASSES.len()]
}

/// Hex text for SVG and CSS.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_ends() {
        assert_eq!(diverging(-1.0), ORANGE);
        assert_eq!(diverging(1.0), BLUE);
        assert_eq!(diverging(0.0), NEUTRAL);
        assert_eq!(diverging(7.0), BLUE);
        assert_eq!(hex(ORANGE), "#f59322");
    }
}
