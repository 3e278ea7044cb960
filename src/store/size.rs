//! File sizes in messages, and the one wording every reader uses for a file over its size limit.

/// `999` → "999 bytes", `1_500_000` → "1.4 MiB", `256 << 20` → "256 MiB" (binary units, as the
/// limits are set; a whole number shows no decimals). For messages only.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let name = UNITS.get(unit).copied().unwrap_or("PiB");
    if value.fract() == 0.0 { format!("{value:.0} {name}") } else { format!("{value:.1} {name}") }
}

/// What follows "too large: " in a message: "300 MiB, over the limit of 256 MiB", or, when
/// reading stopped at the limit (`at_least`: the file grew while it was read, or its size is not
/// known beforehand), "over the limit of 256 MiB".
pub fn over_limit(size: u64, limit: u64, at_least: bool) -> String {
    if at_least {
        format!("over the limit of {}", human_bytes(limit))
    } else {
        format!("{}, over the limit of {}", human_bytes(size), human_bytes(limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(1023), "1023 bytes");
        assert_eq!(human_bytes(1024), "1 KiB");
        assert_eq!(human_bytes(2000), "2.0 KiB");
        assert_eq!(human_bytes(256 << 20), "256 MiB");
        assert_eq!(human_bytes(300_000_000), "286.1 MiB");
        // No unit past PiB: the number grows instead.
        assert_eq!(human_bytes(u64::MAX), "16384 PiB");
    }

    #[test]
    fn the_limit_wording_names_size_and_limit() {
        assert_eq!(over_limit(300 << 20, 256 << 20, false), "300 MiB, over the limit of 256 MiB");
        assert_eq!(over_limit((256 << 20) + 1, 256 << 20, true), "over the limit of 256 MiB");
    }
}
