//! The package as plain text: what the snapshot tests compare, and a quick way to read a
//! package in a terminal. Every fact of every format is in it; only layout is missing.

use crate::model::{Blok, Document, Pakket, Tabel};
use std::fmt::Write;

pub fn render(pakket: &Pakket) -> String {
    let mut out = String::new();
    for (i, document) in pakket.documenten.iter().enumerate() {
        if i > 0 {
            out.push_str("\n──────── nieuwe pagina ────────\n\n");
        }
        document_tekst(&mut out, document);
    }
    out
}

fn document_tekst(out: &mut String, document: &Document) {
    if !document.label.is_empty() {
        let _ = writeln!(out, "{}", document.label);
    }
    let _ = writeln!(out, "# {}\n", document.titel);
    for blok in &document.blokken {
        match blok {
            Blok::Kop { niveau, tekst } => {
                let _ = writeln!(out, "{} {tekst}\n", "#".repeat(usize::from(*niveau)));
            }
            Blok::Alinea { tekst } | Blok::PlaatsDatum { tekst } => {
                let _ = writeln!(out, "{tekst}\n");
            }
            Blok::Lijst { genummerd, items } => {
                for (n, item) in items.iter().enumerate() {
                    if *genummerd {
                        let _ = writeln!(out, "{}. {item}", n + 1);
                    } else {
                        let _ = writeln!(out, "- {item}");
                    }
                }
                out.push('\n');
            }
            Blok::Gegevens { paren } => {
                for (label, waarde) in paren {
                    let _ = writeln!(out, "{label}: {waarde}");
                }
                out.push('\n');
            }
            Blok::Tabel(tabel) => tabel_tekst(out, tabel),
            Blok::Grafiek(grafiek) => {
                let _ = writeln!(out, "[Grafiek: {}]", grafiek.titel);
                let _ = writeln!(out, "Tekstalternatief: {}\n", grafiek.tekstalternatief);
                tabel_tekst(out, &grafiek.tabel);
            }
            Blok::Ondertekening(o) => {
                let _ = writeln!(out, "{}\n\n{}\n", o.groet, o.afzender);
                for persoon in &o.ondertekenaars {
                    let _ = writeln!(out, "{}\n{}\n", persoon.naam, persoon.functie);
                }
            }
        }
    }
}

/// A table as pipe-separated rows; a cell's line breaks become spaces.
fn tabel_tekst(out: &mut String, tabel: &Tabel) {
    let _ = writeln!(out, "Tabel: {}", tabel.bijschrift);
    let rij = |cellen: &mut dyn Iterator<Item = &str>| {
        cellen
            .map(|c| c.replace('\n', " "))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let _ = writeln!(
        out,
        "| {} |",
        rij(&mut tabel.kolommen.iter().map(|k| k.kop.as_str()))
    );
    for cellen in tabel.rijen.iter().chain(tabel.totaal.iter()) {
        let _ = writeln!(out, "| {} |", rij(&mut cellen.iter().map(String::as_str)));
    }
    out.push('\n');
}
