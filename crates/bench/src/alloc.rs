//! The allocator chatd runs with (mimalloc), counting live heap bytes while P6 asks it to, so P6
//! can say what a dialog costs in memory without the other bars paying for a shared counter.

use mimalloc::MiMalloc as System;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

pub struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static ON: AtomicBool = AtomicBool::new(false);

/// Count or stop counting. P6 takes differences of `live()` while counting is on: the difference
/// is what was allocated minus what was freed in between, whenever the freed blocks were made.
pub fn count(on: bool) {
    ON.store(on, Ordering::SeqCst);
}

static PEAK: AtomicIsize = AtomicIsize::new(0);

fn add(n: usize) {
    if ON.load(Ordering::Relaxed) {
        let now = LIVE.fetch_add(n as isize, Ordering::Relaxed) + n as isize;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

/// The most `live()` has been.
pub fn peak() -> isize {
    PEAK.load(Ordering::Relaxed)
}

fn sub(n: usize) {
    if ON.load(Ordering::Relaxed) {
        LIVE.fetch_sub(n as isize, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size);
        sub(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Heap bytes allocated minus bytes freed while counting was on.
pub fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Heap growth between `before` and now (counting on throughout).
pub fn grown_since(before: isize) -> usize {
    (live() - before).max(0) as usize
}
