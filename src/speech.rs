//! The citizen kiosk's voice in speech mode: what is in focus, read aloud
//! by espeak-ng on the kiosk itself (Vietnamese `vi`, English `en`), the
//! same engine and sound output as the hall board's calls ([`crate::voice`]).
//!
//! Focus moves fast on a keypad, so the latest utterance wins: it replaces
//! the one waiting and cuts short the one playing; the citizen hears what
//! is in focus now, not a backlog. The citizen steps the volume up or down;
//! [`Voice::reset`] brings it back and silences the kiosk when they leave.
//!
//! Personal data (a name, an address, an ID number) is spoken through a
//! headset only, never through the speaker for the hall to hear: without a
//! headset plugged in a personal utterance is replaced by its neutral
//! text, or dropped. The voice never logs what it says, only how long it
//! is.
//!
//! Everything runs on the voice's own thread: [`Voice`]'s methods take a
//! lock for a moment and return, so the UI thread never waits for speech.

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

use crate::config::{HeadsetMode, Kiosk, SPEECH_VOLUME_STEPS};
use crate::i18n::Lang;
use crate::voice::{Espeak, Prosody, Speaker, Stop, Synth, VoiceError};

/// Something to say.
#[derive(Clone, PartialEq, Eq)]
pub struct Utterance {
    pub text: String,
    pub lang: Lang,
    /// `text` holds personal data: spoken through a headset only.
    pub personal: bool,
    /// Said instead of a personal `text` when no headset is plugged in
    /// ("Your details are on the screen"); without it nothing is said.
    pub public_text: Option<String>,
}

impl Utterance {
    /// Text anyone in the hall may hear.
    pub fn public(text: impl Into<String>, lang: Lang) -> Self {
        Self {
            text: text.into(),
            lang,
            personal: false,
            public_text: None,
        }
    }

    /// Text with personal data, and what to say instead without a headset.
    pub fn personal(text: impl Into<String>, lang: Lang, public_text: Option<String>) -> Self {
        Self {
            text: text.into(),
            lang,
            personal: true,
            public_text,
        }
    }

    /// What is said aloud: `text`, unless it is personal and no headset is
    /// plugged in. The headset is asked only for personal text.
    pub fn to_say(&self, headset: &mut dyn Headset) -> Option<&str> {
        let text = if !self.personal || headset.plugged_in() {
            Some(self.text.as_str())
        } else {
            self.public_text.as_deref()
        };
        text.filter(|t| !t.trim().is_empty())
    }
}

/// Never shows the text: an utterance may hold personal data, and a
/// `{:?}` ends up in logs.
impl std::fmt::Debug for Utterance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utterance")
            .field("chars", &self.text.chars().count())
            .field("lang", &self.lang)
            .field("personal", &self.personal)
            .field("public_text", &self.public_text.is_some())
            .finish()
    }
}

/// Whether a headset is plugged in now.
pub trait Headset: Send {
    fn plugged_in(&mut self) -> bool;
}

/// A headset always there (`headset = "always"`) or never (`"never"`).
pub struct Fixed(pub bool);

impl Headset for Fixed {
    fn plugged_in(&mut self) -> bool {
        self.0
    }
}

/// The headset as the configuration says: fixed, or read from the sound
/// cards' headphone jacks.
pub fn headset(mode: HeadsetMode) -> Box<dyn Headset> {
    match mode {
        HeadsetMode::Auto => Box::new(AlsaJacks::default()),
        HeadsetMode::Never => Box::new(Fixed(false)),
        HeadsetMode::Always => Box::new(Fixed(true)),
    }
}

/// The headphone jacks ALSA reports, read with `amixer` (Debian's
/// alsa-utils) as the kiosk's user, without root: a jack's state is the
/// card's "Headphone Jack" control. When no jack can be read the headset
/// is taken as unplugged, so personal data stays silent; said once in the
/// log.
pub struct AlsaJacks {
    /// The list of sound cards, `/proc/asound/cards`.
    pub cards: PathBuf,
    warned: bool,
}

impl Default for AlsaJacks {
    fn default() -> Self {
        Self {
            cards: PathBuf::from("/proc/asound/cards"),
            warned: false,
        }
    }
}

