//! Reading back the estimates criterion saved in this run, to print ratios
//! between benchmarks of the same run.

use std::env;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

/// Where criterion keeps its results: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else `criterion` in `default_target`
/// (the bench passes the target directory it was built in).
pub fn criterion_directory(default_target: &Path) -> PathBuf {
    if let Some(home) = env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| default_target.to_owned(), PathBuf::from)
        .join("criterion")
}

/// The time criterion reports for `group/id` in nanoseconds per iteration
/// (its "typical" estimate: the slope of a linear sample, else the mean),
/// when it was saved at `since` or later (by this run, not an earlier one).
pub fn typical_ns(directory: &Path, group: &str, id: &str, since: SystemTime) -> Option<f64> {
    let path = directory
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let text = std::fs::read(path).ok()?;
    let estimates: Value = serde_json::from_slice(&text).ok()?;
    let typical = match &estimates["slope"] {
        Value::Null => &estimates["mean"],
        slope => slope,
    };
    typical["point_estimate"].as_f64()
}

/// A duration in nanoseconds, written with a unit that keeps 3 or 4 digits.
pub fn format_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn reads_the_slope_or_the_mean() {
        let directory = env::temp_dir().join(format!("face-benches-est-{}", std::process::id()));
        let with_slope = directory.join("g/a/new");
        let without_slope = directory.join("g/b/new");
        std::fs::create_dir_all(&with_slope).unwrap();
        std::fs::create_dir_all(&without_slope).unwrap();
        std::fs::write(
            with_slope.join("estimates.json"),
            r#"{"mean":{"point_estimate":5.0},"slope":{"point_estimate":4.0}}"#,
        )
        .unwrap();
        std::fs::write(
            without_slope.join("estimates.json"),
            r#"{"mean":{"point_estimate":5.0},"slope":null}"#,
        )
        .unwrap();
        let before = SystemTime::now() - Duration::from_mins(1);
        assert_eq!(typical_ns(&directory, "g", "a", before), Some(4.0));
        assert_eq!(typical_ns(&directory, "g", "b", before), Some(5.0));
        assert_eq!(typical_ns(&directory, "g", "missing", before), None);
        let later = SystemTime::now() + Duration::from_mins(1);
        assert_eq!(typical_ns(&directory, "g", "a", later), None);
        std::fs::remove_dir_all(&directory).unwrap();
    }

    #[test]
    fn formats_with_a_fitting_unit() {
        assert_eq!(format_ns(12.0), "12.0 ns");
        assert_eq!(format_ns(61_234.0), "61.23 µs");
        assert_eq!(format_ns(23_450_000.0), "23.45 ms");
    }
}
