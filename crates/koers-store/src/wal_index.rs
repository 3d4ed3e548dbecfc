//! Whether a SQLite database changed, without a query: the header of its WAL index.
//!
//! In WAL mode SQLite keeps a shared index of the log in the file `<database>-shm`. Its first
//! 96 bytes are two copies of a 48-byte header that every commit rewrites, whichever process
//! makes it: among other fields a counter raised with each transaction (`iChange`), the number
//! of frames in the log and the checksum of the last one (the format is documented in
//! <https://www.sqlite.org/walformat.html>, "The WAL-Index Header"). So while the header reads
//! the same, nothing was committed; reading it is one `pread`, where a query on SQLite is a
//! hand-off to the connection's worker thread and back.
//!
//! A writer writes the second copy, then the first. A read that finds the two copies unequal
//! came during a commit and gives no mark, so it is never taken for "unchanged".
//!
//! The counter starts again when the index is rebuilt, which SQLite does only after the last
//! connection to the database closed. The store therefore keeps a connection of its own open
//! for as long as it lives, so that a header seen earlier cannot come back after changes.

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The bytes of one header copy.
const HEADER: usize = 48;
/// Where the header's `isInit` flag is: 1 once the index has been built.
const IS_INIT: usize = 12;

/// The header as read at one moment; equal marks mean no commit in between.
pub(crate) type ChangeMark = [u8; HEADER];

#[derive(Debug)]
pub(crate) struct WalIndex {
    shm: File,
    /// Held open, never used, until [`WalIndex::close`]: see the module documentation. (In a
    /// mutex so that the index can be shared between threads and closed.)
    open: Mutex<Option<SqliteConnection>>,
    closed: AtomicBool,
}

impl WalIndex {
    /// The index of the database `options` open, once a connection has put it in WAL mode;
    /// `None` for a database in memory or in another journal mode, which then goes without.
    pub(crate) async fn open(options: &SqliteConnectOptions) -> Option<Self> {
        let connection = options.connect().await.ok()?;
        let mut shm = PathBuf::from(options.get_filename());
        shm.as_mut_os_string().push("-shm");
        match File::open(&shm) {
            Ok(shm) => Some(Self {
                shm,
                open: Mutex::new(Some(connection)),
                closed: AtomicBool::new(false),
            }),
            Err(_) => {
                let _ = connection.close().await;
                None
            }
        }
    }

    /// The header now, or `None` while a commit is writing it, when it cannot be read, or
    /// once the index is closed.
    pub(crate) fn mark(&self) -> Option<ChangeMark> {
        if self.closed.load(Ordering::Acquire) {
            return None;
        }
        let mut both = [0u8; 2 * HEADER];
        self.shm.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(HEADER);
        if first != second || first[IS_INIT] != 1 {
            return None;
        }
        first.try_into().ok()
    }

    /// Lets the database go: closes the connection held open, and from then on gives no mark,
    /// since a header seen earlier could come back.
    pub(crate) async fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let connection = self.connection().take();
        if let Some(connection) = connection {
            let _ = connection.close().await;
        }
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Option<SqliteConnection>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
