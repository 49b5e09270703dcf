//! The kiosk's voice (`motcua::speech`): real speech from espeak-ng
//! (`scripts/test` installs it), and the voice's rules — the latest
//! utterance wins, personal data through a headset only, the volume steps
//! and comes back — with a synth and a speaker of our own that say what
//! they were asked to do.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use motcua::i18n::Lang;
use motcua::speech::{Fixed, Headset, Settings, Utterance, Voice, amplitude, fix_wav_lengths};
use motcua::voice::{Espeak, Prosody, Speaker, Stop, Synth, VoiceError, wav};

/// How long a test waits for the voice's thread before it fails (a bound
/// on a hang, not a pause: every wait below ends on an event).
const LIMIT: Duration = Duration::from_secs(30);

const VI: &str = "Xin mời chọn dịch vụ. Có bốn lựa chọn.";
const EN: &str = "Please choose a service. There are four choices.";

/// A 16-bit PCM WAV, read by hand from its header.
struct Pcm {
    rate: u32,
    channels: u16,
    bits: u16,
    /// What the data chunk's header says it holds, in bytes.
    declared: u32,
    samples: Vec<i16>,
}

impl Pcm {
    fn parse(w: &[u8]) -> Pcm {
        assert!(w.len() >= 44, "{} bytes", w.len());
        assert_eq!(&w[0..4], b"RIFF");
        assert_eq!(&w[8..16], b"WAVEfmt ");
        let u16_at = |i: usize| u16::from_le_bytes([w[i], w[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([w[i], w[i + 1], w[i + 2], w[i + 3]]);
        assert_eq!(u32_at(16), 16, "a plain PCM format chunk");
        assert_eq!(u16_at(20), 1, "PCM");
        assert_eq!(&w[36..40], b"data");
        let samples = w[44..]
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        Pcm {
            rate: u32_at(24),
            channels: u16_at(22),
            bits: u16_at(34),
            declared: u32_at(40),
            samples,
        }
    }

    fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.rate)
    }

    fn peak(&self) -> i32 {
        self.samples.iter().map(|s| i32::from(*s).abs()).max().unwrap_or(0)
    }

    fn rms(&self) -> f64 {
        let sum: f64 = self.samples.iter().map(|s| f64::from(*s).powi(2)).sum();
        (sum / self.samples.len().max(1) as f64).sqrt()
    }
}

fn espeak(text: &str, lang: Lang, how: Prosody) -> Pcm {
    let mut wav = Espeak
        .speak_as(text, lang.code(), how)
        .unwrap_or_else(|e| panic!("espeak-ng is installed (scripts/test installs it): {e}"));
    fix_wav_lengths(&mut wav);
    Pcm::parse(&wav)
}

fn kiosk() -> Prosody {
    let s = Settings::default();
    Prosody {
        rate: s.rate,
        amplitude: amplitude(s.volume),
    }
}

#[test]
fn a_vietnamese_and_an_english_sentence_are_heard_at_a_plausible_length() {
    for (text, lang) in [(VI, Lang::Vi), (EN, Lang::En)] {
        let pcm = espeak(text, lang, kiosk());
        assert_eq!((pcm.channels, pcm.bits), (1, 16), "{lang:?}");
        assert!((8_000..=48_000).contains(&pcm.rate), "{lang:?}: {} Hz", pcm.rate);
        // The header says how long it is, not espeak-ng's "2 GB to come".
        assert_eq!(pcm.declared as usize, pcm.samples.len() * 2, "{lang:?}");
        // Two short sentences at a slow rate: seconds, not a blip or a minute.
        let secs = pcm.seconds();
        assert!((1.0..=8.0).contains(&secs), "{lang:?}: {secs:.2} s");
        // Speech, not silence.
        assert!(pcm.peak() > 4_000, "{lang:?}: peak {}", pcm.peak());
        assert!(pcm.rms() > 500.0, "{lang:?}: rms {:.0}", pcm.rms());
    }
}

#[test]
fn a_longer_text_is_longer_and_a_slower_rate_slower() {
    let one = espeak(VI, Lang::Vi, kiosk()).seconds();
    let three = espeak(&[VI, VI, VI].join(" "), Lang::Vi, kiosk()).seconds();
    assert!(three > one * 2.0, "{one:.2} s, then {three:.2} s");
    let fast = espeak(VI, Lang::Vi, Prosody { rate: 220, ..kiosk() }).seconds();
    let slow = espeak(VI, Lang::Vi, Prosody { rate: 100, ..kiosk() }).seconds();
    assert!(
        slow > fast * 1.5,
        "{fast:.2} s at 220, {slow:.2} s at 100 words a minute"
    );
}

#[test]
fn the_volume_steps_are_heard() {
    let soft = espeak(
        EN,
        Lang::En,
        Prosody {
            amplitude: amplitude(2),
            ..kiosk()
        },
    );
    let loud = espeak(
        EN,
        Lang::En,
        Prosody {
            amplitude: amplitude(5),
            ..kiosk()
        },
    );
    assert!(
        loud.rms() > soft.rms() * 1.8,
        "{:.0} then {:.0}",
        soft.rms(),
        loud.rms()
    );
}

#[test]
fn the_language_picks_the_voice() {
    let vi = espeak("Xin mời", Lang::Vi, kiosk()).samples;
    let en = espeak("Xin mời", Lang::En, kiosk()).samples;
    // (Compared without printing: a mismatch would print every sample.)
    assert!(vi != en, "the same letters read by another voice: the same sound");
}

/// What the fakes report, in the order it happened.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    /// The headset was asked whether it is plugged in.
    Asked,
    /// Speech was made for `text` at `amplitude`.
    Made { text: String, amplitude: u32 },
    /// A sound started playing.
    Started(String),
    /// It ended; `cut` if its stop was raised.
    Ended { text: String, cut: bool },
}

