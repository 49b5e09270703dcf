//! Voice calls in the hall: a chime, then "Xin mời khách hàng số B023 đến
//! quầy số 3" (and in English where configured), fully offline: the speech
//! comes from espeak-ng's Vietnamese voice on the board itself, the chime is
//! made here.
//!
//! Calls wait in a queue and are spoken one after another, never over each
//! other; the same call delivered twice is spoken once, a recall is spoken
//! again. A board without a sound device (or built without audio) works
//! silently and says so once in its log.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};

/// One announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The ticket as shown, `B-023`.
    pub ticket: String,
    pub counter: String,
    /// An officer called it again.
    pub recall: bool,
}

/// Digits read one by one, as halls read ticket numbers.
fn digits_vi(s: &str) -> String {
    const WORDS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    s.chars()
        .filter_map(|c| c.to_digit(10).map(|d| WORDS[d as usize]))
        .collect::<Vec<_>>()
        .join(" ")
}

fn split_ticket(ticket: &str) -> (String, String) {
    let letters: String = ticket.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let rest: String = ticket
        .chars()
        .skip(letters.len())
        .filter(char::is_ascii_digit)
        .collect();
    (letters, rest)
}

/// "Xin mời khách hàng số B, không hai ba, đến quầy số 3".
pub fn phrase_vi(call: &Call) -> String {
    let (letters, digits) = split_ticket(&call.ticket);
    let again = if call.recall { "Xin nhắc lại. " } else { "" };
    format!(
        "{again}Xin mời khách hàng số {letters}, {}, đến quầy số {}",
        digits_vi(&digits),
        call.counter
    )
}

/// "Customer number B 0 2 3, please go to counter 3".
pub fn phrase_en(call: &Call) -> String {
    let (letters, digits) = split_ticket(&call.ticket);
    let spaced: Vec<String> = digits.chars().map(String::from).collect();
    format!(
        "Customer number {letters} {}, please go to counter {}",
        spaced.join(" "),
        call.counter
    )
}

/// The calls waiting to be spoken.
#[derive(Debug, Default)]
pub struct CallQueue {
    pending: VecDeque<Call>,
    /// Tickets whose first call was already queued (a duplicate delivery of
    /// the same event must not be spoken twice).
    called: std::collections::HashSet<(String, String)>,
}

impl CallQueue {
    /// Queues a call; returns whether it will be spoken.
    pub fn push(&mut self, call: Call) -> bool {
        if self.pending.contains(&call) {
            return false;
        }
        if !call.recall && !self.called.insert((call.ticket.clone(), call.counter.clone())) {
            return false;
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

/// Speech for a phrase, as WAV; None when no speech engine is available.
pub trait Synth: Send {
    fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, String>;
}

/// espeak-ng, run offline on the board (Debian package `espeak-ng`).
pub struct Espeak;

impl Synth for Espeak {
    fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("espeak-ng")
            .args(["-v", lang, "-s", "135", "--stdout", text])
            .output()
            .map_err(|e| format!("espeak-ng: {e}"))?;
        if out.status.success() && out.stdout.starts_with(b"RIFF") {
            Ok(out.stdout)
        } else {
            Err(format!(
                "espeak-ng failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }
}

/// Where sound goes.
pub trait Speaker: Send {
    /// Plays a WAV to its end.
    fn play(&mut self, wav: &[u8]) -> Result<(), String>;
}

/// No sound device: calls are shown, not heard.
pub struct Silent;

impl Speaker for Silent {
    fn play(&mut self, _: &[u8]) -> Result<(), String> {
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
        pub fn open() -> Result<Self, String> {
            let stream = rodio::OutputStreamBuilder::open_default_stream().map_err(|e| e.to_string())?;
            let sink = rodio::Sink::connect_new(stream.mixer());
            Ok(Self { _stream: stream, sink })
        }
    }

    impl super::Speaker for Device {
        fn play(&mut self, wav: &[u8]) -> Result<(), String> {
            let source = rodio::Decoder::new(std::io::Cursor::new(wav.to_vec())).map_err(|e| e.to_string())?;
            self.sink.append(source);
            self.sink.sleep_until_end();
            Ok(())
        }
    }
}

/// The sound output of this machine, or silence (said once in the log).
pub fn default_speaker() -> Box<dyn Speaker> {
    #[cfg(feature = "audio")]
    match device::Device::open() {
        Ok(d) => return Box::new(d),
        Err(e) => tracing::warn!(error = %e, "no sound device: calls are shown, not heard"),
    }
    #[cfg(not(feature = "audio"))]
    tracing::warn!("built without audio output: calls are shown, not heard");
    Box::new(Silent)
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

    fn call(t: &str, c: &str, recall: bool) -> Call {
        Call {
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
    fn calls_keep_their_order_duplicates_are_dropped_recalls_are_spoken_again() {
        let mut q = CallQueue::default();
        assert!(q.push(call("A-001", "1", false)));
        assert!(q.push(call("B-001", "2", false)));
        // The same event delivered twice (a reconnect): once.
        assert!(!q.push(call("A-001", "1", false)));
        assert_eq!(q.pop(), Some(call("A-001", "1", false)));
        // Already announced: a late duplicate is still dropped …
        assert!(!q.push(call("A-001", "1", false)));
        // … but a recall is spoken again, once while it waits.
        assert!(q.push(call("A-001", "1", true)));
        assert!(!q.push(call("A-001", "1", true)));
        assert_eq!(q.pop(), Some(call("B-001", "2", false)));
        assert_eq!(q.pop(), Some(call("A-001", "1", true)));
        assert!(q.is_empty());
        // After it was spoken, another recall is spoken too.
        assert!(q.push(call("A-001", "1", true)));
        // The same ticket sent to another counter is a new call.
        assert!(q.push(call("A-001", "4", false)));
        assert_eq!(q.len(), 2);
    }

    /// Passes on what would be heard, in order.
    struct Recorder(std::sync::mpsc::Sender<String>);

    impl Speaker for Recorder {
        fn play(&mut self, wav: &[u8]) -> Result<(), String> {
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
        fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, String> {
            let mut wav = wav(22_050, &[]);
            wav.extend_from_slice(format!("{lang}:{text}").as_bytes());
            Ok(wav)
        }
    }

    #[test]
    fn the_announcer_speaks_each_call_after_a_chime_one_at_a_time() {
        let (tx, rx) = std::sync::mpsc::channel();
        let a = Announcer::start(Box::new(TextSynth), Box::new(Recorder(tx)), true);
        a.announce(call("A-001", "1", false));
        // Delivered twice: dropped when queued, so exactly six sounds follow.
        a.announce(call("A-001", "1", false));
        a.announce(call("B-002", "2", false));
        let heard: Vec<String> = (0..6)
            .map(|_| rx.recv_timeout(std::time::Duration::from_secs(20)).expect("a sound"))
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
