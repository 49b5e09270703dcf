//! Voice calls in the hall: a chime, then "Xin mời khách hàng số B023 đến
//! quầy số 3" (and in English where configured), fully offline: the speech
//! comes from espeak-ng's Vietnamese voice on the board itself, the chime is
//! made here.
//!
//! Calls wait in a queue and are spoken one after another, never over each
//! other; the same call delivered twice is spoken once, a recall is spoken
//! again. A board without a sound device (or built without audio) works
//! silently and says so once in its log.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex};

use motcua_core::queue::sanitize_counter_label;

/// One announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Central's id of the ticket: unique, unlike its number, which comes
    /// back every day.
    pub ticket_id: i64,
    /// Which call of the ticket this is (central's count of its calls and
    /// recalls, [`motcua_api::model::QueueEvent::call`]); 0 when
    /// central does not number its calls.
    pub seq: u32,
    /// The ticket as shown, `B-023`.
    pub ticket: String,
    /// The counter's label as central sent it; only its safe part is read
    /// aloud ([`sanitize_counter_label`]).
    pub counter: String,
    /// An officer called it again.
    pub recall: bool,
}

/// The call a queue event announces, if it is one: a ticket called or
/// recalled to a counter. Keyed on central's ticket id and call number:
/// tomorrow's A-001 is another ticket, and a duplicate delivery is the
/// same call.
pub fn call_of(e: &motcua_api::model::QueueEvent) -> Option<Call> {
    if !e.kind.is_call() {
        return None;
    }
    let counter = e.ticket.counter.clone()?;
    Some(Call {
        ticket_id: e.ticket.id,
        seq: e.call,
        ticket: e.ticket.display.clone(),
        counter,
        recall: e.kind == motcua_api::model::EventKind::Recalled,
    })
}

