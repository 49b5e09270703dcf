//! Vietnamese typing: the five tone marks placed on the right vowel of a
//! syllable, and Telex from a physical keyboard ("chowf" → "chờ").
//!
//! The on-screen keyboard has ă â ê ô ơ ư đ; its tone keys call
//! [`with_tone`] on the syllable being typed. The mark goes on the main
//! vowel, as the orthography rules of 2018 (Quyết định 1989/QĐ-BGDĐT) say:
//! - a vowel with a hat or horn (â ă ê ô ơ ư) takes it; in ươ, the ơ;
//! - otherwise, with a final consonant, the last vowel (hoàn, muốn);
//! - otherwise oa, oe, uy take it on the second (hoà, khoẻ, thuỷ), three
//!   vowels in the middle (hoài, khuỷu), two others on the first (múa, hái);
//! - the u of qu and the i of gi belong to the consonant (quá, giá; but gì).

/// The tones, as the keys name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// ngang: no mark.
    Level,
    /// sắc: á
    Acute,
    /// huyền: à
    Grave,
    /// hỏi: ả
    Hook,
    /// ngã: ã
    Tilde,
    /// nặng: ạ
    Dot,
}

impl Tone {
    pub const MARKED: [Tone; 5] = [Tone::Acute, Tone::Grave, Tone::Hook, Tone::Tilde, Tone::Dot];

    fn index(self) -> usize {
        self as usize
    }

    /// The Telex key of this tone.
    pub fn telex(c: char) -> Option<Tone> {
        Some(match c.to_ascii_lowercase() {
            's' => Tone::Acute,
            'f' => Tone::Grave,
            'r' => Tone::Hook,
            'x' => Tone::Tilde,
            'j' => Tone::Dot,
            'z' => Tone::Level,
            _ => return None,
        })
    }
}

/// Each base vowel, then its forms with the five marks.
const VOWELS: [[char; 6]; 12] = [
    ['a', 'á', 'à', 'ả', 'ã', 'ạ'],
    ['ă', 'ắ', 'ằ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ấ', 'ầ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'é', 'è', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ế', 'ề', 'ể', 'ễ', 'ệ'],
    ['i', 'í', 'ì', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ó', 'ò', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ố', 'ồ', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ớ', 'ờ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ú', 'ù', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ứ', 'ừ', 'ử', 'ữ', 'ự'],
    ['y', 'ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ'],
];

/// A letter split into its base vowel (lower case), its tone and whether
/// it was upper case; none for a letter that is not a vowel.
fn split(c: char) -> Option<(char, Tone, bool)> {
    let upper = c.is_uppercase();
    let lower = c.to_lowercase().next().unwrap_or(c);
    VOWELS.iter().find_map(|row| {
        row.iter().position(|&v| v == lower).map(|t| {
            (
                row[0],
                Tone::MARKED.get(t.wrapping_sub(1)).copied().unwrap_or(Tone::Level),
                upper,
            )
        })
    })
}

fn join(base: char, tone: Tone, upper: bool) -> char {
    let row = VOWELS.iter().find(|r| r[0] == base).expect("a base vowel");
    let c = row[tone.index()];
    if upper { c.to_uppercase().next().unwrap_or(c) } else { c }
}

/// The tone a syllable carries (the first mark found), if any.
pub fn tone_of(syllable: &str) -> Tone {
    syllable
        .chars()
        .filter_map(split)
        .map(|(_, t, _)| t)
        .find(|t| *t != Tone::Level)
        .unwrap_or(Tone::Level)
}

/// `syllable` with `tone` on its main vowel, and any other mark taken off.
/// A syllable without a vowel is given back as it is.
pub fn with_tone(syllable: &str, tone: Tone) -> String {
    let letters: Vec<char> = syllable.chars().collect();
    let bases: Vec<Option<(char, Tone, bool)>> = letters.iter().map(|&c| split(c)).collect();
    let Some(at) = main_vowel(&letters, &bases) else {
        return syllable.to_string();
    };
    letters
        .iter()
        .zip(&bases)
        .enumerate()
        .map(|(i, (&c, b))| match b {
            Some((base, _, upper)) => join(*base, if i == at { tone } else { Tone::Level }, *upper),
            None => c,
        })
        .collect()
}

