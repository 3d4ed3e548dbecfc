use super::*;

fn texts(text: &str) -> Vec<String> {
    split_sentences(text)
        .into_iter()
        .map(|tokens| tokens.join(" "))
        .collect()
}

#[test]
fn the_formula_and_its_bands() {
    // 10 words, 1 sentence, 15 syllables: 206.835 - 9.3 - 115.5 = 82.035.
    assert_eq!(flesch_douma(1, 10, 15), Some(82.0));
    assert_eq!(flesch_douma(0, 0, 0), None);
    assert_eq!(Band::of(-12.0), Band::ZeerMoeilijk);
    assert_eq!(Band::of(29.9), Band::ZeerMoeilijk);
    assert_eq!(Band::of(30.0), Band::Moeilijk);
    assert_eq!(Band::of(59.9), Band::TamelijkMoeilijk);
    assert_eq!(Band::of(60.0), Band::Normaal);
    assert_eq!(Band::of(75.0), Band::TamelijkGemakkelijk);
    assert_eq!(Band::of(85.0), Band::Gemakkelijk);
    assert_eq!(Band::of(130.0), Band::ZeerGemakkelijk);
    assert_eq!(Band::Normaal.label(), "normaal");
}

#[test]
fn a_simple_text_scores_easy_and_a_dense_one_hard() {
    let easy = analyse("We gaan met de buurt praten. Dat doen we in mei. Wie wil, mag mee.");
    assert_eq!(easy.sentences, 3);
    assert_eq!(easy.words, 15);
    assert!(easy.score.unwrap() > 80.0, "{easy:?}");
    let hard = analyse(
        "Teneinde de integrale handhavingsstrategie te optimaliseren dient de organisatie \
         middels een risicogestuurde prioriteringssystematiek de beschikbare capaciteit \
         adequaat te alloceren ten behoeve van de implementatie van de vigerende regelgeving.",
    );
    assert_eq!(hard.sentences, 1);
    assert!(hard.score.unwrap() < 30.0, "{hard:?}");
    assert_eq!(hard.band, Some(Band::ZeerMoeilijk));
    assert_eq!(hard.long_sentences.len(), 1);
    let found: Vec<&str> = hard.officialese.iter().map(|h| h.found.as_str()).collect();
    for word in [
        "teneinde",
        "optimaliseren",
        "dient te",
        "middels",
        "adequaat",
        "ten behoeve van",
        "implementatie",
        "vigerende",
    ] {
        assert!(found.contains(&word), "{word} missing from {found:?}");
    }
    let middels = hard
        .officialese
        .iter()
        .find(|h| h.found == "middels")
        .unwrap();
    assert_eq!(middels.plain, "met, via");
}

#[test]
fn empty_text_gives_no_score() {
    for text in ["", "   ", "\n\n", "- — …", "...", "!!!"] {
        let a = analyse(text);
        assert_eq!(a.score, None, "{text:?}");
        assert_eq!(a.band, None);
        assert_eq!(a.average_sentence_length, None);
        assert!(a.is_empty());
        assert_eq!(a.score_text(), "");
    }
}

#[test]
fn abbreviations_do_not_end_sentences() {
    let text = "Wij werken o.a. met de politie, bijv. bij controles volgens art. 5 van de wet. \
                Dit is nr. 3 t.b.v. de raad, m.b.t. de wijk, d.w.z. de Kooy. Het kost ca. \
                1.300 euro, incl. btw en excl. kosten i.p.v. 3,5 procent. Dhr. Jansen en mevr. \
                De Vries spraken mr. Bakker a.s. maandag, resp. dinsdag. Zie de brief van 3 jan. \
                jl. over de zgn. wijkaanpak.";
    let sentences = texts(text);
    assert_eq!(sentences.len(), 5, "{sentences:#?}");
    assert!(sentences[2].contains("1.300") && sentences[2].contains("3,5"));
}

#[test]
fn enumerations_may_end_a_sentence() {
    let sentences = texts(
        "We kopen pennen, papier enz. Daarna gaan we. Het gaat om fietsen, auto's etc. en bussen.",
    );
    assert_eq!(sentences.len(), 3, "{sentences:#?}");
}

#[test]
fn lists_paragraphs_and_headings_split() {
    let text = "Doelen\nWe willen drie dingen:\n1. minder inbraken\n2. meer toezicht in de wijk\n- een app\n\nDaarna evalueren we";
    let sentences = texts(text);
    assert_eq!(
        sentences,
        [
            "Doelen",
            "We willen drie dingen:",
            "minder inbraken",
            "meer toezicht in de wijk",
            "een app",
            "Daarna evalueren we",
        ]
    );
    // A list marker is not a word.
    assert_eq!(analyse("1. minder inbraken").words, 2);
}

