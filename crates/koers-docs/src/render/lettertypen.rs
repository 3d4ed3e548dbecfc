//! The fonts Koers ships (Noto Sans, SIL Open Font License; see `fonts/README.md`), compiled
//! into the binary so that a document looks the same on any server, with or without fonts.

/// Regular, bold and italic Noto Sans, then Noto Sans Math, which typst falls back to for the
/// signs Noto Sans lacks (≥, ≠, →).
pub(crate) const BESTANDEN: [&[u8]; 4] = [
    include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    include_bytes!("../../fonts/NotoSansMath-Regular.ttf"),
];

/// The family the charts and the documents are set in.
pub(crate) const FAMILIE: &str = "Noto Sans";