impl AlsaJacks {
    /// Whether a headphone jack reads plugged in; None when none could be
    /// read.
    fn read(&self) -> Result<bool, String> {
        let cards = std::fs::read_to_string(&self.cards).map_err(|e| format!("{}: {e}", self.cards.display()))?;
        let mut found = false;
        let mut error = String::from("no sound card has a headphone jack control");
        for card in sound_cards(&cards) {
            let out = match std::process::Command::new("amixer")
                .args(["-c", &card.to_string(), "contents"])
                .output()
            {
                Ok(out) if out.status.success() => out,
                Ok(out) => {
                    error = format!("amixer -c {card}: {}", String::from_utf8_lossy(&out.stderr).trim());
                    continue;
                }
                Err(e) => return Err(format!("amixer (alsa-utils): {e}")),
            };
            match headphone_jack(&String::from_utf8_lossy(&out.stdout)) {
                Some(true) => return Ok(true),
                Some(false) => found = true,
                None => {}
            }
        }
        if found { Ok(false) } else { Err(error) }
    }
}

impl Headset for AlsaJacks {
    fn plugged_in(&mut self) -> bool {
        match self.read() {
            Ok(plugged) => plugged,
            Err(e) => {
                if !self.warned {
                    self.warned = true;
                    tracing::warn!(error = %e, "the headphone jack cannot be read: personal data is not spoken");
                }
                false
            }
        }
    }
}

/// The card numbers in `/proc/asound/cards`: " 0 [PCH ]: HDA-Intel - …".
pub fn sound_cards(text: &str) -> Vec<u32> {
    text.lines()
        .filter_map(|line| {
            let (number, rest) = line.trim_start().split_once(' ')?;
            if !rest.trim_start().starts_with('[') {
                return None;
            }
            number.parse().ok()
        })
        .collect()
}

/// Whether `amixer -c N contents` shows a headphone jack plugged in: a
/// card control (`iface=CARD`) named like "Headphone Jack" or "Front
/// Headphone Jack" whose value is on. None when the card has no such
/// control (a microphone jack is not a headset).
pub fn headphone_jack(contents: &str) -> Option<bool> {
    let mut result = None;
    let mut in_jack = false;
    for line in contents.lines() {
        let line = line.trim();
        if let Some(id) = line.strip_prefix("numid=") {
            let name = id
                .split_once("name='")
                .and_then(|(_, n)| n.rsplit_once('\''))
                .map(|(n, _)| n.to_lowercase())
                .unwrap_or_default();
            in_jack = id.contains("iface=CARD")
                && name.contains("headphone")
                && name.contains("jack")
                && !name.contains("mic");
        } else if in_jack && let Some(values) = line.strip_prefix(": values=") {
            let on = values.split(',').any(|v| v.trim() == "on");
            result = Some(result.unwrap_or(false) || on);
            in_jack = false;
        }
    }
    result
}

/// espeak-ng's amplitude at each volume step, 1 to [`SPEECH_VOLUME_STEPS`]:
/// step 4 is espeak-ng's own loudness.
const AMPLITUDES: [u32; SPEECH_VOLUME_STEPS as usize] = [30, 50, 70, 100, 130, 160];

/// espeak-ng's amplitude for a volume step.
pub fn amplitude(step: u32) -> u32 {
    AMPLITUDES[(step.clamp(1, SPEECH_VOLUME_STEPS) - 1) as usize]
}

/// How the voice speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// The volume step each citizen starts at (1 to [`SPEECH_VOLUME_STEPS`]).
    pub volume: u32,
    /// Words a minute.
    pub rate: u32,
}

