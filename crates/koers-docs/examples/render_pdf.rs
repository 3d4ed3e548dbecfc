//! Renders the demo's 2024 council package (`tests/fixtures/pakket-demo-2024.json`, the input
//! the app gathers from the demo database) to PDF, N times, and prints how long each took.
//! This is typst's layout and export without the database and the app around it, to profile
//! with perf or heaptrack (see bench/README.md):
//!
//! ```sh
//! cargo build --release -p koers-docs --example render_pdf
//! perf record -g target/release/examples/render_pdf 5
//! target/release/examples/render_pdf 1 /tmp/pakket.pdf
//! ```

use koers_docs::invoer::PakketInvoer;
use koers_docs::{bouw, render};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let keer: usize = args.next().map_or(Ok(1), |n| n.parse())?;
    let uit = args.next();

    let invoer: PakketInvoer =
        serde_json::from_str(include_str!("../tests/fixtures/pakket-demo-2024.json"))?;
    let pakket = bouw::pakket(&invoer)?;
    for _ in 0..keer {
        let begin = Instant::now();
        let pdf = render::pdf::render(&pakket)?;
        eprintln!(
            "{:.1} ms, {} bytes",
            begin.elapsed().as_secs_f64() * 1e3,
            pdf.len()
        );
        if let Some(uit) = &uit {
            std::fs::write(uit, &pdf)?;
        }
    }
    Ok(())
}
