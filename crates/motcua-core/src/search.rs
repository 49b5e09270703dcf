//! Search over the catalog the way citizens type: with or without
//! diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh", "d" finds
//! "đ"), words in any order, the last word as a prefix while it is typed,
//! best matches first.

use unicode_normalization::UnicodeNormalization;

use super::catalog::Catalog;

/// Lowercases and strips Vietnamese diacritics: tones, hats, horns, breves,
/// and đ → d.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{0300}'..='\u{036f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Splits into lowercase words, keeping the diacritics.
fn words(text: &str) -> Vec<String> {
    text.nfc()
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// One searchable word: as written (lowercased) and folded.
#[derive(Debug, Clone)]
struct Word {
    exact: String,
    folded: String,
}

impl Word {
    fn all(text: &str) -> Vec<Word> {
        words(text)
            .into_iter()
            .map(|exact| Word {
                folded: fold(&exact),
                exact,
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
struct Entry {
    code: String,
    name: Vec<Word>,
    name_en: Vec<Word>,
    other: Vec<Word>,
    name_len: usize,
}

/// A search index over a catalog's procedures, built once.
#[derive(Debug, Clone)]
pub struct Index {
    entries: Vec<Entry>,
}

/// One result: the procedure's position in the catalog and its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    pub score: u32,
}

impl Index {
    pub fn new(catalog: &Catalog) -> Self {
        let entries = catalog
            .procedures
            .iter()
            .map(|p| {
                let field = catalog.field(&p.field).map(|f| format!("{} {}", f.name, f.name_en));
                let other = [p.keywords.join(" "), field.unwrap_or_default(), p.result.clone()].join(" ");
                Entry {
                    code: p.code.clone(),
                    name: Word::all(&p.name),
                    name_en: Word::all(&p.name_en),
                    other: Word::all(&other),
                    name_len: p.name.chars().count(),
                }
            })
            .collect();
        Self { entries }
    }

    /// Procedures matching every word of the query, best first.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let query = Word::all(query);
        if query.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(Hit, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(index, e)| score(e, &query).map(|score| (Hit { index, score }, e.name_len)))
            .collect();
        hits.sort_by(|(a, la), (b, lb)| b.score.cmp(&a.score).then(la.cmp(lb)).then(a.index.cmp(&b.index)));
        hits.into_iter().map(|(h, _)| h).collect()
    }
}

/// How well one query word matches one indexed word, if at all.
fn word_score(q: &Word, w: &Word, last: bool) -> Option<u32> {
    let accent_bonus = |exact: bool| if exact { 2 } else { 0 };
    if w.folded == q.folded {
        Some(10 + accent_bonus(w.exact == q.exact))
    } else if last && w.folded.starts_with(&q.folded) {
        // The word being typed: a prefix counts, less than a whole word.
        Some(5 + accent_bonus(w.exact.starts_with(&q.exact)))
    } else {
        None
    }
}

fn best_in(q: &Word, words: &[Word], last: bool) -> Option<(u32, usize)> {
    words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| word_score(q, w, last).map(|s| (s, i)))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
}

fn score(e: &Entry, query: &[Word]) -> Option<u32> {
    // A code typed in full or in part ("001193", "1.001193").
    if query.len() == 1 && query[0].exact.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return e.code.contains(&query[0].exact).then_some(100);
    }
    let mut total = 0;
    let mut positions = Vec::with_capacity(query.len());
    let mut all_in_name = true;
    for (i, q) in query.iter().enumerate() {
        let last = i + 1 == query.len();
        if let Some((s, pos)) = best_in(q, &e.name, last) {
            total += s * 3;
            positions.push(pos);
        } else if let Some((s, _)) = best_in(q, &e.name_en, last) {
            total += s * 2;
            all_in_name = false;
        } else if let Some((s, _)) = best_in(q, &e.other, last) {
            total += s;
            all_in_name = false;
        } else {
            return None;
        }
    }
    // Words found in the name, in the order typed and side by side, rank
    // above the same words scattered: "khai sinh" before "sinh … khai".
    if all_in_name {
        total += 10;
        if positions.windows(2).all(|w| w[1] == w[0] + 1) {
            total += 20;
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn names(index: &Index, catalog: &Catalog, query: &str) -> Vec<String> {
        index
            .search(query)
            .into_iter()
            .map(|h| catalog.procedures[h.index].name.clone())
            .collect()
    }

    #[test]
    fn folding_strips_every_vietnamese_mark() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("ĐẶNG ẴẲẰ Ợ ữ ỹ"), "dang aaa o u y");
        assert_eq!(fold("đ"), "d");
        // Decomposed input folds the same as precomposed.
        assert_eq!(fold("Đe\u{0301}"), fold("Đé"));
    }

    #[test]
    fn without_diacritics_finds_with_them() {
        let c = Catalog::demo();
        let idx = Index::new(&c);
        let found = names(&idx, &c, "dang ky khai sinh");
        assert!(!found.is_empty());
        assert!(fold(&found[0]).contains("dang ky khai sinh"), "{found:?}");
        assert_eq!(found, names(&idx, &c, "Đăng ký khai sinh"));
    }

    #[test]
    fn d_finds_dj_and_words_in_any_order() {
        let c = Catalog::demo();
        let idx = Index::new(&c);
        let d = names(&idx, &c, "d");
        assert!(d.iter().any(|n| n.contains('đ') || n.contains('Đ')), "{d:?}");
        let reversed = names(&idx, &c, "sinh khai");
        assert!(reversed.iter().any(|n| fold(n).contains("khai sinh")), "{reversed:?}");
    }

    #[test]
    fn ranking_puts_the_phrase_first() {
        let c = Catalog::demo();
        let idx = Index::new(&c);
        let found = names(&idx, &c, "ket hon");
        assert!(fold(&found[0]).contains("ket hon"), "{found:?}");
        // A prefix of the last word already finds it while typing.
        let typing = names(&idx, &c, "ket h");
        assert!(typing.iter().any(|n| fold(n).contains("ket hon")), "{typing:?}");
    }

    #[test]
    fn nonsense_and_empty_find_nothing() {
        let c = Catalog::demo();
        let idx = Index::new(&c);
        assert!(idx.search("").is_empty());
        assert!(idx.search("   ").is_empty());
        assert!(idx.search("xyzzyq").is_empty());
    }

    #[test]
    fn a_code_finds_its_procedure() {
        let c = Catalog::demo();
        let idx = Index::new(&c);
        let code = c.procedures[0].code.clone();
        let hits = idx.search(&code);
        assert_eq!(hits.first().map(|h| h.index), Some(0));
    }
}