/// Makes a "WAV" that carries its text after the header; with a gate, waits
/// for the test before it returns.
struct Words {
    events: Sender<Event>,
    gate: Option<Receiver<()>>,
}

impl Synth for Words {
    fn speak(&mut self, text: &str, lang: &str) -> Result<Vec<u8>, VoiceError> {
        self.speak_as(text, lang, Prosody::BOARD)
    }

    fn speak_as(&mut self, text: &str, lang: &str, how: Prosody) -> Result<Vec<u8>, VoiceError> {
        let _ = self.events.send(Event::Made {
            text: text.to_string(),
            amplitude: how.amplitude,
        });
        if let Some(gate) = &self.gate {
            gate.recv_timeout(LIMIT).expect("the test lets the synth go on");
        }
        let mut w = wav(22_050, &[]);
        w.extend_from_slice(format!("{lang}:{text}").as_bytes());
        Ok(w)
    }
}

/// Plays the carried text: says when it starts and ends; with a gate, plays
/// until the test lets it end.
struct Ear {
    events: Sender<Event>,
    gate: Option<Receiver<()>>,
}

impl Speaker for Ear {
    fn play(&mut self, wav: &[u8]) -> Result<(), VoiceError> {
        self.play_until(wav, &Stop::new())
    }

    fn play_until(&mut self, wav: &[u8], stop: &Stop) -> Result<(), VoiceError> {
        let text = String::from_utf8_lossy(&wav[44..]).into_owned();
        let _ = self.events.send(Event::Started(text.clone()));
        if let Some(gate) = &self.gate {
            gate.recv_timeout(LIMIT).expect("the test lets the sound end");
        }
        let _ = self.events.send(Event::Ended {
            text,
            cut: stop.is_raised(),
        });
        Ok(())
    }
}

/// A headset the test plugs in and out; says when it is asked.
struct Jack {
    events: Sender<Event>,
    plugged: Arc<AtomicBool>,
}

impl Headset for Jack {
    fn plugged_in(&mut self) -> bool {
        let _ = self.events.send(Event::Asked);
        self.plugged.load(Ordering::SeqCst)
    }
}

/// A voice on the fakes, and what they report.
struct Rig {
    voice: Voice,
    events: Receiver<Event>,
    /// Lets a gated synth or speaker go on, once per send.
    synth_gate: Sender<()>,
    ear_gate: Sender<()>,
    plugged: Arc<AtomicBool>,
}

impl Rig {
    fn new(gated_synth: bool, gated_ear: bool) -> Rig {
        let (tx, events) = channel();
        let (synth_gate, synth_rx) = channel();
        let (ear_gate, ear_rx) = channel();
        let plugged = Arc::new(AtomicBool::new(false));
        let voice = Voice::start(
            Box::new(Words {
                events: tx.clone(),
                gate: gated_synth.then_some(synth_rx),
            }),
            Box::new(Ear {
                events: tx.clone(),
                gate: gated_ear.then_some(ear_rx),
            }),
            Box::new(Jack {
                events: tx,
                plugged: plugged.clone(),
            }),
            Settings { volume: 4, rate: 145 },
        );
        Rig {
            voice,
            events,
            synth_gate,
            ear_gate,
            plugged,
        }
    }

