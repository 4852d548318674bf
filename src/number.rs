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

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn trims_trailing_zeros_only_after_the_point() {
        assert_eq!(num(2.5, 2), "2.5");
        assert_eq!(num(100.0, 0), "100");
        assert_eq!(num(1.0, 3), "1");
        assert_eq!(num(0.045, 2), "0.04"); // as Rust rounds the binary value
    }
}