/// Digits read one by one, as halls read ticket numbers.
fn digits_vi(s: &str) -> String {
    const WORDS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    s.chars()
        .filter_map(|c| c.to_digit(10).map(|d| WORDS[d as usize]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Longest run of letters, and of digits, read from a ticket number: a
/// number is `A-023` or `A12-007`, never a sentence.
const TICKET_LETTERS: usize = 2;
const TICKET_DIGITS: usize = 8;

fn split_ticket(ticket: &str) -> (String, String) {
    let letters: String = ticket
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .take(TICKET_LETTERS)
        .collect();
    let rest: String = ticket
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .filter(char::is_ascii_digit)
        .take(TICKET_DIGITS)
        .collect();
    (letters, rest)
}

/// "Xin mời khách hàng số B, không hai ba, đến quầy số 3". A counter label
/// with nothing safe to say leaves the counter out rather than read
/// whatever it holds.
pub fn phrase_vi(call: &Call) -> String {
    let (letters, digits) = split_ticket(&call.ticket);
    let again = if call.recall { "Xin nhắc lại. " } else { "" };
    let counter = sanitize_counter_label(&call.counter);
    let to = if counter.is_empty() {
        String::new()
    } else {
        format!(", đến quầy số {counter}")
    };
    format!("{again}Xin mời khách hàng số {letters}, {}{to}", digits_vi(&digits))
}

/// "Customer number B 0 2 3, please go to counter 3".
pub fn phrase_en(call: &Call) -> String {
    let (letters, digits) = split_ticket(&call.ticket);
    let spaced: Vec<String> = digits.chars().map(String::from).collect();
    let counter = sanitize_counter_label(&call.counter);
    let to = if counter.is_empty() {
        String::new()
    } else {
        format!(", please go to counter {counter}")
    };
    format!("Customer number {letters} {}{to}", spaced.join(" "))
}

/// A ticket number as a voice reads it: "B, không hai ba" or "B 0 2 3".
pub fn ticket_words(ticket: &str, english: bool) -> String {
    let (letters, digits) = split_ticket(ticket);
    if english {
        let spaced: Vec<String> = digits.chars().map(String::from).collect();
        format!("{letters} {}", spaced.join(" "))
    } else {
        format!("{letters}, {}", digits_vi(&digits))
    }
}

/// Calls remembered as already queued, to drop a second delivery of one:
/// a duplicate comes within moments (a replayed event, a reconnect), so a
/// window of the latest calls is enough, and the board's memory stays the
/// same after a year of calls.
pub const REMEMBERED: usize = 1024;

/// Calls waiting to be spoken at most: past that the oldest is dropped (it
/// is still on the screen; read minutes late it would only mislead).
pub const PENDING_MAX: usize = 32;

/// The calls waiting to be spoken.
#[derive(Debug, Default)]
pub struct CallQueue {
    pending: VecDeque<Call>,
    /// The latest calls queued, `(ticket id, call number)`, oldest first …
    recent: VecDeque<(i64, u32)>,
    /// … and the same as a set, to look up.
    seen: HashSet<(i64, u32)>,
}

impl CallQueue {
    /// Queues a call; returns whether it will be spoken. Each call of a
    /// ticket is spoken once however often it is delivered; a recall is a
    /// call of its own.
    pub fn push(&mut self, call: Call) -> bool {
        if self.pending.contains(&call) {
            return false;
        }
        // A call without a number (an older central) can only be told
        // apart from a duplicate while it waits.
        if call.seq != 0 {
            let key = (call.ticket_id, call.seq);
            if !self.seen.insert(key) {
                return false;
            }
            self.recent.push_back(key);
            if self.recent.len() > REMEMBERED
                && let Some(old) = self.recent.pop_front()
            {
                self.seen.remove(&old);
            }
        }
        if self.pending.len() >= PENDING_MAX {
            self.pending.pop_front();
            tracing::warn!("calls come faster than they can be spoken; the oldest waiting is not read aloud");
        }
        self.pending.push_back(call);
        true
    }

    pub fn pop(&mut self) -> Option<Call> {
        self.pending.pop_front()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// How many calls are remembered as queued (at most [`REMEMBERED`]).
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }
}

/// A little two-note chime as 16-bit mono WAV.
pub fn chime() -> Vec<u8> {
    const RATE: u32 = 22_050;
    let mut samples: Vec<i16> = Vec::new();
    for (freq, secs) in [(880.0f32, 0.28f32), (660.0, 0.42)] {
        let n = (RATE as f32 * secs) as usize;
        for i in 0..n {
            let t = i as f32 / RATE as f32;
            // A soft attack and a long decay: a bell, not a beep.
            let envelope = (t * 40.0).min(1.0) * (1.0 - i as f32 / n as f32).powi(2);
            let v = (2.0 * std::f32::consts::PI * freq * t).sin() * envelope * 0.5;
            samples.push((v * f32::from(i16::MAX)) as i16);
        }
    }
    wav(RATE, &samples)
}

/// Wraps 16-bit mono samples in a WAV header.
pub fn wav(rate: u32, samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Why a call was not spoken or not heard.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("espeak-ng could not be run: {0}")]
    Engine(#[from] std::io::Error),
    #[error("espeak-ng failed: {0}")]
    Speech(String),
    #[error("no sound output: {0}")]
    Device(String),
    #[error("the sound could not be played: {0}")]
    Play(String),
}

/// How a phrase is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prosody {
    /// Words a minute.
    pub rate: u32,
    /// Loudness, espeak-ng's amplitude: 0 to 200, 100 its default.
    pub amplitude: u32,
}

impl Prosody {
    /// The hall board's calls: slow, at espeak-ng's own loudness.
    pub const BOARD: Prosody = Prosody {
        rate: 135,
        amplitude: 100,
    };
}

/// Speech for a phrase, as WAV; an error when no speech engine is available.
pub trait Synth: Send {
    fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, VoiceError>;

    /// Speech at a given rate and loudness; an engine that cannot change
    /// them speaks as it always does.
    fn speak_as(&mut self, text: &str, lang: &str, how: Prosody) -> Result<Vec<u8>, VoiceError> {
        let _ = how;
        self.speak(text, lang)
    }
}

/// espeak-ng, run offline on the board (Debian package `espeak-ng`).
///
/// The text goes in on its standard input, never on the command line: a
/// kiosk may read a citizen's name through a headset, and a command line
/// is readable by every user of the machine (and a text starting with '-'
/// would be taken for an option).
pub struct Espeak;

impl Synth for Espeak {
    fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, VoiceError> {
        self.speak_as(text, lang, Prosody::BOARD)
    }

    fn speak_as(&mut self, text: &str, lang: &str, how: Prosody) -> Result<Vec<u8>, VoiceError> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut child = Command::new("espeak-ng")
            .args(["-v", lang, "-b", "1", "--stdout"])
            .args(["-s", &how.rate.to_string(), "-a", &how.amplitude.min(200).to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| VoiceError::Speech("no input pipe".into()))?;
        // Written from another thread: a long text fills the pipe while
        // espeak-ng waits for its output to be read.
        let out = std::thread::scope(|s| {
            let writer = s.spawn(move || {
                // A line is a sentence to espeak-ng: the text is one.
                let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                stdin.write_all(line.as_bytes())
            });
            let out = child.wait_with_output();
            let written = writer
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("writer panicked")));
            out.and_then(|o| written.map(|()| o))
        })?;
        if out.status.success() && out.stdout.starts_with(b"RIFF") {
            Ok(out.stdout)
        } else {
            Err(VoiceError::Speech(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ))
        }
    }
}