impl Settings {
    pub fn from_config(kiosk: &Kiosk) -> Self {
        Self {
            volume: kiosk.speech_volume,
            rate: kiosk.speech_rate,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self::from_config(&Kiosk::default())
    }
}

/// espeak-ng's WAV on its standard output says its data runs to 2 GB (it
/// cannot go back and write the length): the lengths are set to what is
/// there, so every reader sees the sound's true duration.
pub fn fix_wav_lengths(wav: &mut [u8]) {
    if wav.len() >= 44 && wav.starts_with(b"RIFF") && &wav[8..12] == b"WAVE" && &wav[36..40] == b"data" {
        let riff = u32::try_from(wav.len() - 8).unwrap_or(u32::MAX);
        let data = u32::try_from(wav.len() - 44).unwrap_or(u32::MAX);
        wav[4..8].copy_from_slice(&riff.to_le_bytes());
        wav[40..44].copy_from_slice(&data.to_le_bytes());
    }
}

#[derive(Default)]
struct State {
    /// The utterance waiting: at most one, the latest.
    pending: Option<Utterance>,
    /// The stop of the utterance being made or played.
    current: Option<Stop>,
    /// The volume step now.
    volume: u32,
    /// Every handle is gone: the thread ends.
    closed: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    default_volume: u32,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Closes the thread when the last [`Voice`] goes.
struct Handle(Arc<Shared>);

impl Drop for Handle {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.closed = true;
        state.pending = None;
        if let Some(stop) = &state.current {
            stop.raise();
        }
        self.0.wake.notify_all();
    }
}

/// The kiosk's voice: speaks on its own thread, latest utterance first.
/// Clones share the one voice.
#[derive(Clone)]
pub struct Voice(Arc<Handle>);

impl Voice {
    /// The kiosk's voice as configured: espeak-ng, the sound device (opened
    /// on the voice's thread when it first speaks), the headset as
    /// `[kiosk] headset` says.
    pub fn for_kiosk(kiosk: &Kiosk) -> Self {
        Self::start(
            Box::new(Espeak),
            Box::new(DeviceOnFirstUse(None)),
            headset(kiosk.headset),
            Settings::from_config(kiosk),
        )
    }

    /// Starts the voice's thread.
    pub fn start(
        synth: Box<dyn Synth>,
        speaker: Box<dyn Speaker>,
        headset: Box<dyn Headset>,
        settings: Settings,
    ) -> Self {
        let default_volume = settings.volume.clamp(1, SPEECH_VOLUME_STEPS);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                volume: default_volume,
                ..State::default()
            }),
            wake: Condvar::new(),
            default_volume,
        });
        let worker = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("motcua-speech".into())
            .spawn(move || speak_until_closed(&worker, synth, speaker, headset, settings.rate));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "the speech thread cannot start: speech mode is silent");
        }
        Self(Arc::new(Handle(shared)))
    }

    fn shared(&self) -> &Shared {
        &self.0.0
    }

    /// Says `utterance` now: it replaces the one waiting and cuts short the
    /// one playing.
    pub fn say(&self, utterance: Utterance) {
        let shared = self.shared();
        let mut state = shared.lock();
        if let Some(stop) = &state.current {
            stop.raise();
        }
        state.pending = Some(utterance);
        shared.wake.notify_all();
    }

    /// Stops speaking: the utterance playing is cut short, the one waiting
    /// dropped.
    pub fn silence(&self) {
        let mut state = self.shared().lock();
        state.pending = None;
        if let Some(stop) = &state.current {
            stop.raise();
        }
    }

    /// One step louder, up to the loudest; the new step. Heard from the
    /// next utterance.
    pub fn louder(&self) -> u32 {
        let mut state = self.shared().lock();
        state.volume = (state.volume + 1).min(SPEECH_VOLUME_STEPS);
        state.volume
    }

    /// One step softer, down to the softest; the new step.
    pub fn softer(&self) -> u32 {
        let mut state = self.shared().lock();
        state.volume = state.volume.saturating_sub(1).max(1);
        state.volume
    }

    /// The volume step now, 1 to [`SPEECH_VOLUME_STEPS`].
    pub fn volume(&self) -> u32 {
        self.shared().lock().volume
    }

    /// The citizen has left: the configured volume again, and silence.
    pub fn reset(&self) {
        self.silence();
        let shared = self.shared();
        shared.lock().volume = shared.default_volume;
    }

    /// Waits, at most `limit`, until nothing is playing or waiting to be
    /// said; whether it came to that. For shutting down after a last
    /// phrase, and for tests; never on the UI thread.
    pub fn wait_until_quiet(&self, limit: std::time::Duration) -> bool {
        let shared = self.shared();
        let state = shared.lock();
        let (state, _) = shared
            .wake
            .wait_timeout_while(state, limit, |s| s.pending.is_some() || s.current.is_some())
            .unwrap_or_else(|p| p.into_inner());
        state.pending.is_none() && state.current.is_none()
    }
}