/// Where the mark goes: the index of the main vowel.
fn main_vowel(letters: &[char], bases: &[Option<(char, Tone, bool)>]) -> Option<usize> {
    let lower = |i: usize| letters[i].to_lowercase().next().unwrap_or(letters[i]);
    // The vowels: the first run of them after the initial consonant.
    let first = bases.iter().position(Option::is_some)?;
    let mut start = first;
    let mut end = first;
    while end < letters.len() && bases[end].is_some() {
        end += 1;
    }
    // qu: the u is the consonant's; gi: the i is, when a vowel follows.
    if first > 0 && end - start > 1 {
        let before = lower(first - 1);
        let base = bases[first].map(|b| b.0);
        if (before == 'q' && base == Some('u')) || (before == 'g' && base == Some('i')) {
            start += 1;
        }
    }
    let cluster: Vec<usize> = (start..end).collect();
    let base = |i: usize| bases[i].map(|b| b.0).unwrap_or(' ');
    if let Some(&i) = cluster
        .iter()
        .rev()
        .find(|&&i| matches!(base(i), 'â' | 'ă' | 'ê' | 'ô' | 'ơ'))
    {
        return Some(i);
    }
    if let Some(&i) = cluster.iter().find(|&&i| base(i) == 'ư') {
        return Some(i);
    }
    let closed = end < letters.len();
    let n = cluster.len();
    Some(match n {
        1 => cluster[0],
        _ if closed => cluster[n - 1],
        2 => {
            let pair: String = cluster.iter().map(|&i| base(i)).collect();
            if matches!(pair.as_str(), "oa" | "oe" | "uy") {
                cluster[1]
            } else {
                cluster[0]
            }
        }
        _ => cluster[1],
    })
}

/// Text typed in Telex, as Vietnamese: `aa aw ee oo ow uw w dd` make
/// â ă ê ô ơ ư ư đ, and `s f r x j` put a tone on the syllable being typed
/// (`z` takes it off; a tone key pressed twice, or `z` with no mark to take
/// off, is typed as a letter).
pub fn telex(keys: &str) -> String {
    let mut out = String::new();
    let mut syllable = String::new();
    for key in keys.chars() {
        if key.is_alphabetic() {
            syllable = telex_key(&syllable, key);
        } else {
            out.push_str(&syllable);
            syllable.clear();
            out.push(key);
        }
    }
    out.push_str(&syllable);
    out
}