/// Raised to cut short a sound playing on another thread
/// ([`Speaker::play_until`]). Once raised it stays raised: one per sound.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<(Mutex<bool>, Condvar)>);

impl Stop {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn raise(&self) {
        let (raised, changed) = &*self.0;
        *raised.lock().unwrap_or_else(|p| p.into_inner()) = true;
        changed.notify_all();
    }

    pub fn is_raised(&self) -> bool {
        *self.0.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until it is raised, at most `limit`; whether it was.
    pub fn wait(&self, limit: std::time::Duration) -> bool {
        let (raised, changed) = &*self.0;
        let guard = raised.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = changed
            .wait_timeout_while(guard, limit, |r| !*r)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }
}

/// Where sound goes.
pub trait Speaker: Send {
    /// Plays a WAV to its end.
    fn play(&mut self, wav: &[u8]) -> Result<(), VoiceError>;

    /// Plays a WAV to its end or until `stop` is raised, whichever comes
    /// first. A speaker that cannot be cut short plays it to its end.
    fn play_until(&mut self, wav: &[u8], stop: &Stop) -> Result<(), VoiceError> {
        if stop.is_raised() {
            return Ok(());
        }
        self.play(wav)
    }
}

/// No sound device: calls are shown, not heard.
pub struct Silent;

impl Speaker for Silent {
    fn play(&mut self, _: &[u8]) -> Result<(), VoiceError> {
        Ok(())
    }
}

#[cfg(feature = "audio")]
mod device {
    /// The default sound output, through rodio.
    pub struct Device {
        _stream: rodio::OutputStream,
        sink: rodio::Sink,
    }

    impl Device {
        pub fn open() -> Result<Self, super::VoiceError> {
            let stream = rodio::OutputStreamBuilder::open_default_stream()
                .map_err(|e| super::VoiceError::Device(e.to_string()))?;
            let sink = rodio::Sink::connect_new(stream.mixer());
            Ok(Self { _stream: stream, sink })
        }
    }

    impl super::Speaker for Device {
        fn play(&mut self, wav: &[u8]) -> Result<(), super::VoiceError> {
            let source = rodio::Decoder::new(std::io::Cursor::new(wav.to_vec()))
                .map_err(|e| super::VoiceError::Play(e.to_string()))?;
            self.sink.append(source);
            self.sink.sleep_until_end();
            Ok(())
        }

        fn play_until(&mut self, wav: &[u8], stop: &super::Stop) -> Result<(), super::VoiceError> {
            use rodio::Source;
            if stop.is_raised() {
                return Ok(());
            }
            let source = rodio::Decoder::new(std::io::Cursor::new(wav.to_vec()))
                .map_err(|e| super::VoiceError::Play(e.to_string()))?;
            // The stop is looked at every 20 ms while the sound plays: it
            // ends within a syllable of being raised.
            let stop = stop.clone();
            let source = source
                .stoppable()
                .periodic_access(std::time::Duration::from_millis(20), move |s| {
                    if stop.is_raised() {
                        s.stop();
                    }
                });
            self.sink.append(source);
            self.sink.sleep_until_end();
            Ok(())
        }
    }
}

/// The sound output of this machine; an error without one, or when built
/// without audio.
pub fn open_speaker() -> Result<Box<dyn Speaker>, VoiceError> {
    #[cfg(feature = "audio")]
    return device::Device::open().map(|d| Box::new(d) as Box<dyn Speaker>);
    #[cfg(not(feature = "audio"))]
    Err(VoiceError::Device("built without audio output".into()))
}

/// The sound output of this machine, or silence (said once in the log).
pub fn default_speaker() -> Box<dyn Speaker> {
    match open_speaker() {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "no sound device: calls are shown, not heard");
            Box::new(Silent)
        }
    }
}

/// Speaks queued calls one after another on its own thread.
#[derive(Clone)]
pub struct Announcer {
    queue: Arc<(Mutex<CallQueue>, Condvar)>,
}