#[test]
fn initials_and_question_marks() {
    assert_eq!(
        texts("Ik sprak J. de Vries. Hij zei ja! Waarom? Omdat het kan.").len(),
        4
    );
    assert_eq!(
        texts("De site www.denhelder.nl en versie 2.1 werken.").len(),
        1
    );
}

#[test]
fn passive_hints() {
    let a = analyse(
        "Het plan wordt elk jaar door de raad gecontroleerd. Het programma is op 27 februari \
         vastgesteld. De meldingen worden besproken. We controleren zelf. Het aantal is gestegen. \
         Zijn plan is goed. Bedrijventerreinen worden elk jaar gecontroleerd. De Omgevingswet is \
         nieuw. Negen panden gecontroleerd; eigenaren zijn lastig bereikbaar.",
    );
    let hints: Vec<&str> = a.passive.iter().map(|p| p.words.as_str()).collect();
    assert_eq!(
        hints,
        [
            "wordt … gecontroleerd",
            "is … vastgesteld",
            "worden besproken",
            "worden … gecontroleerd",
        ]
    );
}

#[test]
fn a_split_officialese_verb_is_found_but_not_across_om_te() {
    let found = |text: &str| {
        analyse(text)
            .officialese
            .into_iter()
            .map(|h| h.found)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found("De gemeente dient de aanvraag binnen zes weken te beoordelen."),
        ["dient te"]
    );
    assert!(found("Het plan dient als basis om de wijk te versterken.").is_empty());
}

#[test]
fn officialese_counts_each_use() {
    let a = analyse("Wij hebben reeds gebeld. Thans is het reeds klaar. Reeds!");
    let reeds = a.officialese.iter().find(|h| h.found == "reeds").unwrap();
    assert_eq!(reeds.count, 3);
    assert_eq!(reeds.plain, "al");
    assert!(a.officialese.iter().any(|h| h.found == "thans"));
    assert!(lists::OFFICIALESE.len() >= 60);
}

#[test]
fn hardest_sentences_come_first() {
    let a = analyse(
        "Dat is nu echt heel fijn. De gemeentelijke organisatie implementeert geïntegreerde \
         verantwoordelijkheidsstructuren. Wij gaan nu samen naar huis. Kort.",
    );
    assert_eq!(a.hardest.len(), 3);
    assert!(a.hardest.iter().all(|s| s.words >= 5));
    assert!(a.hardest[0].text.starts_with("De gemeentelijke"));
    assert!(a.hardest[0].score < a.hardest[1].score);
}

#[test]
fn scores_are_finite_for_any_input() {
    // A small deterministic generator instead of a property-testing crate: many odd inputs.
    let pieces = [
        "",
        " ",
        ".",
        "..",
        "o.a.",
        "1.",
        "3,5",
        "1.300",
        "\n",
        "\n\n",
        "é",
        "ë",
        "ï",
        "ü",
        "'s",
        "-",
        "—",
        "!",
        "?",
        "…",
        "VTH",
        "e-mail",
        "geïnteresseerd",
        "A.",
        "x",
        "\t",
        "€",
        "%",
        "🙂",
        "ß",
        "ĳ",
        "Ÿ",
        "y",
        "qu",
        "ieu",
        "aaaaaaaa",
        "9999999999999999999999",
        ",",
        "(",
        ")",
        "\"",
        "wordt",
        "gecontroleerd",
        "teneinde",
        "enz.",
        "De",
        "\u{200b}",
        "日本",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut text = String::new();
        let n = (seed % 40) as usize;
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            if seed.is_multiple_of(3) {
                text.push(' ');
            }
        }
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let a = analyse(&text);
        match a.score {
            Some(score) => {
                assert!(score.is_finite(), "{text:?}");
                assert!(a.words > 0 && a.sentences > 0);
                assert!(a.average_sentence_length.unwrap().is_finite());
            }
            None => assert_eq!(a.words, 0, "{text:?}"),
        }
        for s in &a.hardest {
            assert!(s.score.is_finite());
        }
        assert!(a.sentences <= a.words);
    }
}

#[test]
fn syllable_list() {
    let list = include_str!("lettergrepen.txt");
    let mut total = 0;
    let mut misses = Vec::new();
    for line in list.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, count) = line.split_once(char::is_whitespace).expect(line);
        let expected: usize = count.trim().parse().expect(line);
        total += 1;
        let counted = syllables::token(word);
        if counted != expected {
            misses.push(format!("{word}: {counted}, expected {expected}"));
        }
    }
    assert!(total >= 300, "only {total} words in the list");
    let right = total - misses.len();
    println!(
        "syllables: {right} of {total} right ({:.1}%); misses:\n  {}",
        100.0 * right as f64 / total as f64,
        misses.join("\n  ")
    );
    assert!(
        right * 100 >= total * 95,
        "{right} of {total} right; misses: {misses:#?}"
    );
}