/// The syllable after one more Telex key.
pub fn telex_key(syllable: &str, key: char) -> String {
    let lower = key.to_ascii_lowercase();
    let has_vowel = syllable.chars().any(|c| split(c).is_some());
    let tone = tone_of(syllable);
    let plain = with_tone(syllable, Tone::Level);
    let retone = |s: String| with_tone(&s, tone);
    // A tone.
    if has_vowel && let Some(t) = Tone::telex(key) {
        if t == tone || (t == Tone::Level && tone == Tone::Level) {
            // Pressed again: the mark comes off and the key is typed.
            return format!("{plain}{key}");
        }
        return with_tone(&plain, t);
    }
    let chars: Vec<char> = plain.chars().collect();
    let case = |c: char, upper: bool| if upper { c.to_uppercase().next().unwrap_or(c) } else { c };
    // dd: đ, on the initial consonant.
    if lower == 'd'
        && let Some(i) = chars.iter().rposition(|c| matches!(c, 'd' | 'D'))
        && chars[..i].iter().all(|c| split(*c).is_none())
        && !has_vowel
    {
        let mut c = chars.clone();
        c[i] = case('đ', chars[i].is_uppercase());
        return retone(c.into_iter().collect());
    }
    // aa ee oo: â ê ô on the last such vowel.
    if matches!(lower, 'a' | 'e' | 'o')
        && let Some(i) = chars.iter().rposition(|c| c.to_ascii_lowercase() == lower)
        && chars[i + 1..].iter().all(|c| split(*c).is_none())
    {
        let mut c = chars.clone();
        let hat = match lower {
            'a' => 'â',
            'e' => 'ê',
            _ => 'ô',
        };
        c[i] = case(hat, chars[i].is_uppercase());
        return retone(c.into_iter().collect());
    }
    // w: uo → ươ, a → ă, o → ơ, u → ư; alone, ư. At the end of the
    // syllable uo → uơ (thuở, quơ): ươ always has a letter after it, and
    // becomes ươ when one is typed (nguơ + i → ngươi).
    if lower == 'w' {
        let mut c = chars.clone();
        let uo = c
            .windows(2)
            .position(|w| w[0].eq_ignore_ascii_case(&'u') && w[1].eq_ignore_ascii_case(&'o'));
        if let Some(i) = uo {
            if i + 2 < c.len() {
                c[i] = case('ư', c[i].is_uppercase());
            }
            c[i + 1] = case('ơ', c[i + 1].is_uppercase());
            return retone(c.into_iter().collect());
        }
        if let Some(i) = c
            .iter()
            .rposition(|ch| matches!(ch.to_ascii_lowercase(), 'a' | 'o' | 'u'))
        {
            let horned = match c[i].to_ascii_lowercase() {
                'a' => 'ă',
                'o' => 'ơ',
                _ => 'ư',
            };
            c[i] = case(horned, c[i].is_uppercase());
            return retone(c.into_iter().collect());
        }
        return retone(format!("{plain}{}", case('ư', key.is_uppercase())));
    }
    // A letter after uơ (not quơ): ươ.
    let mut c = chars;
    let n = c.len();
    if n >= 2
        && c[n - 2].eq_ignore_ascii_case(&'u')
        && matches!(c[n - 1], 'ơ' | 'Ơ')
        && !(n >= 3 && c[n - 3].eq_ignore_ascii_case(&'q'))
    {
        c[n - 2] = case('ư', c[n - 2].is_uppercase());
    }
    c.push(key);
    retone(c.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_goes_on_the_main_vowel() {
        for (bare, tone, marked) in [
            // One vowel.
            ("cho", Tone::Grave, "chò"),
            ("ban", Tone::Acute, "bán"),
            // A hat or horn takes it.
            ("cho", Tone::Level, "cho"),
            ("chơ", Tone::Grave, "chờ"),
            ("lâu", Tone::Level, "lâu"),
            ("nguoi", Tone::Level, "nguoi"),
            ("người", Tone::Grave, "người"),
            ("ngươi", Tone::Grave, "người"),
            ("muôn", Tone::Acute, "muốn"),
            ("cuôi", Tone::Acute, "cuối"),
            ("hiêu", Tone::Acute, "hiếu"),
            ("khuyên", Tone::Acute, "khuyến"),
            ("tiêng", Tone::Acute, "tiếng"),
            ("Viêt", Tone::Dot, "Việt"),
            ("thư", Tone::Grave, "thừ"),
            ("cưu", Tone::Acute, "cứu"),
            // Closed: the last vowel.
            ("hoan", Tone::Grave, "hoàn"),
            ("toan", Tone::Dot, "toạn"),
            ("quyt", Tone::Acute, "quýt"),
            // Open: oa, oe, uy on the second.
            ("hoa", Tone::Grave, "hoà"),
            ("khoe", Tone::Hook, "khoẻ"),
            ("thuy", Tone::Hook, "thuỷ"),
            ("Hoa", Tone::Acute, "Hoá"),
            // Open: three vowels in the middle, two others on the first.
            ("hoai", Tone::Grave, "hoài"),
            ("xoay", Tone::Acute, "xoáy"),
            ("khuyu", Tone::Hook, "khuỷu"),
            ("mua", Tone::Acute, "múa"),
            ("hai", Tone::Acute, "hái"),
            ("ngay", Tone::Grave, "ngày"),
            ("kia", Tone::Grave, "kìa"),
            ("keo", Tone::Dot, "kẹo"),
            ("tui", Tone::Acute, "túi"),
            // qu and gi.
            ("qua", Tone::Acute, "quá"),
            ("quy", Tone::Acute, "quý"),
            ("gia", Tone::Acute, "giá"),
            ("gi", Tone::Grave, "gì"),
            // gi + ư: the ư takes it.
            ("giư", Tone::Tilde, "giữ"),
        ] {
            assert_eq!(with_tone(bare, tone), marked, "{bare} + {tone:?}");
        }
    }

    #[test]
    fn a_new_mark_replaces_the_old_one() {
        assert_eq!(with_tone("hoà", Tone::Acute), "hoá");
        assert_eq!(with_tone("chờ", Tone::Level), "chơ");
        assert_eq!(tone_of("Việt"), Tone::Dot);
        assert_eq!(tone_of("Nam"), Tone::Level);
        assert_eq!(with_tone("ng", Tone::Acute), "ng", "no vowel, no mark");
        assert_eq!(with_tone("", Tone::Acute), "");
    }

    #[test]
    fn telex_types_real_words() {
        for (keys, text) in [
            ("chowf lau", "chờ lau"),
            ("chowf laau", "chờ lâu"),
            ("nguwowif", "người"),
            ("nguoiwf", "người"),
            ("Vieetj Nam", "Việt Nam"),
            ("ddoongf", "đồng"),
            ("DDaf Nawngx", "Đà Nẵng"),
            ("hoaf", "hoà"),
            ("hoanf", "hoàn"),
            ("khoer", "khoẻ"),
            ("thuyr", "thuỷ"),
            ("quas", "quá"),
            ("gif", "gì"),
            ("tieengs", "tiếng"),
            ("khuyeens", "khuyến"),
            ("muoons", "muốn"),
            ("raats toots", "rất tốt"),
            ("rats", "rát"),
            ("w", "ư"),
            ("tuw", "tư"),
            ("cass", "cas"),
            ("hoaz", "hoaz"),
            ("hoafz", "hoa"),
            ("sao", "sao"),
            ("xin chaof", "xin chào"),
            ("12 giowf", "12 giờ"),
            // uơ at the end of a syllable, ươ before a letter.
            ("thuowr", "thuở"),
            ("quowr", "quở"),
            ("huow", "huơ"),
            ("nguowif", "người"),
            ("huowng", "hương"),
            ("uowts", "ướt"),
            ("giuwx", "giữ"),
            ("quys", "quý"),
            ("khuya", "khuya"),
        ] {
            assert_eq!(telex(keys), text, "{keys}");
        }
    }

    #[test]
    fn a_mark_moves_as_the_syllable_grows() {
        // "hoà" then "n": the mark moves to the last vowel, "hoàn".
        let s = telex_key("hoà", 'n');
        assert_eq!(s, "hoàn");
        // "múa" typed as m u s a: the mark follows the rule, not the key.
        assert_eq!(telex("musa"), "múa");
        assert_eq!(telex("hosa"), "hoá");
    }
}