impl Announcer {
    /// Starts the speaking thread. `english` adds the English phrase.
    pub fn start(mut synth: Box<dyn Synth>, mut speaker: Box<dyn Speaker>, english: bool) -> Self {
        let queue: Arc<(Mutex<CallQueue>, Condvar)> = Arc::default();
        let q = queue.clone();
        std::thread::Builder::new()
            .name("motcua-voice".into())
            .spawn(move || {
                let chime = chime();
                let mut speech_failed = false;
                loop {
                    let call = {
                        let (lock, ready) = &*q;
                        let mut pending = lock.lock().unwrap_or_else(|p| p.into_inner());
                        loop {
                            if let Some(c) = pending.pop() {
                                break c;
                            }
                            pending = ready.wait(pending).unwrap_or_else(|p| p.into_inner());
                        }
                    };
                    let _ = speaker.play(&chime);
                    let mut phrases = vec![(phrase_vi(&call), "vi")];
                    if english {
                        phrases.push((phrase_en(&call), "en"));
                    }
                    for (text, lang) in phrases {
                        match synth.speak(&text, lang) {
                            Ok(wav) => {
                                let _ = speaker.play(&wav);
                            }
                            Err(e) if !speech_failed => {
                                speech_failed = true;
                                tracing::warn!(error = %e, "no speech: calls get the chime only");
                            }
                            Err(_) => {}
                        }
                    }
                }
            })
            .expect("a thread");
        Self { queue }
    }