    fn next(&self) -> Event {
        self.events.recv_timeout(LIMIT).expect("the voice goes on")
    }

    /// The next event of the speaker.
    fn next_heard(&self) -> Event {
        loop {
            if let e @ (Event::Started(_) | Event::Ended { .. }) = self.next() {
                return e;
            }
        }
    }

    /// Everything reported until the voice is quiet.
    fn until_quiet(&self) -> Vec<Event> {
        assert!(self.voice.wait_until_quiet(LIMIT), "the voice comes to rest");
        self.events.try_iter().collect()
    }
}

fn vi(text: &str) -> Utterance {
    Utterance::public(text, Lang::Vi)
}

fn ended(text: &str, cut: bool) -> Event {
    Event::Ended {
        text: text.to_string(),
        cut,
    }
}

fn started(text: &str) -> Event {
    Event::Started(text.to_string())
}

#[test]
fn the_latest_utterance_cuts_the_playing_one_and_replaces_the_waiting_one() {
    let rig = Rig::new(false, true);
    rig.voice.say(vi("Dịch vụ một"));
    assert_eq!(rig.next_heard(), started("vi:Dịch vụ một"));
    // Focus moves twice while it plays.
    rig.voice.say(vi("Dịch vụ hai"));
    rig.voice.say(Utterance::public("Service three", Lang::En));
    rig.ear_gate.send(()).unwrap();
    assert_eq!(rig.next_heard(), ended("vi:Dịch vụ một", true), "cut short");
    // "hai" was replaced before it was played: the latest comes next.
    assert_eq!(rig.next_heard(), started("en:Service three"));
    rig.ear_gate.send(()).unwrap();
    assert_eq!(rig.next_heard(), ended("en:Service three", false), "played to its end");
    let rest = rig.until_quiet();
    assert!(rest.is_empty(), "{rest:?}");
}

#[test]
fn an_utterance_replaced_while_it_is_made_is_never_played() {
    let rig = Rig::new(true, false);
    rig.voice.say(vi("Dịch vụ một"));
    assert!(matches!(rig.next(), Event::Made { text, .. } if text == "Dịch vụ một"));
    rig.voice.say(vi("Dịch vụ hai"));
    rig.synth_gate.send(()).unwrap();
    rig.synth_gate.send(()).unwrap();
    assert_eq!(
        rig.until_quiet(),
        [
            Event::Made {
                text: "Dịch vụ hai".into(),
                amplitude: 100
            },
            started("vi:Dịch vụ hai"),
            ended("vi:Dịch vụ hai", false),
        ]
    );
}

#[test]
fn personal_data_is_spoken_through_a_headset_only() {
    let rig = Rig::new(false, false);
    let name = || {
        Utterance::personal(
            "Họ tên Nguyễn Văn An",
            Lang::Vi,
            Some("Thông tin của bạn ở trên màn hình".into()),
        )
    };
    // No headset: the neutral text, never the name.
    rig.voice.say(name());
    let heard = rig.until_quiet();
    assert_eq!(heard[0], Event::Asked, "{heard:?}");
    assert!(
        heard.contains(&started("vi:Thông tin của bạn ở trên màn hình")),
        "{heard:?}"
    );
    assert!(!format!("{heard:?}").contains("Nguyễn"), "{heard:?}");
    // Nothing neutral to say: nothing at all.
    rig.voice
        .say(Utterance::personal("Số định danh 001090001234", Lang::Vi, None));
    assert_eq!(rig.until_quiet(), [Event::Asked]);
    // A headset plugged in: the name, through it.
    rig.plugged.store(true, Ordering::SeqCst);
    rig.voice.say(name());
    let heard = rig.until_quiet();
    assert_eq!(heard[0], Event::Asked, "{heard:?}");
    assert!(heard.contains(&started("vi:Họ tên Nguyễn Văn An")), "{heard:?}");
    // Public text does not ask the headset.
    rig.voice.say(vi("Xin mời chọn dịch vụ"));
    assert!(!rig.until_quiet().contains(&Event::Asked));
}

