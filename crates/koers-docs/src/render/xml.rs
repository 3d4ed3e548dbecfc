//! Writing XML for the office formats (ODT and DOCX) without ever letting a user's text become
//! markup.
//!
//! Element and attribute names are `&'static str`, so only this crate's own code can name them;
//! every value (text content and attribute values) goes through [`escape_into`]. A part is
//! built with nested closures ([`Xml::el`]), so every element that is opened is closed.

/// An XML document being written.
pub(crate) struct Xml {
    uit: String,
}

impl Xml {
    /// A new document, starting with the XML declaration.
    pub(crate) fn new() -> Self {
        Self {
            uit: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"),
        }
    }

    /// A piece of XML without a declaration, to be placed in a document with [`Xml::invoegen`]:
    /// for parts whose earlier sections (such as automatic styles) are only known once the
    /// later ones are written.
    pub(crate) fn fragment() -> Self {
        Self { uit: String::new() }
    }

    /// Places a fragment written with this same writer, so it is escaped and balanced.
    pub(crate) fn invoegen(&mut self, fragment: Xml) -> &mut Self {
        self.uit.push_str(&fragment.uit);
        self
    }

    /// An element with attributes and content written by `inhoud`.
    pub(crate) fn el(
        &mut self,
        naam: &'static str,
        attributen: &[(&'static str, &str)],
        inhoud: impl FnOnce(&mut Self),
    ) -> &mut Self {
        self.begin(naam, attributen);
        self.uit.push('>');
        inhoud(self);
        self.uit.push_str("</");
        self.uit.push_str(naam);
        self.uit.push('>');
        self
    }

    /// An element that holds only text.
    pub(crate) fn el_tekst(
        &mut self,
        naam: &'static str,
        attributen: &[(&'static str, &str)],
        tekst: &str,
    ) -> &mut Self {
        self.el(naam, attributen, |x| {
            x.tekst(tekst);
        })
    }

    /// An empty element.
    pub(crate) fn leeg(
        &mut self,
        naam: &'static str,
        attributen: &[(&'static str, &str)],
    ) -> &mut Self {
        self.begin(naam, attributen);
        self.uit.push_str("/>");
        self
    }

    /// Text content, escaped.
    pub(crate) fn tekst(&mut self, tekst: &str) -> &mut Self {
        escape_into(&mut self.uit, tekst);
        self
    }

    pub(crate) fn klaar(self) -> String {
        self.uit
    }

    fn begin(&mut self, naam: &'static str, attributen: &[(&'static str, &str)]) {
        self.uit.push('<');
        self.uit.push_str(naam);
        for (sleutel, waarde) in attributen {
            self.uit.push(' ');
            self.uit.push_str(sleutel);
            self.uit.push_str("=\"");
            escape_into(&mut self.uit, waarde);
            self.uit.push('"');
        }
    }
}

/// Appends `tekst` escaped for XML text and attribute values alike: the five special characters
/// become entities, and characters XML 1.0 does not allow at all (most C0 controls, U+FFFE and
/// U+FFFF) are dropped, because no escape can carry them and a parser would refuse the file.
pub(crate) fn escape_into(uit: &mut String, tekst: &str) {
    for c in tekst.chars() {
        match c {
            '&' => uit.push_str("&amp;"),
            '<' => uit.push_str("&lt;"),
            '>' => uit.push_str("&gt;"),
            '"' => uit.push_str("&quot;"),
            '\'' => uit.push_str("&apos;"),
            c if toegestaan(c) => uit.push(c),
            _ => {}
        }
    }
}

/// The characters XML 1.0 allows in a document (its `Char` production). Rust strings hold no
/// surrogates, so only the controls and the two non-characters remain to refuse.
fn toegestaan(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// The text escaped, for tests and for the rare caller that needs a string.
#[cfg(test)]
fn escape(tekst: &str) -> String {
    let mut uit = String::new();
    escape_into(&mut uit, tekst);
    uit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_special_characters() {
        assert_eq!(
            escape(r#"<b>&"'</b> # * $ \"#),
            "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt; # * $ \\"
        );
    }

    #[test]
    fn drops_what_xml_cannot_hold_and_keeps_the_rest() {
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}d"), "abcd");
        assert_eq!(escape("tab\there\nnew é ✓ 𝄞"), "tab\there\nnew é ✓ 𝄞");
    }

    #[test]
    fn attribute_values_and_text_are_escaped_and_elements_closed() {
        let mut x = Xml::new();
        x.el("a", &[("t", "\"<x>\"")], |x| {
            x.leeg("b", &[]).el_tekst("c", &[], "1 < 2 & 3");
        });
        assert!(
            x.klaar()
                .ends_with(r#"<a t="&quot;&lt;x&gt;&quot;"><b/><c>1 &lt; 2 &amp; 3</c></a>"#)
        );
    }
}