/// The voice's thread: the latest utterance, made and played, until every
/// [`Voice`] is gone.
fn speak_until_closed(
    shared: &Shared,
    mut synth: Box<dyn Synth>,
    mut speaker: Box<dyn Speaker>,
    mut headset: Box<dyn Headset>,
    rate: u32,
) {
    let mut speech_failed = false;
    let mut play_failed = false;
    loop {
        let (utterance, stop, volume) = {
            let mut state = shared.lock();
            loop {
                if state.closed {
                    return;
                }
                if let Some(u) = state.pending.take() {
                    let stop = Stop::new();
                    state.current = Some(stop.clone());
                    break (u, stop, state.volume);
                }
                state = shared.wake.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        };
        if let Some(text) = utterance.to_say(headset.as_mut()) {
            tracing::debug!(
                chars = text.chars().count(),
                lang = utterance.lang.code(),
                personal = utterance.personal && text == utterance.text,
                "speaking"
            );
            let how = Prosody {
                rate,
                amplitude: amplitude(volume),
            };
            match synth.speak_as(text, utterance.lang.code(), how) {
                // Replaced while it was being made: not played.
                Ok(_) if stop.is_raised() => {}
                Ok(mut wav) => {
                    fix_wav_lengths(&mut wav);
                    if let Err(e) = speaker.play_until(&wav, &stop)
                        && !std::mem::replace(&mut play_failed, true)
                    {
                        tracing::warn!(error = %e, "speech cannot be played");
                    }
                }
                Err(e) if !std::mem::replace(&mut speech_failed, true) => {
                    tracing::warn!(error = %e, "no speech: speech mode is silent");
                }
                Err(_) => {}
            }
        } else {
            tracing::debug!(personal = utterance.personal, "nothing to say aloud");
        }
        shared.lock().current = None;
        shared.wake.notify_all();
    }
}

/// The sound device, opened by the voice's thread when it first speaks (not
/// by the UI thread starting the kiosk); silence when there is none, said
/// once in the log.
struct DeviceOnFirstUse(Option<Box<dyn Speaker>>);

impl DeviceOnFirstUse {
    fn speaker(&mut self) -> &mut dyn Speaker {
        self.0
            .get_or_insert_with(|| match crate::voice::open_speaker() {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "no sound output: speech mode is shown, not heard");
                    Box::new(crate::voice::Silent)
                }
            })
            .as_mut()
    }
}

impl Speaker for DeviceOnFirstUse {
    fn play(&mut self, wav: &[u8]) -> Result<(), VoiceError> {
        self.speaker().play(wav)
    }