#[test]
fn the_volume_steps_within_its_range_and_reset_restores_it_and_silences() {
    let rig = Rig::new(false, true);
    let made_at = |rig: &Rig| loop {
        if let Event::Made { amplitude, .. } = rig.next() {
            return amplitude;
        }
    };
    assert_eq!(rig.voice.volume(), 4);
    assert_eq!(rig.voice.louder(), 5);
    assert_eq!(rig.voice.louder(), 6);
    assert_eq!(rig.voice.louder(), 6, "the loudest step stays");
    rig.voice.say(vi("to"));
    assert_eq!(made_at(&rig), amplitude(6));
    assert_eq!(rig.next_heard(), started("vi:to"));
    for _ in 0..10 {
        rig.voice.softer();
    }
    assert_eq!(rig.voice.volume(), 1, "the softest step stays");
    // The citizen leaves while it plays, and the next focus waits.
    rig.voice.say(vi("nhỏ"));
    rig.voice.reset();
    assert_eq!(rig.voice.volume(), 4);
    rig.ear_gate.send(()).unwrap();
    assert_eq!(rig.next_heard(), ended("vi:to", true), "cut short");
    // Nothing left to say: "nhỏ" was dropped with the citizen.
    assert_eq!(rig.until_quiet(), []);
    rig.voice.say(vi("mới"));
    assert_eq!(made_at(&rig), amplitude(4), "the next citizen hears the default");
    rig.ear_gate.send(()).unwrap();
    assert_eq!(rig.next_heard(), started("vi:mới"));
}

#[test]
fn a_voice_let_go_stops_what_it_plays() {
    let rig = Rig::new(false, true);
    rig.voice.say(vi("Dịch vụ một"));
    assert_eq!(rig.next_heard(), started("vi:Dịch vụ một"));
    let Rig {
        voice,
        events,
        ear_gate,
        ..
    } = rig;
    drop(voice);
    ear_gate.send(()).unwrap();
    let ended_ = loop {
        if let e @ Event::Ended { .. } = events.recv_timeout(LIMIT).unwrap() {
            break e;
        }
    };
    assert_eq!(ended_, ended("vi:Dịch vụ một", true));
}

/// Keeps what it is given to play.
struct Capture(Sender<Vec<u8>>);

impl Speaker for Capture {
    fn play(&mut self, wav: &[u8]) -> Result<(), VoiceError> {
        let _ = self.0.send(wav.to_vec());
        Ok(())
    }
}

#[test]
fn the_kiosk_voice_hands_the_speaker_a_whole_wav_with_its_true_length() {
    let (tx, rx) = channel();
    let voice = Voice::start(
        Box::new(Espeak),
        Box::new(Capture(tx)),
        Box::new(Fixed(false)),
        Settings::default(),
    );
    voice.say(Utterance::public(VI, Lang::Vi));
    let pcm = Pcm::parse(&rx.recv_timeout(LIMIT).expect("a sound"));
    assert_eq!(pcm.declared as usize, pcm.samples.len() * 2);
    assert!((1.0..=8.0).contains(&pcm.seconds()), "{:.2} s", pcm.seconds());
    assert!(pcm.peak() > 4_000, "peak {}", pcm.peak());
}

#[test]
fn the_kiosk_speaks_its_screens_and_types_a_lookup_code_into_the_hall_only_as_a_notice() {
    let rig = Rig::new(false, false);
    let mut h = super::kiosk_ui::Harness::new(motcua::ui::app::PORTRAIT);
    h.kiosk.voice = Some(rig.voice.clone());
    h.tap("speech");
    h.tap("lookup");
    h.tap("lookup-secret");
    h.tap("key-7");
    let made: Vec<String> = rig
        .until_quiet()
        .into_iter()
        .filter_map(|e| match e {
            Event::Made { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert!(made.iter().any(|t| t.starts_with("Tra cứu hồ sơ")), "{made:?}");
    assert!(
        made.iter().any(|t| t == "Đang nhập mã, chỉ đọc qua tai nghe."),
        "the hall hears that a code is typed: {made:?}"
    );
    assert!(
        !made.iter().any(|t| t.contains("Mã tra cứu: 7")),
        "the lookup code never reaches the hall's speaker: {made:?}"
    );
    // With a headset the citizen hears what they type.
    rig.plugged.store(true, Ordering::SeqCst);
    h.tap("key-8");
    let made: Vec<Event> = rig.until_quiet();
    assert!(
        made.iter()
            .any(|e| matches!(e, Event::Made { text, .. } if text.contains("Mã tra cứu: 78"))),
        "{made:?}"
    );
}
