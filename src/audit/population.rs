//! Does a claim's population ("bone LMS") describe the population a figure
//! was reported for? Every content word of the claim must appear in the
//! figure's population, its detail or its group, allowing inflections
//! (spine/spinal, metastases/metastatic) and a few synonyms of the field.

use crate::domain::Figure;

const STOP: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with",
    "patients", "patient", "cases", "case", "people", "women", "men",
];

/// Words of the field that name the same thing.
const SYNONYMS: &[&[&str]] = &[
    &["lms", "leiomyosarcoma", "leiomyosarcomas"],
    &["spine", "spinal", "vertebral", "vertebra", "vertebrae"],
    &["bone", "bones", "osseous", "skeletal"],
    &["uterine", "uterus"],
    &["sbrt", "srs", "stereotactic"],
];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

fn group_of(w: &str) -> Option<usize> {
    SYNONYMS.iter().position(|g| g.contains(&w))
}

/// Same word, a synonym, or an inflection (a shared stem of at least four
/// letters covering all but the last three letters of the shorter word).
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if let (Some(x), Some(y)) = (group_of(a), group_of(b)) {
        return x == y;
    }
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common >= 4 && common + 3 >= shorter
}

/// True when every content word of `claimed` is found in the figure's
/// population, population detail or group.
pub fn population_matches(claimed: &str, f: &Figure) -> bool {
    let mut text = f.population.clone();
    if let Some(d) = &f.population_detail {
        text.push(' ');
        text.push_str(d);
    }
    text.push(' ');
    text.push_str(&f.group);
    let have = words(&text);
    words(claimed)
        .iter()
        .all(|w| have.iter().any(|h| same_word(w, h)))
}

#[cfg(test)]
mod tests {
    use super::same_word;

    #[test]
    fn inflections_and_synonyms_match_but_other_words_do_not() {
        assert!(same_word("spine", "spinal"));
        assert!(same_word("metastases", "metastatic"));
        assert!(same_word("lms", "leiomyosarcoma"));
        assert!(same_word("vertebral", "spine"));
        assert!(!same_word("bone", "lung"));
        assert!(!same_word("bone", "brain"));
        assert!(!same_word("lumbar", "lung"));
        assert!(!same_word("primary", "prior"));
        assert!(!same_word("spine", "bone"));
    }
}
