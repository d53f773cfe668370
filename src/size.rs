//! Sizes as people type and read them, in one place: every size flag
//! (`--max-body`, `--max-page-size`, `--max-record-size`) parses with
//! [`parse`] and every message shows a size with [`describe`].
//!
//! Units are said honestly (IEC 80000-13): `KiB`, `MiB`, `GiB` are powers of
//! 1024; `KB`, `MB`, `GB` (also `k`, `M`, `G`) are powers of 1000; a bare
//! number, or `B`, is bytes. Case does not matter; a space may stand
//! between number and unit.

/// The number of bytes `text` names: `10MiB`, `512 KiB`, `5MB`, `1000`.
/// Errors (for clap's value parser) name the text and the units; zero is
/// not a size.
pub fn parse(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let n: usize = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 10MiB, 5MB, 4096)"))?;
    let factor: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        other => {
            return Err(format!(
                "unknown size unit {other:?} (use KiB, MiB, GiB (1024s) or KB, MB, GB (1000s))"
            ));
        }
    };
    n.checked_mul(factor)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{text:?} is not a usable size"))
}

/// A byte count for messages: `16 MiB`, `512 KiB` or `100 bytes`.
pub fn describe(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_and_decimal_units_are_told_apart() {
        assert_eq!(parse("10MiB"), Ok(10 << 20));
        assert_eq!(parse("512 KiB"), Ok(512 << 10));
        assert_eq!(parse("5MB"), Ok(5_000_000));
        assert_eq!(parse("2k"), Ok(2_000));
        assert_eq!(parse("1000"), Ok(1000));
        assert!(parse("0").is_err());
        assert!(parse("5 parsecs").is_err());
        assert!(parse("MiB").is_err());
    }

    #[test]
    fn sizes_are_described_in_the_largest_whole_unit() {
        assert_eq!(describe(16 << 20), "16 MiB");
        assert_eq!(describe(512 << 10), "512 KiB");
        assert_eq!(describe(1000), "1000 bytes");
    }
}
