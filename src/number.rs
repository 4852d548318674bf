//! Numbers as text: the one place a value becomes digits, below every layer
//! that writes them (stats' notes, plot ticks, exports, report prose).

/// A number with at most `decimals` decimals, trailing zeros trimmed.
pub fn num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// How a p-value is written. One formatter, named styles: each is what a
/// place of survlit has always printed, and they differ only below 0.0001
/// and in their prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PStyle {
    /// Figures and report prose: "p = 0.0123" (trailing zeros trimmed) or
    /// "p < 0.0001".
    Prose,
    /// After a test statistic: "= 0.0123" (four decimals) or "< 0.0001".
    Relation,
    /// metafor's printout: "0.0123" or "<.0001".
    Metafor,
    /// R's printout of survival tests: "0.0123" or "2.30e-5".
    Scientific,
}

/// A p-value in the given style.
pub fn p_value(p: f64, style: PStyle) -> String {
    let tiny = p < 1e-4;
    match style {
        PStyle::Prose if tiny => "p < 0.0001".into(),
        PStyle::Prose => format!("p = {}", num(p, 4)),
        PStyle::Relation if tiny => "< 0.0001".into(),
        PStyle::Relation => format!("= {p:.4}"),
        PStyle::Metafor if tiny => "<.0001".into(),
        PStyle::Scientific if tiny => format!("{p:.2e}"),
        PStyle::Metafor | PStyle::Scientific => format!("{p:.4}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{num, p_value, PStyle};

    #[test]
    fn p_values_in_each_style() {
        let both = |s| (p_value(0.0120, s), p_value(0.000023, s));
        assert_eq!(
            both(PStyle::Prose),
            ("p = 0.012".into(), "p < 0.0001".into())
        );
        assert_eq!(
            both(PStyle::Relation),
            ("= 0.0120".into(), "< 0.0001".into())
        );
        assert_eq!(both(PStyle::Metafor), ("0.0120".into(), "<.0001".into()));
        assert_eq!(
            both(PStyle::Scientific),
            ("0.0120".into(), "2.30e-5".into())
        );
        // 0.0001 itself is not "tiny".
        assert_eq!(p_value(0.0001, PStyle::Relation), "= 0.0001");
    }

    #[test]
    fn trims_trailing_zeros_only_after_the_point() {
        assert_eq!(num(2.5, 2), "2.5");
        assert_eq!(num(100.0, 0), "100");
        assert_eq!(num(1.0, 3), "1");
        assert_eq!(num(0.045, 2), "0.04"); // as Rust rounds the binary value
    }
}

/// A value as a person entered it: the shortest decimal that carries at most
/// 12 significant digits, so arithmetic noise from a unit change (45.88 % →
/// 0.45880000000000004, 3.04 years → 36.480000000000004 months) never
/// reaches a message: "0.4588", "36.48".
pub fn entered(v: f64) -> String {
    if !v.is_finite() || v == 0.0 {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (11 - magnitude).clamp(0, 17) as usize;
    let s = num(v, decimals);
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

#[cfg(test)]
mod entered_tests {
    use super::entered;

    #[test]
    fn unit_conversion_noise_is_not_printed() {
        assert_eq!(entered(45.88 / 100.0), "0.4588");
        assert_eq!(entered(3.04 * 12.0), "36.48");
        assert_eq!(entered(0.1 + 0.2), "0.3");
        assert_eq!(entered(46.0), "46");
        assert_eq!(entered(1e-5 * 3.0), "0.00003");
        assert_eq!(entered(123456.5), "123456.5");
        assert_eq!(entered(-2.5), "-2.5");
        assert_eq!(entered(0.0), "0");
    }
}
