//! Measuring memory from inside a process: a counting global allocator (bytes
//! allocated and held, split by thread) and the kernel's resident-set figures.
//!
//! A binary that measures declares the allocator itself, once:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: face_benches::memory::Counting = face_benches::memory::Counting;
//! ```
//!
//! The counters are process-wide; measure one thing at a time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// Allocations at least this large are counted apart: a copy of a large body would be one.
pub const BIG: usize = 1024 * 1024;

thread_local! {
    /// Whether this thread is the client's.
    static CLIENT: Cell<bool> = const { Cell::new(false) };
}

/// Per side (0: the client's thread, 1: every other thread): allocations,
/// bytes, big allocations, the largest allocation.
static ALLOCATIONS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];
static BYTES: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];
static BIG_ALLOCATIONS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];
static LARGEST: [AtomicUsize; 2] = [AtomicUsize::new(0), AtomicUsize::new(0)];
/// Bytes held in the whole process, and their peak since the last [`reset`].
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting what passes through it.
pub struct Counting;

impl Counting {
    fn record_allocation(size: usize) {
        let side = usize::from(!CLIENT.try_with(Cell::get).unwrap_or(false));
        ALLOCATIONS[side].fetch_add(1, Relaxed);
        BYTES[side].fetch_add(size as u64, Relaxed);
        if size >= BIG {
            BIG_ALLOCATIONS[side].fetch_add(1, Relaxed);
        }
        LARGEST[side].fetch_max(size, Relaxed);
    }

    fn grow(by: usize) {
        let live = LIVE.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(live, Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` with the caller's arguments;
// the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            Self::record_allocation(layout.size());
            Self::grow(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            Self::record_allocation(layout.size());
            Self::grow(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            // Counted as a new block, then the old one freed: a moving
            // reallocation holds both for a moment.
            Self::record_allocation(new_size);
            Self::grow(new_size);
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        moved
    }
}

/// Whether this process counts its allocations, that is, whether [`Counting`]
/// is its global allocator (anything at all is held once `main` runs).
pub fn counting() -> bool {
    LIVE.load(Relaxed) > 0
}

/// Marks the calling thread as the client's: its allocations are counted
/// apart from every other thread's.
pub fn mark_client_thread() {
    CLIENT.with(|client| client.set(true));
}

/// What one side allocated since the last [`reset`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Allocated {
    /// Allocations, reallocations included.
    pub allocations: u64,
    /// Bytes asked for, in all.
    pub bytes: u64,
    /// Allocations of at least [`BIG`] bytes.
    pub big: u64,
    /// The largest allocation.
    pub largest: usize,
}

/// The client's thread, or every other thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The thread [`mark_client_thread`] was called on.
    Client,
    /// Every other thread.
    Others,
}

/// Starts a measurement: zeroes the per-side counters and sets the peak to
/// what is held now, which it returns (the baseline for [`peak_above`]).
pub fn reset() -> usize {
    for side in 0..2 {
        ALLOCATIONS[side].store(0, Relaxed);
        BYTES[side].store(0, Relaxed);
        BIG_ALLOCATIONS[side].store(0, Relaxed);
        LARGEST[side].store(0, Relaxed);
    }
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    live
}

/// The most bytes held at once since the last [`reset`], above `baseline`.
pub fn peak_above(baseline: usize) -> usize {
    PEAK.load(Relaxed).saturating_sub(baseline)
}

/// What `side` allocated since the last [`reset`].
pub fn allocated(side: Side) -> Allocated {
    let index = match side {
        Side::Client => 0,
        Side::Others => 1,
    };
    Allocated {
        allocations: ALLOCATIONS[index].load(Relaxed),
        bytes: BYTES[index].load(Relaxed),
        big: BIG_ALLOCATIONS[index].load(Relaxed),
        largest: LARGEST[index].load(Relaxed),
    }
}

/// The process's resident set as the kernel counts it, in bytes: now, and the
/// most since the process started or since [`reset_resident_peak`].
/// `None` where `/proc/self/status` is not there (outside Linux).
pub fn resident() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kib| kib * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Sets the kernel's resident peak back to the resident set now (Linux 4.0
/// and later); returns whether it could.
pub fn reset_resident_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resident_set_is_read_where_the_kernel_gives_it() {
        if let Some((now, peak)) = resident() {
            assert!(now > 0);
            assert!(peak >= now);
        } else {
            assert!(!std::path::Path::new("/proc/self/status").exists());
        }
    }
}
