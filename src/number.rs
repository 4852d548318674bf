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

/// Exactly `decimals` decimals, trailing zeros kept where they carry the
/// precision ("0.90", not "0.9"): estimates, CIs, test statistics, I².
pub fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    // "-0.00" reads as a sign without a value.
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `digits` significant digits, trailing zeros kept (τ² = 0.7367, 0.02220,
/// 12.35); 0 is "0" and a non-finite value "NA".
pub fn significant(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "NA".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    // The exponent after rounding to `digits` (0.99999 → 1.000e0).
    let sci = format!("{:.*e}", digits.saturating_sub(1), v);
    let exponent: i64 = sci
        .rsplit('e')
        .next()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    fixed(v, (digits as i64 - 1 - exponent).max(0) as usize)
}

/// τ² (and other variance components) as the reports print them: four
/// significant digits.
pub fn tau2(v: f64) -> String {
    significant(v, 4)
}

/// A test statistic (z, t, Q, F, QM): two decimals, zeros kept.
pub fn statistic(v: f64) -> String {
    fixed(v, 2)
}

/// I² in percent, one decimal ("84.9", "0.0"), without the sign.
pub fn i2(v: f64) -> String {
    fixed(v, 1)
}

/// The decimals of the estimates and CIs shown together in one table or
/// figure, chosen once from the scale and the pooled value: one for
/// percentages and for values from 10 up, three below 0.1, else two.
pub fn estimate_decimals(percent: bool, pooled: f64) -> usize {
    let a = pooled.abs();
    if percent || a >= 10.0 {
        1
    } else if a < 0.1 && a > 0.0 {
        3
    } else {
        2
    }
}

/// A count with its noun: "1 event", "2 events", "0 studies".
pub fn count<N>(n: N, singular: &str, plural: &str) -> String
where
    N: Copy + std::fmt::Display + PartialEq + From<u8>,
{
    format!("{n} {}", if n == N::from(1) { singular } else { plural })
}

/// How a p-value is written. One formatter, named styles: `Prose` and
/// `Relation` are survlit's own (figures, Markdown, HTML: three decimals,
/// or "< 0.001"), `Metafor` and `Scientific` mimic R's printouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PStyle {
    /// Figures and report prose: "p = 0.012", "p = 0.040" (three decimals,
    /// zeros kept) or "p < 0.001".
    Prose,
    /// After a test statistic: "= 0.012" or "< 0.001".
    Relation,
    /// metafor's printout: "0.0123" or "<.0001".
    Metafor,
    /// R's printout of survival tests: "0.0123" or "2.30e-5".
    Scientific,
}

/// A p-value in the given style.
pub fn p_value(p: f64, style: PStyle) -> String {
    let tiny = p < 1e-4;
    // survlit's own styles: below 0.001 (or what rounds to 0.000) is "< 0.001".
    let small = p < 0.0005;
    match style {
        PStyle::Prose if small => "p < 0.001".into(),
        PStyle::Prose => format!("p = {p:.3}"),
        PStyle::Relation if small => "< 0.001".into(),
        PStyle::Relation => format!("= {p:.3}"),
        PStyle::Metafor if tiny => "<.0001".into(),
        PStyle::Scientific if tiny => format!("{p:.2e}"),
        PStyle::Metafor | PStyle::Scientific => format!("{p:.4}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_in_each_style() {
        let both = |s| (p_value(0.0120, s), p_value(0.000023, s));
        assert_eq!(
            both(PStyle::Prose),
            ("p = 0.012".into(), "p < 0.001".into())
        );
        assert_eq!(both(PStyle::Relation), ("= 0.012".into(), "< 0.001".into()));
        // Zeros that carry precision are kept; 0.0004 rounds to nothing.
        assert_eq!(p_value(0.04, PStyle::Prose), "p = 0.040");
        assert_eq!(p_value(0.0004, PStyle::Prose), "p < 0.001");
        assert_eq!(p_value(0.0423, PStyle::Relation), "= 0.042");
        assert_eq!(both(PStyle::Metafor), ("0.0120".into(), "<.0001".into()));
        assert_eq!(
            both(PStyle::Scientific),
            ("0.0120".into(), "2.30e-5".into())
        );
        // 0.0001 itself is not "tiny" in metafor's printout.
        assert_eq!(p_value(0.0001, PStyle::Metafor), "0.0001");
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count(1u64, "death", "deaths"), "1 death");
        assert_eq!(count(3u32, "study", "studies"), "3 studies");
        assert_eq!(count(0u32, "study", "studies"), "0 studies");
    }

    #[test]
    fn significant_digits_keep_their_zeros() {
        assert_eq!(tau2(0.73671926267), "0.7367");
        assert_eq!(tau2(0.0222), "0.02220");
        assert_eq!(tau2(7.19347915679), "7.193");
        assert_eq!(tau2(12.345), "12.35");
        assert_eq!(tau2(1234.6), "1235");
        assert_eq!(tau2(0.0), "0");
        assert_eq!(tau2(0.99999), "1.000");
        assert_eq!(tau2(0.099999), "0.1000");
        assert_eq!(statistic(24.3), "24.30");
        assert_eq!(i2(17.0), "17.0");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(fixed(0.9, 2), "0.90");
    }

    #[test]
    fn estimate_decimals_follow_the_scale() {
        assert_eq!(estimate_decimals(true, 5.2), 1);
        assert_eq!(estimate_decimals(false, 15.0), 1);
        assert_eq!(estimate_decimals(false, 0.85), 2);
        assert_eq!(estimate_decimals(false, 0.05), 3);
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
