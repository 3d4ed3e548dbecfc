//! `koers leesbaarheid FILE`: the readability check of `koers_domain::readability` on a text
//! file or standard input, printed as text or JSON.

use anyhow::Context;
use koers_domain::readability::{Analysis, LONG_SENTENCE, analyse};
use std::io::Read;
use std::path::Path;

/// Reads the text (`-` is standard input) and prints its analysis.
pub fn run(path: &Path, json: bool) -> anyhow::Result<()> {
    let text = read(path)?;
    let analysis = analyse(&text);
    if json {
        println!("{}", serde_json::to_string_pretty(&analysis)?);
    } else {
        print!("{}", report(&analysis));
    }
    Ok(())
}

fn read(path: &Path) -> anyhow::Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("kan de tekst van standaardinvoer niet lezen (is het UTF-8?)")?;
        return Ok(text);
    }
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!("het bestand {shown} bestaat niet"),
        std::io::ErrorKind::PermissionDenied => {
            anyhow::anyhow!("geen toegang tot het bestand {shown}")
        }
        std::io::ErrorKind::IsADirectory => anyhow::anyhow!("{shown} is een map, geen bestand"),
        _ => anyhow::anyhow!("kan het bestand {shown} niet lezen: {e}"),
    })?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("het bestand {shown} is geen tekst in UTF-8"))
}

/// The analysis as text for a terminal.
pub fn report(a: &Analysis) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line("Leesbaarheid: een indicatie, geen oordeel.".into());
    line(format!("Zinnen:                {}", a.sentences));
    line(format!("Woorden:               {}", a.words));
    line(format!("Lettergrepen:          {}", a.syllables));
    match (a.score, a.band) {
        (Some(_), Some(band)) => {
            line(format!(
                "Flesch-Douma:          {} ({}, {})",
                a.score_text(),
                band.label(),
                band.range()
            ));
            line(format!(
                "Gemiddelde zinslengte: {} woorden",
                a.average_text()
            ));
        }
        _ => {
            line("Flesch-Douma:          geen score (de tekst heeft geen woorden)".into());
            return out;
        }
    }
    line(String::new());
    line(format!(
        "Lange zinnen (meer dan {LONG_SENTENCE} woorden): {}",
        a.long_sentences.len()
    ));
    for s in &a.long_sentences {
        line(format!("  - ({} woorden) {}", s.words, s.text));
    }
    line(format!("Lijdende vorm (hints): {}", a.passive.len()));
    for p in &a.passive {
        line(format!("  - {}: {}", p.words, p.sentence));
    }
    line(format!("Ambtelijke woorden: {}", a.officialese.len()));
    for o in &a.officialese {
        let times = if o.count > 1 {
            format!(" ({}×)", o.count)
        } else {
            String::new()
        };
        line(format!("  - {}{times} → {}", o.found, o.plain));
    }
    line("Moeilijkste zinnen:".into());
    for s in &a.hardest {
        let mut entry = String::new();
        let _ = write!(entry, "  - {:.1}: {}", s.score, s.text);
        line(entry.replacen('.', ",", 1));
    }
    out
}
