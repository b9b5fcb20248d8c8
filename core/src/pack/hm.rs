use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A wall-clock time of the visit's day, to the minute, written `HH:MM` (24-hour clock).
///
/// Times in a pack are local to the event's time zone; the day is the event's date.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Hm {
    minutes: u16,
}

impl Hm {
    /// `hour` in 0..24, `minute` in 0..60.
    pub fn new(hour: u16, minute: u16) -> Option<Hm> {
        (hour < 24 && minute < 60).then_some(Hm { minutes: hour * 60 + minute })
    }

    /// Parses exactly `HH:MM` (two digits each); `9:00`, `09h00` or `24:00` are refused.
    pub fn parse(text: &str) -> Option<Hm> {
        let b = text.as_bytes();
        if b.len() != 5 || b[2] != b':' || !b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit()) {
            return None;
        }
        let digit = |i: usize| u16::from(b[i] - b'0');
        Hm::new(digit(0) * 10 + digit(1), digit(3) * 10 + digit(4))
    }

    pub fn hour(self) -> u16 {
        self.minutes / 60
    }

    pub fn minute(self) -> u16 {
        self.minutes % 60
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.minutes
    }

    /// Minutes from `self` to `later` (negative if `later` is earlier).
    pub fn minutes_until(self, later: Hm) -> i32 {
        i32::from(later.minutes) - i32::from(self.minutes)
    }

    /// The wall-clock time of `t`, to the minute (seconds dropped).
    pub fn of(t: chrono::NaiveDateTime) -> Hm {
        use chrono::Timelike;
        // hour() < 24 and minute() < 60 always: never the default.
        Hm { minutes: (t.hour() * 60 + t.minute()) as u16 }
    }

    pub fn to_naive_time(self) -> chrono::NaiveTime {
        chrono::NaiveTime::from_hms_opt(u32::from(self.hour()), u32::from(self.minute()), 0)
            .unwrap_or(chrono::NaiveTime::MIN)
    }
}

impl fmt::Display for Hm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl Serialize for Hm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hm, D::Error> {
        let text = String::deserialize(d)?;
        Hm::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a time written HH:MM")))
    }
}

#[cfg(test)]
mod tests {
    use super::Hm;

    #[test]
    fn parses_only_hh_mm() {
        assert_eq!(Hm::parse("09:50").map(|t| t.to_string()), Some("09:50".to_owned()));
        assert_eq!(Hm::parse("23:59").map(|t| t.minutes()), Some(23 * 60 + 59));
        for bad in ["9:50", "09h50", "24:00", "12:60", "", "ab:cd", "09:5O", "09:500", "+9:50"] {
            assert_eq!(Hm::parse(bad), None, "{bad}");
        }
    }
}
