//! Checks uploaded images and image URLs, and reads the `FACE-MOCK:` tag that
//! tells the emulator which faces an image shows.

use super::features::fnv1a;
use crate::error::ApiError;

/// The most faces one detection returns (the spec says so only in prose).
pub(crate) const MAX_FACES: usize = 100;

const MARKER: &[u8] = b"FACE-MOCK:";

/// What an image (or an image URL) shows, as far as the emulator is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageContent {
    /// A hash of the whole image (or URL), which seeds everything not tagged.
    pub hash: u64,
    /// How many faces the image shows (1 unless tagged).
    pub faces: usize,
    /// The person shown by each face, by position; untagged faces are unique to the image.
    pub persons: Vec<String>,
}

impl ImageContent {
    /// The identity that seeds the features of face `index`.
    pub fn identity(&self, index: usize) -> String {
        match self.persons.get(index) {
            Some(person) if !person.is_empty() => format!("person:{person}"),
            _ => format!("image:{:016x}:{index}", self.hash),
        }
    }
}

/// A minimal JPEG (start and end markers around comment segments) that carries `tag`, such
/// as `FACE-MOCK:person=alice`, padded past the service's 1 KB minimum: an upload the
/// emulator accepts, showing what the tag says. A tag longer than 65,533 bytes does not fit
/// in one comment segment and is cut there.
pub fn tagged_jpeg(tag: &str) -> Vec<u8> {
    let tag = &tag.as_bytes()[..tag.len().min(usize::from(u16::MAX) - 2)];
    let mut bytes = vec![0xFF, 0xD8];
    for comment in [tag, &[b' '; 1200]] {
        let length = u16::try_from(comment.len() + 2).unwrap_or(u16::MAX);
        bytes.extend([0xFF, 0xFE]);
        bytes.extend(length.to_be_bytes());
        bytes.extend(comment);
    }
    bytes.extend([0xFF, 0xD9]);
    bytes
}

/// Checks the format of uploaded bytes (their size was checked against the
/// spec before) and reads what they show.
pub(crate) fn read_upload(bytes: &[u8]) -> Result<ImageContent, ApiError> {
    if image_format(bytes).is_none() {
        return Err(ApiError::invalid_image(
            "Decoding error, image format unsupported.",
        ));
    }
    Ok(read_content(bytes))
}

/// Checks an image URL and reads what it shows, from the URL text alone (no download).
pub(crate) fn read_url(url: &str) -> Result<ImageContent, ApiError> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    let valid = host.is_some_and(|host| !host.is_empty())
        && url.len() <= 2048
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !valid {
        return Err(ApiError::invalid_url());
    }
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(url).collect();
    Ok(read_content(&decoded))
}

/// The format of an image by its magic bytes: JPEG, PNG, GIF or BMP.
pub(crate) fn image_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.starts_with(b"BM") {
        Some("bmp")
    } else {
        None
    }
}

/// Hashes the bytes and reads the first `FACE-MOCK:key=value;...` tag in them.
pub(crate) fn read_content(bytes: &[u8]) -> ImageContent {
    let mut content = ImageContent {
        hash: fnv1a(bytes),
        faces: 1,
        persons: Vec::new(),
    };
    let Some(start) = bytes
        .windows(MARKER.len())
        .position(|window| window == MARKER)
    else {
        return content;
    };
    let tag: String = bytes[start + MARKER.len()..]
        .iter()
        .take_while(|&&byte| byte.is_ascii_alphanumeric() || b"_=;,.-@".contains(&byte))
        .map(|&byte| byte as char)
        .collect();
    let mut faces = None;
    for pair in tag.split(';') {
        match pair.split_once('=') {
            Some(("faces", count)) => faces = count.parse::<usize>().ok(),
            Some(("person" | "persons", names)) => {
                content.persons = names
                    .split(',')
                    .map(str::to_string)
                    .take(MAX_FACES)
                    .collect();
            }
            _ => {}
        }
    }
    content.faces = faces.unwrap_or(content.persons.len().max(1)).min(MAX_FACES);
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tagged_jpeg_is_an_accepted_upload_showing_its_tag() {
        let bytes = tagged_jpeg("FACE-MOCK:person=alice,bob;faces=2");
        assert!(bytes.len() > 1024, "past the 1 KB minimum");
        let content = read_upload(&bytes).expect("a JPEG the emulator accepts");
        assert_eq!(content.faces, 2);
        assert_eq!(content.persons, vec!["alice", "bob"]);
        let long = "x".repeat(70_000);
        assert!(
            read_upload(&tagged_jpeg(&long)).is_ok(),
            "a long tag is cut, not broken"
        );
    }

    #[test]
    fn tags_set_faces_and_persons() {
        let content =
            read_content(b"\xFF\xD8\xFF junk FACE-MOCK:person=alice,bob;faces=3\x00 more");
        assert_eq!(content.faces, 3);
        assert_eq!(content.persons, vec!["alice", "bob"]);
        assert_eq!(content.identity(0), "person:alice");
        assert!(content.identity(2).starts_with("image:"));
        assert_eq!(read_content(b"FACE-MOCK:faces=0").faces, 0);
        assert_eq!(read_content(b"no tag").faces, 1);
        assert_eq!(read_content(b"FACE-MOCK:faces=100000").faces, MAX_FACES);
    }

    #[test]
    fn uploads_are_checked_for_format() {
        let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        png.resize(2048, 0);
        assert!(read_upload(&png).is_ok());
        assert_eq!(read_upload(&[0u8; 2048]).unwrap_err().code, "InvalidImage");
    }

    #[test]
    fn urls_are_checked_and_read() {
        assert_eq!(read_url("ftp://x/y.jpg").unwrap_err().code, "InvalidURL");
        assert_eq!(read_url("https:///y.jpg").unwrap_err().code, "InvalidURL");
        let content =
            read_url("https://example.com/a.jpg?FACE-MOCK:person%3Dalice%3Bfaces%3D2").unwrap();
        assert_eq!(
            (content.faces, content.persons.clone()),
            (2, vec!["alice".to_string()])
        );
    }
}
