//! The part of PETRARCH2's verb-code algebra its validation gold follows, stated on CAMEO codes.
//!
//! PETRARCH2 reads a verb that governs another ("wants to assist", "agreed to ease",
//! "asked X to help") as one event whose code combines both, and a negated verb ("would not
//! send") as the corresponding rejection. Its CAMEO families fall into two layers:
//! high-level speech-act families (01 say, 02 appeal, 03 intend, 04 consult, 09 investigate,
//! 10 demand, 11 disapprove, 13 threaten, 14 protest, 15 posture, 17 coerce) and low-level
//! actions (05 diplomatic and 06 material co-operation, 07 aid, 08 yield, 12 reject, 16 reduce
//! relations, 18 assault, 19 fight, 20 mass violence). The combinations:
//! - high over high: the nested act stands ("wants to investigate" → 09x);
//! - low over anything: the nested act stands ("agreed to ease an embargo" → 085);
//! - appeal, intend or demand over co-operation, aid or yielding: the appeal/intent/demand *for*
//!   it, CAMEO's parallel sub-codes (intend + 06x → 031x, + 05x → 032, + 07x → 033x,
//!   + 08x → 035x; likewise 02x and 10x);
//! - threaten over reducing relations or fighting (131, 1311, 132; 138, 1381–1384, 1385 for
//!   mass violence), disapprove over fighting (112, 1121–1125: accusing of an attack), say
//!   over fighting (015: claiming it);
//! - intend over fighting is the threat of it (138: "wants to invade");
//! - anything else has no combined code (the caller keeps what it had).
//!
//! Negation turns co-operation and yielding into their refusals: 06x → 121 (061 → 1211,
//! 062 → 1212), 08x → 124 (081 → 1241, 082 → 1242, 085 → 1244, 086 → 1245, 087 → 1246);
//! other codes have no negated counterpart in CAMEO and are left as they are.

/// The family (first two digits) of a CAMEO code, `None` for `---` and other non-codes.
fn family(code: &str) -> Option<u8> {
    let c = code.split(':').next().unwrap_or(code);
    if c.len() < 3 || !c.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    c[..2].parse().ok()
}

/// The third and fourth digits after the family ("0854" → ('5', Some('4'))).
fn rest(code: &str) -> (char, Option<char>) {
    let c = code.split(':').next().unwrap_or(code);
    let mut it = c.chars().skip(2);
    (it.next().unwrap_or('0'), it.next())
}

fn low_level(f: u8) -> bool {
    matches!(f, 5..=8 | 12 | 16 | 18..=20)
}

/// The code of a verb governing another verb's event: `upper` over `lower`.
pub fn combine(upper: &str, lower: &str) -> Option<String> {
    let (fu, fl) = (family(upper)?, family(lower)?);
    let lower_code = lower.split(':').next().unwrap_or(lower).to_string();
    if low_level(fu) || !low_level(fl) {
        return Some(lower_code);
    }
    let (third, fourth) = rest(lower);
    match fu {
        // Wanting to attack is a threat to (PETRARCH2's one special case of this kind).
        3 if fl == 19 => Some("138".into()),
        2 | 3 | 10 => {
            let prefix = format!("{fu:02}");
            // The lower action's place in the parallel sub-codes.
            let (mid, sub) = match fl {
                6 => ('1', matches!(third, '1'..='4').then_some(third)),
                5 => ('2', None),
                7 => ('3', matches!(third, '1'..='4').then_some(third)),
                8 => (
                    '5',
                    match (third, fourth) {
                        ('1', None) => Some('1'),
                        ('2', None) => Some('2'),
                        ('5', None) => Some('4'),
                        ('6', None) => Some('5'),
                        _ => None,
                    },
                ),
                _ => return None,
            };
            let mut code = format!("{prefix}{mid}");
            if let Some(s) = sub {
                code.push(s);
            }
            Some(code)
        }
        13 => match (fl, third, fourth) {
            (16, '0', None) => Some("131".into()),
            (16, '2', None) => Some("1311".into()),
            (16, '3', None) => Some("132".into()),
            (19, '0', None) => Some("138".into()),
            (19, d @ '1'..='4', None) => Some(format!("138{d}")),
            (20, _, _) => Some("1385".into()),
            _ => None,
        },
        11 => match (fl, third, fourth) {
            (19, '0', None) => Some("112".into()),
            (19, d @ '1'..='5', None) => Some(format!("112{d}")),
            _ => None,
        },
        1 => (fl == 19).then(|| "015".to_string()),
        _ => None,
    }
}

/// The code of a negated verb ("would not send troops"), `None` when CAMEO has no
/// refusal of it.
pub fn negate(code: &str) -> Option<String> {
    let f = family(code)?;
    let (third, fourth) = rest(code);
    match (f, third, fourth) {
        (6, '1', None) => Some("1211".into()),
        (6, '2', None) => Some("1212".into()),
        (6, _, _) => Some("121".into()),
        (8, '1', None) => Some("1241".into()),
        (8, '2', None) => Some("1242".into()),
        (8, '5', None) => Some("1244".into()),
        (8, '6', None) => Some("1245".into()),
        (8, '7', None) => Some("1246".into()),
        (8, _, _) => Some("124".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_appeal_and_demand_take_the_parallel_sub_code() {
        assert_eq!(combine("030", "070").as_deref(), Some("033"));
        assert_eq!(combine("030", "072").as_deref(), Some("0332"));
        assert_eq!(combine("020", "070").as_deref(), Some("023"));
        assert_eq!(combine("100", "061").as_deref(), Some("1011"));
        assert_eq!(combine("030", "085").as_deref(), Some("0354"));
        assert_eq!(combine("030", "057").as_deref(), Some("032"));
    }

    #[test]
    fn nested_act_stands_when_both_are_high_or_the_upper_is_low() {
        assert_eq!(combine("030", "090").as_deref(), Some("090"));
        assert_eq!(combine("030", "174").as_deref(), Some("174"));
        assert_eq!(combine("050", "085").as_deref(), Some("085"));
        assert_eq!(combine("050", "163:163").as_deref(), Some("163"));
    }

    #[test]
    fn threats_accusations_and_claims_of_fighting() {
        assert_eq!(combine("130", "190").as_deref(), Some("138"));
        assert_eq!(combine("130", "193").as_deref(), Some("1383"));
        assert_eq!(combine("130", "163").as_deref(), Some("132"));
        assert_eq!(combine("110", "195").as_deref(), Some("1125"));
        assert_eq!(combine("010", "190").as_deref(), Some("015"));
        assert_eq!(combine("030", "190").as_deref(), Some("138"));
        assert_eq!(combine("010", "070"), None);
        assert_eq!(combine("---", "070"), None);
    }

    #[test]
    fn negation_gives_the_refusal() {
        assert_eq!(negate("060").as_deref(), Some("121"));
        assert_eq!(negate("062").as_deref(), Some("1212"));
        assert_eq!(negate("080").as_deref(), Some("124"));
        assert_eq!(negate("085").as_deref(), Some("1244"));
        assert_eq!(negate("0811").as_deref(), Some("124"));
        assert_eq!(negate("190"), None);
        assert_eq!(negate("---"), None);
    }
}
