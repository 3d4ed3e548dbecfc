//! Files that users open in a spreadsheet or save to disk: CSV the way Dutch Excel reads it,
//! and file names that are safe in a `Content-Disposition` header.

/// A cell that starts with one of these is read as a formula by Excel and LibreOffice.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text that a spreadsheet shows as typed: a cell that would start a formula gets a leading
/// apostrophe, as OWASP advises against CSV injection. Other text is left alone.
pub fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// CSV for Dutch Excel: UTF-8 with a byte order mark, `;` between cells, and every cell
/// neutralised with [`neutralise_formula`].
pub fn dutch_csv<R>(headers: &[&str], rows: R) -> anyhow::Result<Vec<u8>>
where
    R: IntoIterator<Item = Vec<String>>,
{
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        writer.write_record(headers)?;
        for row in rows {
            writer.write_record(row.iter().map(|cell| neutralise_formula(cell)))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// A file name made of letters, digits, `-`, `_` and `.` only, so that it needs no quoting or
/// escaping in a header and cannot name a path.
pub fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for formula in ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise_formula(formula), format!("'{formula}"));
        }
        assert_eq!(neutralise_formula("Jan = Piet"), "Jan = Piet");
        assert_eq!(neutralise_formula(""), "");
        let csv = dutch_csv(&["naam"], [vec!["=HYPERLINK(\"x\")".to_string()]]).unwrap();
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert_eq!(text, "naam\n\"'=HYPERLINK(\"\"x\"\")\"\n");
    }

    #[test]
    fn file_names_are_safe_in_headers() {
        assert_eq!(
            safe_file_name("audit-GM0400\"; x.csv"),
            "audit-GM0400___x.csv"
        );
        assert_eq!(safe_file_name("a/../b"), "a_.._b");
    }
}
