//! The zip container both office formats are: ODT and DOCX are a zip of XML parts and media.

use super::RenderFout;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A zip being written for one format (`"odt"` or `"docx"`, named in errors).
pub(crate) struct Archief {
    formaat: &'static str,
    zip: ZipWriter<Cursor<Vec<u8>>>,
}

impl Archief {
    pub(crate) fn new(formaat: &'static str) -> Self {
        Self {
            formaat,
            zip: ZipWriter::new(Cursor::new(Vec::new())),
        }
    }

    /// A part stored as is. ODF wants its `mimetype` part first and uncompressed, so that a
    /// reader finds the media type at a fixed offset; PNG is compressed already.
    pub(crate) fn opgeslagen(&mut self, naam: &str, bytes: &[u8]) -> Result<(), RenderFout> {
        self.deel(naam, bytes, CompressionMethod::Stored)
    }

    pub(crate) fn ingepakt(&mut self, naam: &str, bytes: &[u8]) -> Result<(), RenderFout> {
        self.deel(naam, bytes, CompressionMethod::Deflated)
    }

    pub(crate) fn klaar(self) -> Result<Vec<u8>, RenderFout> {
        let formaat = self.formaat;
        self.zip
            .finish()
            .map(Cursor::into_inner)
            .map_err(|e| RenderFout::Bestand(formaat, e.to_string()))
    }

    fn deel(
        &mut self,
        naam: &str,
        bytes: &[u8],
        methode: CompressionMethod,
    ) -> Result<(), RenderFout> {
        // A fixed date keeps the file the same for the same package, whatever day it is made.
        let opties = SimpleFileOptions::default()
            .compression_method(methode)
            .last_modified_time(DateTime::default());
        let fout = |e: &dyn std::fmt::Display| RenderFout::Bestand(self.formaat, e.to_string());
        self.zip.start_file(naam, opties).map_err(|e| fout(&e))?;
        self.zip.write_all(bytes).map_err(|e| fout(&e))
    }
}