    /// Queues a call to be announced.
    pub fn announce(&self, call: Call) {
        let (lock, ready) = &*self.queue;
        if lock.lock().unwrap_or_else(|p| p.into_inner()).push(call) {
            ready.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::time::Duration;

    /// A call of ticket `id`, its `seq`-th.
    fn call_of(id: i64, seq: u32, t: &str, c: &str) -> Call {
        Call {
            ticket_id: id,
            seq,
            ticket: t.into(),
            counter: c.into(),
            recall: seq > 1,
        }
    }

    fn call(t: &str, c: &str, recall: bool) -> Call {
        Call {
            ticket_id: 1,
            seq: if recall { 2 } else { 1 },
            ticket: t.into(),
            counter: c.into(),
            recall,
        }
    }

    #[test]
    fn phrases_read_the_number_digit_by_digit() {
        assert_eq!(
            phrase_vi(&call("B-023", "3", false)),
            "Xin mời khách hàng số B, không hai ba, đến quầy số 3"
        );
        assert_eq!(
            phrase_vi(&call("A2-007", "1", true)),
            "Xin nhắc lại. Xin mời khách hàng số A, hai không không bảy, đến quầy số 1"
        );
        assert_eq!(
            phrase_en(&call("B-023", "3", false)),
            "Customer number B 0 2 3, please go to counter 3"
        );
    }

    #[test]
    fn a_counter_label_is_read_only_as_far_as_it_is_safe() {
        assert_eq!(
            phrase_vi(&call("B-023", "Quầy 12A", false)),
            "Xin mời khách hàng số B, không hai ba, đến quầy số Quầy 12A"
        );
        // A sentence, markup and control characters: cut to ten safe letters.
        let said = phrase_vi(&call("B-023", "3. Mời tất cả ra về ngay <script>\u{7}\n", false));
        assert_eq!(said, "Xin mời khách hàng số B, không hai ba, đến quầy số 3 Mời tất");
        // Nothing safe: the counter is left out, not read.
        assert_eq!(
            phrase_vi(&call("B-023", "<>!?", false)),
            "Xin mời khách hàng số B, không hai ba"
        );
        assert_eq!(phrase_en(&call("B-023", "\u{202e}", false)), "Customer number B 0 2 3");
        // A ticket number is letters and digits, never a speech.
        assert_eq!(
            phrase_vi(&call("ABCDEFG-1234567890123", "1", false)),
            "Xin mời khách hàng số AB, một hai ba bốn năm sáu bảy tám, đến quầy số 1"
        );
    }

    #[test]
    fn calls_keep_their_order_duplicates_are_dropped_recalls_are_spoken_again() {
        let mut q = CallQueue::default();
        assert!(q.push(call_of(1, 1, "A-001", "1")));
        assert!(q.push(call_of(2, 1, "B-001", "2")));
        // The same event delivered twice (a reconnect): once.
        assert!(!q.push(call_of(1, 1, "A-001", "1")));
        assert_eq!(q.pop(), Some(call_of(1, 1, "A-001", "1")));
        // Already announced: a late duplicate is still dropped …
        assert!(!q.push(call_of(1, 1, "A-001", "1")));
        // … but a recall is spoken again, once.
        assert!(q.push(call_of(1, 2, "A-001", "1")));
        assert!(!q.push(call_of(1, 2, "A-001", "1")));
        assert_eq!(q.pop(), Some(call_of(2, 1, "B-001", "2")));
        assert_eq!(q.pop(), Some(call_of(1, 2, "A-001", "1")));
        assert!(q.is_empty());
        assert!(!q.push(call_of(1, 2, "A-001", "1")), "a duplicate after it was spoken");
        // Another recall is spoken too.
        assert!(q.push(call_of(1, 3, "A-001", "1")));
        // The ticket sent on and called at another counter is a new call.
        assert!(q.push(call_of(1, 4, "A-001", "4")));
        assert_eq!(q.len(), 2);
    }

    #[test]
    fn tomorrows_a001_at_counter_1_is_spoken_like_todays() {
        let mut q = CallQueue::default();
        // Day 1: ticket 17 is A-001, called to counter 1.
        assert!(q.push(call_of(17, 1, "A-001", "1")));
        assert!(q.pop().is_some());
        // Day 2: numbering starts again; A-001 is ticket 912, same counter.
        assert!(
            q.push(call_of(912, 1, "A-001", "1")),
            "the same number at the same counter on another day is a new call"
        );
        assert_eq!(q.pop().map(|c| c.ticket_id), Some(912));
    }

    #[test]
    fn memory_stays_bounded_after_a_hundred_thousand_calls() {
        let mut q = CallQueue::default();
        for id in 0..100_000i64 {
            assert!(q.push(call_of(id, 1, "A-001", "1")));
            // The speaker keeps up with every other call only.
            if id % 2 == 0 {
                q.pop();
            }
        }
        assert!(q.remembered() <= REMEMBERED, "{}", q.remembered());
        assert!(q.len() <= PENDING_MAX, "{}", q.len());
        // The latest are still known as spoken.
        assert!(!q.push(call_of(99_999, 1, "A-001", "1")));
        // The oldest waiting went first: what is left is the newest.
        let mut last = 0;
        while let Some(c) = q.pop() {
            last = c.ticket_id;
        }
        assert_eq!(last, 99_999);
    }

    #[test]
    fn calls_from_a_central_that_does_not_number_them_are_still_spoken() {
        let mut q = CallQueue::default();
        assert!(q.push(call_of(5, 0, "A-001", "1")));
        assert!(!q.push(call_of(5, 0, "A-001", "1")), "while it waits");
        q.pop();
        assert!(q.push(call_of(5, 0, "A-001", "1")));
        assert_eq!(q.remembered(), 0);
    }

    /// Passes on what would be heard, in order.
    struct Recorder(std::sync::mpsc::Sender<String>);

    impl Speaker for Recorder {
        fn play(&mut self, wav: &[u8]) -> Result<(), VoiceError> {
            let what = if wav == chime().as_slice() {
                "chime".to_string()
            } else {
                String::from_utf8_lossy(&wav[44..]).into_owned()
            };
            let _ = self.0.send(what);
            Ok(())
        }
    }

    struct TextSynth;

    impl Synth for TextSynth {
        fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, VoiceError> {
            let mut wav = wav(22_050, &[]);
            wav.extend_from_slice(format!("{lang}:{text}").as_bytes());
            Ok(wav)
        }
    }

    #[test]
    fn the_announcer_speaks_each_call_after_a_chime_one_at_a_time() {
        let (tx, rx) = std::sync::mpsc::channel();
        let a = Announcer::start(Box::new(TextSynth), Box::new(Recorder(tx)), true);
        a.announce(call_of(1, 1, "A-001", "1"));
        // Delivered twice: dropped when queued, so exactly six sounds follow.
        a.announce(call_of(1, 1, "A-001", "1"));
        a.announce(call_of(2, 1, "B-002", "2"));
        let heard: Vec<String> = (0..6)
            .map(|_| rx.recv_timeout(Duration::from_secs(20)).expect("a sound"))
            .collect();
        assert_eq!(heard[0], "chime");
        assert!(
            heard[1].starts_with("vi:Xin mời khách hàng số A, không không một"),
            "{heard:?}"
        );
        assert!(heard[2].starts_with("en:Customer number A 0 0 1"), "{heard:?}");
        assert_eq!(heard[3], "chime");
        assert!(heard[4].contains("số B, không không hai, đến quầy số 2"), "{heard:?}");
        assert!(heard[5].starts_with("en:Customer number B 0 0 2"), "{heard:?}");
    }

    #[test]
    fn the_chime_is_a_valid_wav() {
        let w = chime();
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(&w[8..16], b"WAVEfmt ");
        assert_eq!(u32::from_le_bytes(w[40..44].try_into().unwrap()) as usize, w.len() - 44);
    }
}
