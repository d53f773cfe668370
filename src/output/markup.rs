//! Escaping for the document formats of the reports: XML/HTML (the JUnit
//! findings file and the HTML report) and Markdown table cells (the
//! Markdown report). The terminal's own escaping is [`super::terminal`].

/// Text made safe for XML 1.0 attribute values and element content (also
/// HTML): markup characters become entities, characters XML cannot carry
/// (C0 controls other than tab, newline, carriage return) are dropped.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Text as one cell of a GitHub-flavoured Markdown table: it cannot break
/// the table (`|`, newlines) or add markup (`<`, `>`, backticks, emphasis,
/// links); other control characters are dropped.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push_str("\\`"),
            '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\td"),
            "a&lt;b&gt;&amp;&quot;c&#39;\td"
        );
    }

    #[test]
    fn cells_cannot_break_the_table_or_add_markup() {
        assert_eq!(
            markdown_cell("a|b\nc<script>`x`*"),
            "a\\|b c&lt;script&gt;\\`x\\`\\*"
        );
    }
}
