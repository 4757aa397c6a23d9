use super::*;

fn check(description: &str, expected: &[(u64, &str)]) {
    let got: Vec<_> =
        description_chapters(description).into_iter().map(|c| (c.start_secs, c.title)).collect();
    let expected: Vec<_> = expected.iter().map(|(s, t)| (*s, t.to_string())).collect();
    assert_eq!(got, expected, "chapters of {description:?}");
}

#[test]
fn reads_the_common_shapes() {
    check(
        "Llion Jones joins us.\n\nTIMESTAMPS:\n00:00 Intro\n04:12 Why transformers got stuck\n31:40 Neurons that keep time",
        &[(0, "Intro"), (252, "Why transformers got stuck"), (1900, "Neurons that keep time")],
    );
    check(
        "0:00 - Intro\n2:05 – Local minima\n1:02:03 — The long part\n1:10:00 | Wrap-up",
        &[(0, "Intro"), (125, "Local minima"), (3723, "The long part"), (4200, "Wrap-up")],
    );
    check("[00:00] Intro\n(01:30) Tea\n[1:00:00]: Late\n", &[(0, "Intro"), (90, "Tea"), (3600, "Late")]);
    check(
        "- 00:00: Hello\n• 00:45 Second\n\n* 75:30 Long minutes, no hours\n",
        &[(0, "Hello"), (45, "Second"), (4530, "Long minutes, no hours")],
    );
    check("00:30 Cold open\n05:00 A\n10:00 B", &[(30, "Cold open"), (300, "A"), (600, "B")]);
}

#[test]
fn times_in_prose_are_not_chapters() {
    check("We met at 10:30 and talked until 12:45, then again at 14:00.\nSee you at 9:00!", &[]);
    check("At 00:00 the clock struck.\nAt 01:00 it struck again.\nAt 02:00 once more.", &[]);
    check("00:00 Intro\n05:12 Local minima", &[]);
    check("02:00 Starts late\n05:00 A\n09:00 B", &[]);
    check("00:00 A\n03:00 B\n02:00 C\n", &[]);
    check("00:00 Intro\nSome prose line.\n05:00 A\n09:00 B", &[]);
    check("00:00 -\n01:00 ---\n02:00 !!!", &[]);
    check("00:75 Bad seconds\n1:61:00 Bad minutes\n02:00 ok", &[]);
}

#[test]
fn the_first_qualifying_list_wins_and_blank_lines_may_separate_entries() {
    check(
        "Part one\n00:00 A\n\n01:00 B\n\n02:00 C\n00:00 Second list\n05:00 X\n06:00 Y",
        &[(0, "A"), (60, "B"), (120, "C")],
    );
    check(
        "00:00 Not a list\n00:10 Too short\n\nReal one:\n00:00 A\n01:00 B\n02:00 C",
        &[(0, "A"), (60, "B"), (120, "C")],
    );
}

#[test]
fn hostile_descriptions_stay_bounded() {
    let long_title = "y".repeat(10_000);
    let mut many = format!("00:00 {long_title}\n");
    for i in 1..5000u64 {
        many.push_str(&format!("{}:{:02}:{:02} c{i}\n", i / 3600, i / 60 % 60, i % 60));
    }
    let chapters = description_chapters(&many);
    assert_eq!(chapters.len(), MAX_CHAPTERS);
    assert!(chapters[0].title.chars().count() <= super::super::chapters::MAX_TITLE_CHARS);
    check("99:59:59 x\n", &[]);
    check(&"00:00\n".repeat(10_000), &[]);
    check("00:00 a\u{7}b\n00:01 \u{202E}c\n00:02 d", &[(0, "a b"), (1, "\u{202E}c"), (2, "d")]);
    check("\u{0}00:00 a\n00:01 c\n00:02 d", &[]);
}
