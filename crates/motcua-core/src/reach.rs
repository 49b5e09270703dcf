//! Low reach: a portrait kiosk mounted so that the top of its screen is out
//! of reach from a wheelchair. EN 301 549 (closed functionality) and the
//! ADA standards (308, 707) put every operable part between 380 mm and
//! 1,220 mm above the floor; IT staff give where the screen is, and the
//! kiosk keeps every control inside that band, with what lies above it only
//! to read.

use serde::{Deserialize, Serialize};

/// Where a kiosk's screen is, and the band a hand reaches (`[kiosk.reach]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Reach {
    /// Height above the floor of the screen's lowest visible row, in mm.
    pub screen_bottom_mm: u32,
    /// Visible height of the screen, in mm.
    pub screen_height_mm: u32,
    /// The lowest a control may be, in mm above the floor.
    pub lowest_mm: u32,
    /// The highest a control may be, in mm above the floor.
    pub highest_mm: u32,
}

/// EN 301 549 and ADA: from 380 mm to 1,220 mm.
pub const LOWEST_MM: u32 = 380;
pub const HIGHEST_MM: u32 = 1220;
/// Least of the screen the band must cover for the controls to fit.
pub const BAND_MIN_MM: u32 = 300;

impl Default for Reach {
    /// A 43-inch portrait screen (953 mm high) standing 700 mm off the floor.
    fn default() -> Self {
        Self {
            screen_bottom_mm: 700,
            screen_height_mm: 953,
            lowest_mm: LOWEST_MM,
            highest_mm: HIGHEST_MM,
        }
    }
}

/// The band on the screen, in pixels from its top edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// The first row within reach.
    pub top: f32,
    /// The row after the last one within reach.
    pub bottom: f32,
}

impl Reach {
    /// Why these figures cannot be used, in a sentence naming the key.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !(200..=3000).contains(&self.screen_height_mm) {
            return Err((
                "kiosk.reach.screen_height_mm",
                format!(
                    "`kiosk.reach.screen_height_mm` = {}: accepts 200 to 3000 (the screen's visible height in mm)",
                    self.screen_height_mm
                ),
            ));
        }
        if self.screen_bottom_mm > 2500 {
            return Err((
                "kiosk.reach.screen_bottom_mm",
                format!(
                    "`kiosk.reach.screen_bottom_mm` = {}: accepts 0 to 2500 (mm from the floor)",
                    self.screen_bottom_mm
                ),
            ));
        }
        if self.lowest_mm >= self.highest_mm {
            return Err((
                "kiosk.reach.lowest_mm",
                format!(
                    "`kiosk.reach.lowest_mm` = {} must be below `highest_mm` = {}",
                    self.lowest_mm, self.highest_mm
                ),
            ));
        }
        let covered = self.covered_mm();
        if covered < BAND_MIN_MM {
            return Err((
                "kiosk.reach.screen_bottom_mm",
                format!(
                    "`kiosk.reach.screen_bottom_mm` = {}: the reach band ({} to {} mm from the floor) covers \
                     {covered} mm of the screen ({} to {} mm), at least {BAND_MIN_MM} mm are needed for the controls",
                    self.screen_bottom_mm,
                    self.lowest_mm,
                    self.highest_mm,
                    self.screen_bottom_mm,
                    self.screen_top_mm()
                ),
            ));
        }
        Ok(())
    }

    fn screen_top_mm(&self) -> u32 {
        self.screen_bottom_mm + self.screen_height_mm
    }

    /// How much of the screen, in mm, is within reach.
    fn covered_mm(&self) -> u32 {
        let low = self.lowest_mm.max(self.screen_bottom_mm);
        let high = self.highest_mm.min(self.screen_top_mm());
        high.saturating_sub(low)
    }

    /// The band within reach on a screen `height` pixels high, or `None`
    /// when all of the screen is.
    pub fn band(&self, height: f32) -> Option<Band> {
        if self.screen_height_mm == 0 || self.covered_mm() == 0 {
            return None;
        }
        let px = height / self.screen_height_mm as f32;
        let top_mm = self.highest_mm.min(self.screen_top_mm());
        let bottom_mm = self.lowest_mm.max(self.screen_bottom_mm);
        let band = Band {
            top: (self.screen_top_mm() - top_mm) as f32 * px,
            bottom: (self.screen_top_mm() - bottom_mm) as f32 * px,
        };
        (band.top > 0.5 || band.bottom < height - 0.5).then_some(band)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tall_portrait_screen_keeps_its_controls_in_the_lower_half() {
        // 953 mm from 700 mm: the top is at 1,653 mm, 433 mm out of reach.
        let band = Reach::default().band(1920.0).unwrap();
        assert!((band.top - 433.0 * 1920.0 / 953.0).abs() < 0.01, "{band:?}");
        assert_eq!(band.bottom, 1920.0, "the bottom edge is above 380 mm");
        assert!(Reach::default().check().is_ok());
    }

    #[test]
    fn a_screen_within_reach_needs_no_band_and_a_low_one_loses_its_foot() {
        let within = Reach {
            screen_bottom_mm: 400,
            screen_height_mm: 800,
            ..Reach::default()
        };
        assert_eq!(within.band(1920.0), None);
        let low = Reach {
            screen_bottom_mm: 200,
            screen_height_mm: 1000,
            ..Reach::default()
        };
        // Top at 1,200 mm (within reach); below 380 mm, 180 mm are too low.
        let band = low.band(1000.0).unwrap();
        assert_eq!((band.top, band.bottom), (0.0, 820.0));
    }

    #[test]
    fn figures_that_leave_no_room_are_refused_with_their_key() {
        let high = Reach {
            screen_bottom_mm: 1100,
            ..Reach::default()
        };
        let (key, why) = high.check().unwrap_err();
        assert_eq!(key, "kiosk.reach.screen_bottom_mm");
        assert!(why.contains("covers 120 mm"), "{why}");
        let upside = Reach {
            lowest_mm: 1300,
            ..Reach::default()
        };
        assert_eq!(upside.check().unwrap_err().0, "kiosk.reach.lowest_mm");
        let tiny = Reach {
            screen_height_mm: 10,
            ..Reach::default()
        };
        assert_eq!(tiny.check().unwrap_err().0, "kiosk.reach.screen_height_mm");
    }
}
