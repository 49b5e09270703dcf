//! Queue rules: ticket numbers, lanes and the priority interleave.
//!
//! Priority citizens (the elderly, people with disabilities, pregnant women,
//! people with merit) are served ahead, but never so that the normal queue
//! starves: with a policy of one priority call per `every` normal calls, a
//! counter alternates P, N×every, P, N×every … while both lanes wait.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which line a ticket waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lane {
    Normal,
    Priority,
}

impl Lane {
    pub fn as_str(self) -> &'static str {
        match self {
            Lane::Normal => "normal",
            Lane::Priority => "priority",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "normal" => Some(Lane::Normal),
            "priority" => Some(Lane::Priority),
            _ => None,
        }
    }
}

/// A ticket's number as shown and called: group letter and number,
/// `B-023`. Tickets a kiosk issues while central is out of reach come from
/// the kiosk's own numbering space, its slot, shown as `B3-007`: they can
/// never collide with central's numbers or another kiosk's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TicketNumber {
    pub group: String,
    /// 0 for the office's numbering, else the issuing kiosk's slot.
    pub slot: u32,
    pub number: u32,
}

impl TicketNumber {
    pub fn new(group: impl Into<String>, number: u32) -> Self {
        Self {
            group: group.into(),
            slot: 0,
            number,
        }
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.slot {
            0 => write!(f, "{}-{:03}", self.group, self.number),
            slot => write!(f, "{}{slot}-{:03}", self.group, self.number),
        }
    }
}

/// How priority tickets are interleaved with normal ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityPolicy {
    /// Normal calls between two priority calls while both lanes wait.
    /// 0 means priority tickets always go first.
    pub every: u32,
}

impl Default for PriorityPolicy {
    fn default() -> Self {
        Self { every: 3 }
    }
}

/// The interleave state of one group's queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interleave {
    policy: PriorityPolicy,
    normals_since_priority: u32,
}

impl Interleave {
    /// A fresh queue: the first call goes to a waiting priority ticket.
    pub fn new(policy: PriorityPolicy) -> Self {
        Self {
            policy,
            normals_since_priority: policy.every,
        }
    }

    /// A queue whose last priority call was `normals_since_priority` normal
    /// calls ago.
    pub fn resume(policy: PriorityPolicy, normals_since_priority: u32) -> Self {
        Self {
            policy,
            normals_since_priority,
        }
    }

    pub fn normals_since_priority(&self) -> u32 {
        self.normals_since_priority
    }

    /// The lane of the next call, given which lanes have someone waiting.
    pub fn next(&self, normal_waiting: bool, priority_waiting: bool) -> Option<Lane> {
        match (normal_waiting, priority_waiting) {
            (false, false) => None,
            (true, false) => Some(Lane::Normal),
            (false, true) => Some(Lane::Priority),
            (true, true) if self.normals_since_priority >= self.policy.every => Some(Lane::Priority),
            (true, true) => Some(Lane::Normal),
        }
    }

    /// Records a call made in `lane`.
    pub fn record(&mut self, lane: Lane) {
        match lane {
            Lane::Priority => self.normals_since_priority = 0,
            Lane::Normal => self.normals_since_priority = self.normals_since_priority.saturating_add(1),
        }
    }

    /// How many calls come before a ticket in `lane`, when `same_lane_ahead`
    /// tickets of its own lane are ahead of it and `other_lane` tickets wait
    /// in the other lane. An estimate: later priority arrivals may still
    /// come first.
    pub fn calls_before(&self, lane: Lane, same_lane_ahead: u32, other_lane: u32) -> u32 {
        let mut state = *self;
        let (mut mine, mut other) = (same_lane_ahead, other_lane);
        let mut calls = 0;
        loop {
            let (normal, priority) = match lane {
                Lane::Normal => (mine, other),
                Lane::Priority => (other, mine),
            };
            // The ticket itself is always waiting in its lane.
            let (nw, pw) = match lane {
                Lane::Normal => (true, priority > 0),
                Lane::Priority => (normal > 0, true),
            };
            let Some(next) = state.next(nw, pw) else {
                return calls;
            };
            if next == lane {
                if mine == 0 {
                    return calls;
                }
                mine -= 1;
            } else {
                other -= 1;
            }
            state.record(next);
            calls += 1;
        }
    }
}

