//! Range-checked parsers for numeric flags, so that every number a user
//! types is refused with a usage error (exit 2) that names the flag (clap
//! adds it) and the allowed range, instead of overflowing, panicking or
//! spinning later. Clap's own ranged parsers do not name the range for
//! text that is not a number (`-1`, `1e3`); these always do.

/// A whole number in `lo..=hi` (`hi = u64::MAX` reads as `lo..`).
pub fn whole<T>(lo: u64, hi: u64) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync
where
    T: TryFrom<u64>,
{
    move |text: &str| {
        let range = if hi == u64::MAX {
            format!("{lo}..")
        } else {
            format!("{lo}..={hi}")
        };
        text.trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (lo..=hi).contains(n))
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| format!("{text:?} is not a whole number in the range {range}"))
    }
}

/// A finite number within `lo..=hi`.
pub fn float_in(value: f64, lo: f64, hi: f64) -> Option<f64> {
    (value.is_finite() && (lo..=hi).contains(&value)).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_name_their_range() {
        let p = whole::<u8>(1, 100);
        assert_eq!(p("1"), Ok(1));
        assert_eq!(p(" 100 "), Ok(100));
        for bad in ["0", "101", "-1", "1e2", "", "x"] {
            assert!(p(bad).unwrap_err().contains("1..=100"), "{bad}");
        }
        assert!(whole::<u64>(1, u64::MAX)("0").unwrap_err().contains("1.."));
        // A range wider than the type: the type's limit refuses too.
        assert!(whole::<u8>(0, 1000)("300").is_err());
    }
}
