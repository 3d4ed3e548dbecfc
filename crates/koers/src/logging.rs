//! Where the log goes: standard error, with the lines of busy moments written together.
//!
//! `serve` logs one line per request. Written one by one, every line is a system call of its
//! own, which under load took about a tenth of the server's CPU time (bench/README.md). So lines
//! at `info` and below wait in memory and are written together, at most [`PERIOD`] later or as
//! soon as [`LIMIT`] bytes wait. A warning or an error is written at once, after the lines that
//! came before it, so nothing that needs attention waits and the order stays as it happened.
//! The cost: when the process is killed outright, the request lines of its last [`PERIOD`] can be
//! lost. `main` writes what waits before the process ends.

use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;
use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

/// How long a line may wait before it is written.
pub const PERIOD: Duration = Duration::from_millis(200);

/// How many bytes may wait before they are written without waiting for the period.
pub const LIMIT: usize = 64 * 1024;

static WAITING: Mutex<Waiting> = Mutex::new(Waiting { bytes: Vec::new() });

/// Log lines not yet written.
struct Waiting {
    bytes: Vec<u8>,
}

impl Waiting {
    /// Adds one line; writes everything waiting to `out` when the line is urgent or too much
    /// waits.
    fn add(&mut self, line: &[u8], urgent: bool, out: &mut impl Write) {
        self.bytes.extend_from_slice(line);
        if urgent || self.bytes.len() >= LIMIT {
            self.write_to(out);
        }
    }

    fn write_to(&mut self, out: &mut impl Write) {
        if !self.bytes.is_empty() {
            // Nowhere to report a failed write of the log itself; the lines are dropped.
            let _ = out.write_all(&self.bytes);
            self.bytes.clear();
        }
    }
}

fn waiting() -> std::sync::MutexGuard<'static, Waiting> {
    WAITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Writes every line that waits; `main` calls it before the process ends.
pub fn flush() {
    waiting().write_to(&mut std::io::stderr());
}

/// The log's writer for `tracing_subscriber`; starts the thread that writes waiting lines
/// every [`PERIOD`].
pub fn stderr() -> Log {
    let started = std::thread::Builder::new()
        .name("koers-log".into())
        .spawn(|| {
            loop {
                std::thread::sleep(PERIOD);
                flush();
            }
        });
    Log {
        // Without the thread every line is written at once, as if urgent.
        gathered: started.is_ok(),
    }
}

#[derive(Clone, Copy)]
pub struct Log {
    gathered: bool,
}

/// One log line on its way in.
pub struct Line {
    urgent: bool,
}

impl Write for Line {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        waiting().add(buf, self.urgent, &mut std::io::stderr());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Log {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line { urgent: true }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Line {
        // tracing orders levels by verbosity: WARN and ERROR are the ones at or below WARN.
        Line {
            urgent: !self.gathered || *meta.level() <= Level::WARN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wait_until_one_is_urgent_and_keep_their_order() {
        let mut waiting = Waiting { bytes: Vec::new() };
        let mut out = Vec::new();
        waiting.add(b"eerste\n", false, &mut out);
        waiting.add(b"tweede\n", false, &mut out);
        assert!(out.is_empty(), "info lines wait");
        waiting.add(b"waarschuwing\n", true, &mut out);
        assert_eq!(out, b"eerste\ntweede\nwaarschuwing\n");
        waiting.add(b"derde\n", false, &mut out);
        waiting.write_to(&mut out);
        assert_eq!(out, b"eerste\ntweede\nwaarschuwing\nderde\n");
    }

    #[test]
    fn too_much_waiting_is_written_without_waiting_for_the_period() {
        let mut waiting = Waiting { bytes: Vec::new() };
        let mut out = Vec::new();
        let line = [b'x'; 1000];
        for _ in 0..LIMIT / line.len() {
            waiting.add(&line, false, &mut out);
        }
        assert!(out.is_empty());
        waiting.add(&line, false, &mut out);
        assert_eq!(out.len(), LIMIT / line.len() * line.len() + line.len());
        assert!(waiting.bytes.is_empty());
    }
}
