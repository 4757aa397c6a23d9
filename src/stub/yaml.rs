//! YAML scalars for front matter: every string is written double-quoted with every
//! character that YAML 1.1 (Hugo 0.111) or 1.2 could read differently escaped.

/// `s` as a YAML double-quoted scalar that parses back to exactly `s`.
pub fn quote_yaml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c);
    }
    out.push('"');
    out
}

/// A YAML flow sequence of double-quoted strings: `["a", "b"]`, or `[]` when empty.
pub fn flow_sequence(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote_yaml(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\0' => out.push_str("\\0"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if (c as u32) < 0x20 || c == '\u{7F}' => out.push_str(&format!("\\x{:02X}", c as u32)),
        c if needs_unicode_escape(c) => out.push_str(&unicode_escape(c)),
        c => out.push(c),
    }
}

/// Characters outside YAML's printable set, YAML 1.1 line breaks (U+0085, U+2028, U+2029)
/// and the byte-order mark.
fn needs_unicode_escape(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

fn unicode_escape(c: char) -> String {
    let code = c as u32;
    if code > 0xFFFF { format!("\\U{code:08X}") } else { format!("\\u{code:04X}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml_scalar: &str) -> String {
        serde_saphyr::from_str(yaml_scalar).expect("valid YAML scalar")
    }

    #[test]
    fn plain_strings_are_just_quoted() {
        assert_eq!(quote_yaml("hello"), "\"hello\"");
        assert_eq!(quote_yaml(""), "\"\"");
        assert_eq!(quote_yaml("「我發明了 Transformer」"), "\"「我發明了 Transformer」\"");
    }

    #[test]
    fn escapes() {
        assert_eq!(quote_yaml(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quote_yaml("a\nb\tc\rd\0"), r#""a\nb\tc\rd\0""#);
        assert_eq!(quote_yaml("\u{1}\u{7F}"), r#""\x01\x7F""#);
        assert_eq!(quote_yaml("\u{85}\u{2028}\u{2029}\u{FEFF}"), r#""\u0085\u2028\u2029\uFEFF""#);
    }

    #[test]
    fn hostile_strings_round_trip() {
        for s in [
            "---",
            "--- \n...",
            "key: value",
            "# comment",
            "a: b # c",
            "'single'",
            "\"double\"",
            "{{< youtube x >}}",
            "<script>alert(1)</script>",
            "- item",
            "[1, 2]",
            "{a: 1}",
            "yes",
            "no",
            "null",
            "~",
            "123",
            "0x1F",
            "1e3",
            "&anchor",
            "*alias",
            "!tag",
            "%YAML",
            "@at",
            "`tick`",
            "|",
            ">",
            " leading",
            "trailing ",
            "\u{202E}rtl\u{202C}",
            "עברית",
            "\u{FEFF}bom",
            "nul\0byte",
            "emoji 🎙️👩‍💻",
            "\u{10FFFF}",
            "\u{9F}c1",
        ] {
            assert_eq!(parse(&quote_yaml(s)), s, "{s:?}");
        }
    }

    #[test]
    fn flow_sequences() {
        assert_eq!(flow_sequence(&[]), "[]");
        let items = ["Podcast".to_owned(), "AI 研究".to_owned(), "a\"b".to_owned()];
        assert_eq!(flow_sequence(&items), r#"["Podcast", "AI 研究", "a\"b"]"#);
        let back: Vec<String> = serde_saphyr::from_str(&flow_sequence(&items)).unwrap();
        assert_eq!(back, items);
    }

    proptest::proptest! {
        #[test]
        fn any_string_round_trips(s in proptest::prelude::any::<String>()) {
            proptest::prop_assert_eq!(parse(&quote_yaml(&s)), s);
        }
    }
}
