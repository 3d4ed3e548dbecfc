//! One renderer per format. Each lays out the same [`Pakket`]; none decides what is said.

mod afbeelding;
mod archief;
pub mod docx;
pub mod html;
mod lettertypen;
pub mod odt;
mod opmaak;
pub mod pdf;
#[cfg(test)]
mod proef;
pub mod tekst;
pub mod xlsx;
mod xml;

use crate::model::Pakket;

/// The formats a package can be rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Formaat {
    /// PDF/A-2a and PDF/UA-1, through typst.
    Pdf,
    /// OpenDocument Text.
    Odt,
    /// Office Open XML.
    Docx,
    /// One accessible HTML page, charts inline.
    Html,
}

impl Formaat {
    pub const ALL: [Self; 4] = [Self::Pdf, Self::Odt, Self::Docx, Self::Html];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Odt => "odt",
            Self::Docx => "docx",
            Self::Html => "html",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Html => "text/html; charset=utf-8",
        }
    }

    /// What users see on buttons and in lists.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF (PDF/A en PDF/UA)",
            Self::Odt => "ODT (OpenDocument)",
            Self::Docx => "DOCX (Word)",
            Self::Html => "HTML (webpagina)",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RenderFout {
    /// typst refused the document; the messages are typst's own.
    #[error("PDF kon niet worden gemaakt: {0}")]
    Pdf(String),
    #[error("{0} kon niet worden geschreven: {1}")]
    Bestand(&'static str, String),
}

/// The package as a file of the given format.
pub fn render(pakket: &Pakket, formaat: Formaat) -> Result<Vec<u8>, RenderFout> {
    match formaat {
        Formaat::Pdf => pdf::render(pakket),
        Formaat::Odt => odt::render(pakket),
        Formaat::Docx => docx::render(pakket),
        Formaat::Html => Ok(html::render(pakket).into_bytes()),
    }
}
