//! Text from the network made safe to keep in an error: bounded, whitespace collapsed and
//! secrets redacted.

/// Most bytes of a response body kept in an error.
pub(crate) const EXCERPT_LIMIT: usize = 512;

/// Most bytes of a body looked at to make an excerpt (before whitespace is
/// collapsed), plus the length of the secret to redact.
const EXCERPT_WINDOW: usize = 4 * EXCERPT_LIMIT;

/// Text that came from the network made safe to keep in an error: at most
/// `limit` bytes (cut at a char boundary, `…` marking the cut), whitespace and
/// control characters collapsed into single spaces.
pub(crate) fn bounded_text(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit));
    let mut truncated = false;
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || ch.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        let needed = ch.len_utf8() + usize::from(pending_space);
        if out.len() + needed > limit {
            truncated = true;
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    if truncated {
        const MARK: char = '…';
        while out.len() + MARK.len_utf8() > limit {
            if out.pop().is_none() {
                break;
            }
        }
        if out.len() + MARK.len_utf8() <= limit {
            out.push(MARK);
        }
    }
    out
}

/// The start of a response body as text, at most [`EXCERPT_LIMIT`] bytes,
/// with every occurrence of `secret` replaced by `<redacted>`.
///
/// Only a window of the body is copied, however large the body: its first
/// 2 KiB plus the length of the secret, so a secret that starts inside the
/// 2 KiB is whole in the window and redacted. A secret that starts later and
/// runs past the window's end leaves a piece of its start at the end; that
/// piece is dropped before the text is cut to size.
pub(crate) fn excerpt(body: &[u8], secret: &str) -> String {
    let window_len = body.len().min(EXCERPT_WINDOW + secret.len());
    let window = String::from_utf8_lossy(&body[..window_len]);
    let mut text = crate::credentials::redact(secret, &window).into_owned();
    if window_len < body.len() {
        let piece = (1..secret.len())
            .rev()
            .find(|&len| secret.is_char_boundary(len) && text.ends_with(&secret[..len]));
        if let Some(len) = piece {
            text.truncate(text.len() - len);
        }
    }
    bounded_text(&text, EXCERPT_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_text_collapses_whitespace() {
        assert_eq!(bounded_text("  a\n\n b\t\u{0}c  ", 100), "a b c");
        assert_eq!(bounded_text("", 10), "");
        assert_eq!(bounded_text("abcdef", 6), "abcdef");
        assert_eq!(bounded_text("abcdefg", 6), "abc…");
    }

    #[test]
    fn bounded_text_counts_the_collapsed_spaces_and_the_mark() {
        // "ab cd" fills 5 bytes; " e" would take 2 more, so the text is cut
        // and the mark (3 bytes) replaces what no longer fits.
        assert_eq!(bounded_text("ab cd e", 5), "ab…");
        assert_eq!(bounded_text("ab cd", 5), "ab cd");
        // No room for even the mark: nothing rather than more than the limit.
        assert_eq!(bounded_text("abcdef", 2), "");
    }

    #[test]
    fn excerpt_is_bounded_at_char_boundaries() {
        for prefix in 0..4 {
            let body = format!("{}{}", "x".repeat(prefix), "é€😀".repeat(400));
            let text = excerpt(body.as_bytes(), "");
            assert!(text.len() <= EXCERPT_LIMIT, "{} bytes", text.len());
            assert!(text.ends_with('…'));
            assert!(text.len() > EXCERPT_LIMIT - 8);
        }
        let short = excerpt(b"Bad Gateway", "");
        assert_eq!(short, "Bad Gateway");
    }

    #[test]
    fn excerpt_of_invalid_utf8_is_bounded() {
        let body = vec![0xff_u8; 5000];
        let text = excerpt(&body, "");
        assert!(text.len() <= EXCERPT_LIMIT);
        assert!(text.starts_with('\u{fffd}'));
    }

    #[test]
    fn excerpt_applies_redaction_before_cutting() {
        let body = format!("{}SECRETKEY rest", "a".repeat(505));
        let text = excerpt(body.as_bytes(), "SECRETKEY");
        assert!(!text.contains("SECRET"));
        assert!(text.len() <= EXCERPT_LIMIT);
    }

    #[test]
    fn excerpt_copies_a_window_and_redacts_across_its_end() {
        let secret = "SECRETKEY-0123456789";
        // Whitespace collapses, so the excerpt reaches the end of the window.
        for start in EXCERPT_WINDOW - 30..EXCERPT_WINDOW + 30 {
            let mut body = " ".repeat(start).into_bytes();
            body.extend_from_slice(secret.as_bytes());
            body.extend_from_slice(&vec![b'x'; 100_000]);
            let text = excerpt(&body, secret);
            for len in 4..=secret.len() {
                assert!(!text.contains(&secret[..len]), "start {start}: {text}");
            }
            assert!(text.len() <= EXCERPT_LIMIT);
        }
        // The window ends with the secret's first 4 bytes: only those are dropped.
        let mut body = " "
            .repeat(EXCERPT_WINDOW + secret.len() - 4 - 5)
            .into_bytes();
        body.extend_from_slice(b"hello");
        body.extend_from_slice(secret.as_bytes());
        body.extend_from_slice(b" tail");
        assert_eq!(excerpt(&body, secret), "hello");
        // A short body that ends like the secret starts was not cut: kept whole.
        assert_eq!(excerpt(b"key: SECR", secret), "key: SECR");
        let mut body = " ".repeat(EXCERPT_WINDOW).into_bytes();
        body.extend_from_slice(b"SECRETKEY-0123456789 tail");
        assert_eq!(
            excerpt(&body, secret),
            "<redacted>",
            "the window ends with the secret"
        );
    }
}
