//! TOML strings for front matter written with `+++` (a user's template): every string a basic
//! string with what TOML forbids in one escaped, so it parses back to exactly itself.

/// A TOML array of basic strings: `["a", "b"]`, or `[]` when empty.
pub fn toml_array(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote_toml(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `s` as a TOML basic string.
fn quote_toml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Deserialize)]
    struct Doc {
        images: Vec<String>,
    }

    fn parse(array: &str) -> Vec<String> {
        toml::from_str::<Doc>(&format!("images = {array}\n")).expect("valid TOML").images
    }

    #[test]
    fn urls_and_hostile_text_parse_back() {
        let items =
            vec!["https://i.ytimg.com/vi/x/hq.jpg?a=1&b=\"2\"\\".to_owned(), "\u{0}\u{7F}\n「」".to_owned()];
        assert_eq!(parse(&toml_array(&items)), items);
        assert_eq!(toml_array(&[]), "[]");
    }

    proptest! {
        #[test]
        fn any_string_parses_back(items in proptest::collection::vec(any::<String>(), 0..4)) {
            prop_assert_eq!(parse(&toml_array(&items)), items);
        }
    }
}
