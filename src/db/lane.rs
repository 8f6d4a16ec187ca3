//! The writers' lane for SQLite: one writer at a time, in the order they came. SQLite admits
//! one writer; left to itself, every other writer sleeps and retries in its busy handler, and
//! whoever happens to wake when the lock is free goes next — under 16 writers a few wait for
//! a second while most take milliseconds. Here a writer takes a ticket before `BEGIN
//! IMMEDIATE` and waits, without spinning, until its number is served, so the wait is the
//! queue ahead of it and the p99 of a write stays near its p50.
//!
//! One lane per process: a server opens one database. (Tests open many, and their writers
//! share the lane: slower by a little, never wrong.) `XIAOAN_SQLITE_WRITER_LANE=0` turns it
//! off, for benchmarks that compare.

use std::sync::{Condvar, Mutex, OnceLock};

/// A ticket lock: FIFO by construction.
pub struct Lane {
    state: Mutex<Tickets>,
    turn: Condvar,
}

#[derive(Default)]
struct Tickets {
    next: u64,
    serving: u64,
}

/// The holder's place in the lane; the next ticket is served when it is dropped.
pub struct Turn<'a> {
    lane: &'a Lane,
}

impl Lane {
    pub const fn new() -> Lane {
        Lane {
            state: Mutex::new(Tickets {
                next: 0,
                serving: 0,
            }),
            turn: Condvar::new(),
        }
    }

    /// Waits for this caller's turn. A poisoned lock (a writer panicked holding it) is taken
    /// over: the tickets are plain counters and stay consistent.
    pub fn enter(&self) -> Turn<'_> {
        let mut t = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mine = t.next;
        t.next += 1;
        while t.serving != mine {
            t = self.turn.wait(t).unwrap_or_else(|p| p.into_inner());
        }
        Turn { lane: self }
    }
}

impl Default for Lane {
    fn default() -> Lane {
        Lane::new()
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut t = self.lane.state.lock().unwrap_or_else(|p| p.into_inner());
        t.serving += 1;
        drop(t);
        self.lane.turn.notify_all();
    }
}

static WRITERS: Lane = Lane::new();

/// Whether the lane is on (it is unless the environment turns it off).
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var("XIAOAN_SQLITE_WRITER_LANE").map_or(true, |v| v != "0"))
}

/// This SQLite writer's turn, or None when the lane is off.
pub fn writer_turn() -> Option<Turn<'static>> {
    enabled().then(|| WRITERS.enter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn writers_are_served_in_the_order_they_came() {
        let lane = Arc::new(Lane::new());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = lane.enter();
        let mut handles = Vec::new();
        for n in 0..8 {
            let (theirs, order) = (lane.clone(), order.clone());
            handles.push(std::thread::spawn(move || {
                let _turn = theirs.enter();
                order.lock().unwrap_or_else(|p| p.into_inner()).push(n);
            }));
            // Each takes its ticket before the next starts.
            while lane.state.lock().map(|t| t.next).unwrap_or(0) < n + 2 {
                std::thread::yield_now();
            }
        }
        drop(first);
        for h in handles {
            let _ = h.join();
        }
        let order = order.lock().map(|o| o.clone()).unwrap_or_default();
        assert_eq!(order, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn a_turn_given_back_serves_the_next_even_after_a_panic() {
        let lane = Arc::new(Lane::new());
        let l = lane.clone();
        let _ = std::thread::spawn(move || {
            let _turn = l.enter();
            panic!("a writer fails holding its turn");
        })
        .join();
        let again = lane.enter();
        drop(again);
        assert_eq!(lane.state.lock().map(|t| t.serving).unwrap_or(0), 2);
    }
}