/// Longest counter label, in characters: it is read aloud in the hall
/// ("đến quầy số 12A") and shown in large type on the board.
pub const COUNTER_LABEL_MAX: usize = 10;

/// Whether `label` may name a counter: 1 to [`COUNTER_LABEL_MAX`]
/// characters, each a letter (Vietnamese letters too), an ASCII digit, a
/// space or `-`, with a letter or digit first and last and no two spaces
/// in a row. "3", "12A", "Quầy 3", "B-2" pass; a sentence, a URL or
/// control characters do not.
pub fn counter_label_ok(label: &str) -> bool {
    let n = label.chars().count();
    let first_last_ok = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit());
    (1..=COUNTER_LABEL_MAX).contains(&n)
        && label.chars().all(allowed_in_label)
        && first_last_ok(label.chars().next())
        && first_last_ok(label.chars().next_back())
        && !label.contains("  ")
}

fn allowed_in_label(c: char) -> bool {
    c.is_alphabetic() || c.is_ascii_digit() || c == ' ' || c == '-'
}

/// Longest officer id, in characters: it is kept with each call and each
/// rating, and shown in the office's reports.
pub const OFFICER_ID_MAX: usize = 32;

/// Whether `id` may name an officer in what a counter sends: 1 to
/// [`OFFICER_ID_MAX`] characters, each a letter (Vietnamese letters too),
/// an ASCII digit, a space or one of `-._@`, with a letter or digit first
/// and last and no two spaces in a row. "CB01", "cb-07", "Nguyễn Văn A",
/// "nva@ubnd" pass; markup, control characters and long text do not.
pub fn officer_id_ok(id: &str) -> bool {
    let n = id.chars().count();
    let first_last_ok = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit());
    (1..=OFFICER_ID_MAX).contains(&n)
        && id
            .chars()
            .all(|c| c.is_alphabetic() || c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '_' | '@'))
        && first_last_ok(id.chars().next())
        && first_last_ok(id.chars().next_back())
        && !id.contains("  ")
}