    fn play_until(&mut self, wav: &[u8], stop: &Stop) -> Result<(), VoiceError> {
        self.speaker().play_until(wav, stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `amixer -c 0 contents` on a laptop's HDA codec (cut down).
    const HDA_CONTENTS: &str = "\
numid=22,iface=CARD,name='Headphone Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=HP
numid=21,iface=CARD,name='Mic Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
numid=23,iface=CARD,name='HDMI/DP,pcm=3 Jack'
  ; type=BOOLEAN,access=r-------,values=1
  : values=on
numid=2,iface=MIXER,name='Headphone Playback Switch'
  ; type=BOOLEAN,access=rw------,values=2
  : values=on,on
numid=1,iface=MIXER,name='Headphone Playback Volume'
  ; type=INTEGER,access=rw---R--,values=2,min=0,max=87,step=0
  : values=87,87
  | dBscale-min=-65.25dB,step=0.75dB,mute=0
";

    fn with_jack(value: &str) -> String {
        HDA_CONTENTS.replace("values=HP", &format!("values={value}"))
    }

    #[test]
    fn the_headphone_jack_is_read_from_amixer() {
        assert_eq!(headphone_jack(&with_jack("on")), Some(true));
        // Unplugged, though the microphone and HDMI jacks are on and the
        // headphone output is switched on.
        assert_eq!(headphone_jack(&with_jack("off")), Some(false));
        // Other names a codec gives its jack.
        let front = with_jack("on").replace("'Headphone Jack'", "'Front Headphone Jack'");
        assert_eq!(headphone_jack(&front), Some(true));
    }

    #[test]
    fn a_card_without_a_headphone_jack_says_nothing() {
        let usb = "numid=3,iface=MIXER,name='PCM Playback Volume'\n  ; type=INTEGER,access=rw---R--,values=1,min=0,max=127,step=0\n  : values=100\n";
        assert_eq!(headphone_jack(usb), None);
        assert_eq!(headphone_jack(""), None);
        // The microphone of a headphone jack is not its earpiece.
        let mic =
            "numid=9,iface=CARD,name='Headphone Mic Jack'\n  ; type=BOOLEAN,access=r-------,values=1\n  : values=on\n";
        assert_eq!(headphone_jack(mic), None);
        // The playback switch of the headphones is a mixer control, not the
        // jack.
        let mixer = "numid=2,iface=MIXER,name='Headphone Jack Sense'\n  : values=on\n";
        assert_eq!(headphone_jack(mixer), None);
        assert_eq!(headphone_jack("garbage\n: values=on\nnumid=\n"), None);
    }

    #[test]
    fn sound_cards_are_listed_from_proc() {
        let cards = " 0 [PCH            ]: HDA-Intel - HDA Intel PCH
                      HDA Intel PCH at 0xf7f10000 irq 32
 1 [Device         ]: USB-Audio - USB Audio Device
                      C-Media USB Audio Device at usb-0000:00:14.0-2, full speed
10 [Loopback       ]: Loopback - Loopback
";
        assert_eq!(sound_cards(cards), [0, 1, 10]);
        assert!(sound_cards("--- no soundcards ---\n").is_empty());
    }

    #[test]
    fn jacks_that_cannot_be_read_mean_no_headset() {
        let mut jacks = AlsaJacks {
            cards: PathBuf::from("/nonexistent/asound/cards"),
            warned: false,
        };
        assert!(!jacks.plugged_in());
        assert!(jacks.warned, "said once in the log");
        assert!(!headset(HeadsetMode::Never).plugged_in());
        assert!(headset(HeadsetMode::Always).plugged_in());
    }

    #[test]
    fn personal_text_is_said_through_a_headset_only() {
        let u = Utterance::personal(
            "Nguyễn Văn An",
            Lang::Vi,
            Some("Thông tin của bạn trên màn hình".into()),
        );
        assert_eq!(u.to_say(&mut Fixed(true)), Some("Nguyễn Văn An"));
        assert_eq!(u.to_say(&mut Fixed(false)), Some("Thông tin của bạn trên màn hình"));
        let bare = Utterance::personal("Nguyễn Văn An", Lang::Vi, None);
        assert_eq!(bare.to_say(&mut Fixed(false)), None);
        let public = Utterance::public("Xin mời chọn dịch vụ", Lang::Vi);
        assert_eq!(public.to_say(&mut Fixed(false)), Some("Xin mời chọn dịch vụ"));
        assert_eq!(Utterance::public("  ", Lang::Vi).to_say(&mut Fixed(true)), None);
    }

    #[test]
    fn an_utterance_never_shows_its_text_in_a_log() {
        let u = Utterance::personal("Nguyễn Văn An", Lang::Vi, Some("công khai".into()));
        let shown = format!("{u:?}");
        assert!(!shown.contains("Nguyễn") && !shown.contains("công"), "{shown}");
        assert!(shown.contains("chars: 13"), "{shown}");
    }

    #[test]
    fn volume_steps_map_to_amplitudes_within_espeak_ngs_range() {
        assert_eq!(amplitude(4), 100, "espeak-ng's own loudness");
        // Every step is louder than the one before.
        let steps: Vec<u32> = (1..=SPEECH_VOLUME_STEPS).map(amplitude).collect();
        assert!(steps.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
        assert_eq!(amplitude(0), amplitude(1));
        assert_eq!(amplitude(99), amplitude(SPEECH_VOLUME_STEPS));
        assert!(amplitude(SPEECH_VOLUME_STEPS) <= 200);
    }

    #[test]
    fn a_streamed_wav_gets_its_true_length() {
        let mut wav = crate::voice::wav(22_050, &[1, 2, 3]);
        wav[4..8].copy_from_slice(&0x7fff_f024u32.to_le_bytes());
        wav[40..44].copy_from_slice(&0x7fff_f000u32.to_le_bytes());
        fix_wav_lengths(&mut wav);
        assert_eq!(wav, crate::voice::wav(22_050, &[1, 2, 3]));
        // Not a WAV: left alone.
        let mut other = b"not a wav at all".to_vec();
        fix_wav_lengths(&mut other);
        assert_eq!(other, b"not a wav at all");
    }
}