/// What a board may show and speak of a counter label that reached it: the
/// allowed characters only, spaces collapsed, at most
/// [`COUNTER_LABEL_MAX`] characters. Central refuses bad labels; this is
/// the board's own guard against a label from elsewhere (an older central,
/// a stored row).
pub fn sanitize_counter_label(label: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Composed first, so a decomposed "ầ" is one letter, not a letter and
    // two marks that would be dropped.
    let kept: String = label
        .nfc()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|&c| allowed_in_label(c))
        .collect();
    let words: Vec<&str> = kept.split(' ').filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    let cut: String = joined.chars().take(COUNTER_LABEL_MAX).collect();
    cut.trim_matches(|c: char| c == ' ' || c == '-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(policy: u32, mut normal: u32, mut priority: u32) -> String {
        let mut q = Interleave::new(PriorityPolicy { every: policy });
        let mut out = String::new();
        while let Some(lane) = q.next(normal > 0, priority > 0) {
            match lane {
                Lane::Normal => normal -= 1,
                Lane::Priority => priority -= 1,
            }
            q.record(lane);
            out.push(if lane == Lane::Normal { 'N' } else { 'P' });
        }
        out
    }

    #[test]
    fn officer_ids_are_short_plain_names() {
        for ok in ["CB01", "cb-07", "Nguyễn Văn A", "nva@ubnd.gov.vn", "A", "cán_bộ.3"] {
            assert!(officer_id_ok(ok), "{ok}");
        }
        let long = "A".repeat(OFFICER_ID_MAX + 1);
        for bad in [
            "",
            " CB01",
            "CB01 ",
            "CB  01",
            "<b>CB01</b>",
            "CB01\n",
            "CB\u{7}01",
            "-CB01",
            "CB01;DROP",
            "https://x.y",
            &long,
        ] {
            assert!(!officer_id_ok(bad), "{bad:?}");
        }
        assert!(officer_id_ok(&"A".repeat(OFFICER_ID_MAX)));
    }

    #[test]
    fn one_priority_per_three_normal() {
        assert_eq!(run(3, 7, 3), "PNNNPNNNPN");
    }

    #[test]
    fn priority_never_starves_normal_and_normal_never_buries_priority() {
        // Many priority tickets: normal still gets its turn.
        assert_eq!(run(2, 2, 5), "PNNPPPP");
        // Many normal tickets: priority is served after at most `every` normal calls.
        let s = run(4, 20, 2);
        assert_eq!(s.find('P'), Some(0));
        assert_eq!(s[1..].find('P'), Some(4));
    }

    #[test]
    fn zero_means_priority_first() {
        assert_eq!(run(0, 2, 2), "PPNN");
    }

    #[test]
    fn empty_lanes() {
        assert_eq!(run(3, 0, 0), "");
        assert_eq!(run(3, 2, 0), "NN");
        assert_eq!(run(3, 0, 2), "PP");
    }

    #[test]
    fn calls_before_follows_the_interleave() {
        let q = Interleave::new(PriorityPolicy { every: 3 });
        // Alone in the queue: called next.
        assert_eq!(q.calls_before(Lane::Normal, 0, 0), 0);
        // Normal with 4 normal ahead and 2 priority waiting: P N N N P N, then me.
        assert_eq!(q.calls_before(Lane::Normal, 4, 2), 6);
        // Priority with 1 priority ahead and 10 normal waiting: P N N N, then me.
        assert_eq!(q.calls_before(Lane::Priority, 1, 10), 4);
        // Priority behind nobody: first.
        assert_eq!(q.calls_before(Lane::Priority, 0, 10), 0);
    }

    #[test]
    fn numbers_display_with_three_digits() {
        assert_eq!(TicketNumber::new("B", 23).to_string(), "B-023");
        assert_eq!(TicketNumber::new("A", 1234).to_string(), "A-1234");
        let offline = TicketNumber {
            group: "B".into(),
            slot: 3,
            number: 7,
        };
        assert_eq!(offline.to_string(), "B3-007");
    }

    #[test]
    fn counter_labels_are_short_words_and_numbers() {
        for ok in ["3", "12A", "Quầy 3", "B-2", "Tiếp nhận", "1234567890"] {
            assert!(counter_label_ok(ok), "{ok}");
        }
        for bad in [
            "",
            " 3",
            "3 ",
            "-3",
            "3  A",
            "12345678901",
            "3; DROP",
            "quầy số 3 xin mời tất cả",
            "3\n",
            "3\u{7}",
            "\u{202e}3",
            "<b>3</b>",
            "https://x",
        ] {
            assert!(!counter_label_ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn a_sanitized_label_is_always_a_valid_one_or_empty() {
        for raw in [
            "3",
            "  Quầy\t\t3  ",
            "3. Mời tất cả ra về ngay <script>",
            "--3--",
            "<>!?",
            "\u{202e}",
            "Qua\u{300}y 3",
            "a - b",
        ] {
            let s = sanitize_counter_label(raw);
            assert!(s.is_empty() || counter_label_ok(&s), "{raw:?} became {s:?}");
        }
        assert_eq!(sanitize_counter_label("  Quầy\t\t3  "), "Quầy 3");
        assert_eq!(sanitize_counter_label("Qua\u{300}y 3"), "Quày 3");
        assert_eq!(sanitize_counter_label("<>!?"), "");
    }
}
