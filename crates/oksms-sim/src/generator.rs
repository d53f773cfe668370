//! The deterministic LogEvent generator behind the simulated org and
//! `oksms-sim generate`: realistic System Log events, seeded so the same seed
//! always yields the same events.
//!
//! About half the events are `system.sms.send_phone_verification_message`,
//! spread over the three phone shapes of okta-facts §6 (A: Classic
//! `MobilePhone` target with a stable `mbl…` id; B: Identity Engine 2022,
//! `MobilePhone` target with a placeholder id; C: no `MobilePhone` target,
//! `debugData.phoneNumber` and `countryCallingCode`). The rest are related
//! and unrelated types (voice calls, SMS receive status, sign-ins, MFA). SMS
//! sends are sometimes `DENY` (telephony limits, toll fraud) or `FAILURE`.
//! Names are drawn from a pool with non-ASCII spellings, a few phone
//! numbers are shared by several users (what a pumping audit looks for), and
//! every event serialises to 1.5 to 2.5 KB of compact JSON.
//!
//! Each event is built on its own, so a stream of a million events needs
//! constant memory.

use chrono::{DateTime, TimeZone, Utc};
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};

/// The event type the tool audits.
pub const SMS_SEND: &str = "system.sms.send_phone_verification_message";

/// Formats epoch milliseconds the way Okta writes `published`.
pub fn format_published(ms: i64) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => "1970-01-01T00:00:00.000Z".to_string(),
    }
}

/// Parses an ISO 8601 / RFC 3339 instant into epoch milliseconds.
pub fn parse_instant(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

const FIRST_NAMES: &[&str] = &[
    "José",
    "Zoë",
    "Łukasz",
    "Søren",
    "Ana",
    "Björn",
    "Chloé",
    "Dmitrij",
    "Émile",
    "Fatma",
    "Gülşen",
    "Hiroshi",
    "Ines",
    "Jürgen",
    "Kateřina",
    "Liam",
    "Märta",
    "Nuño",
    "Olusegun",
    "Priya",
    "Ragnhild",
    "Siobhán",
    "Tomás",
    "Uxía",
    "Václav",
    "Wei",
    "Xóchitl",
    "Yusuf",
    "Zsófia",
    "Ærin",
    "Дмитрий",
    "Ольга",
    "李",
    "美咲",
    "محمد",
    "שרה",
];
const LAST_NAMES: &[&str] = &[
    "Müller",
    "García",
    "Østergaard",
    "Ångström",
    "Nowak",
    "O'Brien",
    "Dvořák",
    "Çelik",
    "Nguyễn",
    "Smith",
    "Kowalczyk",
    "Fernández",
    "Jónsdóttir",
    "Papadopoulos",
    "Schröder",
    "Ivanova",
    "王",
    "佐藤",
    "Haddad",
    "Cohen",
    "Brown",
    "Lefèvre",
    "Szabó",
    "Kaçar",
];
const DOMAINS: &[&str] = &["example.com", "example.org", "corp.example.net"];

/// Calling code, E.164 national digits, country name, a city.
const COUNTRIES: &[(&str, usize, &str, &str)] = &[
    ("1", 10, "United States", "San Francisco"),
    ("1", 10, "United States", "New York"),
    ("44", 10, "United Kingdom", "London"),
    ("49", 11, "Germany", "Berlin"),
    ("33", 9, "France", "Lyon"),
    ("81", 10, "Japan", "Tokyo"),
    ("34", 9, "Spain", "Madrid"),
    ("91", 10, "India", "Bengaluru"),
];
/// Destinations Okta names for toll fraud; used for the shared numbers.
const FRAUD_COUNTRIES: &[(&str, usize, &str, &str)] = &[
    ("53", 8, "Cuba", "Havana"),
    ("371", 8, "Latvia", "Riga"),
    ("252", 8, "Somalia", "Mogadishu"),
    ("370", 8, "Lithuania", "Vilnius"),
    ("960", 7, "Maldives", "Malé"),
];
const USER_AGENTS: &[(&str, &str, &str)] = &[
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mac OS X",
        "CHROME",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
        "Windows 10",
        "FIREFOX",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "iOS",
        "MOBILE_SAFARI",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
        "Android",
        "CHROME",
    ),
    (
        "okta-sdk-java/8.2.0 java/17.0.2 Linux/5.15.0",
        "Linux",
        "UNKNOWN",
    ),
];
const SMS_PROVIDERS: &[&str] = &["TELESIGN", "TWILIO", "SINCH", "INFOBIP"];
const DENY_REASONS: &[&str] = &[
    "Telephony rate limit exceeded",
    "SMS to this country is blocked by the telephony policy",
    "Suspected toll fraud",
];
const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

#[derive(Debug, Clone)]
struct Phone {
    number: String,
    calling_code: &'static str,
    /// The Classic `mbl…` id, stable per number.
    classic_id: String,
    country: &'static str,
    city: &'static str,
}

#[derive(Debug, Clone)]
struct User {
    id: String,
    login: String,
    name: String,
    phone: usize,
}

/// Generates events; see the module docs. Construct with [`Generator::new`],
/// then call [`Generator::event`] with each event's `published` time, or
/// iterate a [`Timeline`].
#[derive(Debug, Clone)]
pub struct Generator {
    /// SMS sends per 10,000 events when set (a realistic export's mix:
    /// about 1% SMS, the rest sign-ins, SSO, policy and token events);
    /// `None` keeps the SMS-heavy default mix.
    sms_per_10k: Option<u32>,
    rng: Xoshiro256PlusPlus,
    users: Vec<User>,
    phones: Vec<Phone>,
    system_principal_id: String,
    admin: User,
}

impl Generator {
    /// A generator whose population (users, phones) and event stream are
    /// fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut phones = Vec::new();
        for _ in 0..240 {
            let c = COUNTRIES.choose(&mut rng).copied().unwrap_or(COUNTRIES[0]);
            phones.push(make_phone(&mut rng, c));
        }
        let shared_first = phones.len();
        for c in FRAUD_COUNTRIES {
            phones.push(make_phone(&mut rng, *c));
        }
        let mut users = Vec::new();
        for i in 0..300 {
            let first = FIRST_NAMES.choose(&mut rng).copied().unwrap_or("Ana");
            let last = LAST_NAMES.choose(&mut rng).copied().unwrap_or("Smith");
            let domain = DOMAINS.choose(&mut rng).copied().unwrap_or("example.com");
            // Every twentieth user registered one of the shared fraud numbers.
            let phone = if i % 20 == 7 {
                shared_first + rng.random_range(0..FRAUD_COUNTRIES.len())
            } else {
                i % shared_first
            };
            users.push(User {
                id: okta_id(&mut rng, "00u"),
                login: format!(
                    "{}.{}{}@{}",
                    ascii_login(first),
                    ascii_login(last),
                    i,
                    domain
                ),
                name: format!("{first} {last}"),
                phone,
            });
        }
        let admin = User {
            id: okta_id(&mut rng, "00u"),
            login: "helpdesk.admin@example.com".to_string(),
            name: "Helpdesk Åsa Admin".to_string(),
            phone: 0,
        };
        let system_principal_id = okta_id(&mut rng, "0oa");
        Generator {
            sms_per_10k: None,
            rng,
            users,
            phones,
            system_principal_id,
            admin,
        }
    }

    /// Makes `percent` % of the events SMS sends and the rest other event
    /// types (`user.session.start`, `user.authentication.sso`,
    /// `policy.evaluate_sign_on`, `app.oauth2.token.grant`, ...).
    pub fn with_sms_percent(mut self, percent: f64) -> Self {
        self.sms_per_10k = Some((percent.clamp(0.0, 100.0) * 100.0).round() as u32);
        self
    }

    /// The next event of the stream, published at `published_ms`.
    pub fn event(&mut self, published_ms: i64) -> Value {
        if let Some(sms) = self.sms_per_10k {
            if self.rng.random_range(0..10_000u32) < sms {
                return self.build(Kind::SmsSend, published_ms);
            }
            const OTHERS: [&str; 6] = [
                "user.session.start",
                "user.authentication.sso",
                "policy.evaluate_sign_on",
                "app.oauth2.token.grant",
                "user.authentication.auth_via_mfa",
                "user.session.end",
            ];
            let kind = match self.rng.random_range(0..3u32) {
                0 => Kind::SessionStart,
                1 => Kind::AuthViaMfa,
                _ => Kind::PolicyEvaluate,
            };
            let mut event = self.build(kind, published_ms);
            let other = OTHERS[self.rng.random_range(0..OTHERS.len())];
            event["eventType"] = Value::String(other.to_string());
            return event;
        }
        let roll = self.rng.random_range(0..100u32);
        let kind = match roll {
            0..=51 => Kind::SmsSend,
            52..=59 => Kind::VoiceCall,
            60..=71 => Kind::SmsStatus,
            72..=81 => Kind::SessionStart,
            82..=89 => Kind::AuthViaMfa,
            90..=95 => Kind::SmsFactorVerify,
            _ => Kind::PolicyEvaluate,
        };
        self.build(kind, published_ms)
    }

    /// One event of `kind`. The random draws happen in a fixed order (the
    /// same seed gives the same events), so steps are only ever appended.
    fn build(&mut self, kind: Kind, published_ms: i64) -> Value {
        let rng = &mut self.rng;
        let user = self.users[rng.random_range(0..self.users.len())].clone();
        let phone = self.phones[user.phone].clone();
        let net = Network::draw(rng, &phone);
        let user_party = party(&user.id, "User", &user.login, &user.name);
        let actor = pick_actor(rng, &user_party, &self.admin, &self.system_principal_id);
        let shape = rng.random_range(0..3u8);
        let mut debug = serde_json::Map::new();
        debug.insert("requestId".into(), json!(net.request_id));
        debug.insert("threatSuspected".into(), json!("false"));
        let mut targets = vec![user_party];
        let parts = event_parts(
            rng,
            kind,
            &phone,
            &net.txn_hex,
            shape,
            &mut debug,
            &mut targets,
        );
        debug.insert("requestUri".into(), json!(parts.uri));
        debug.insert(
            "url".into(),
            json!(format!(
                "{}?stateTokenExternalId={}",
                parts.uri,
                base62(rng, 20)
            )),
        );
        json!({
            "uuid": net.uuid,
            "published": format_published(published_ms),
            "eventType": parts.event_type,
            "version": "0",
            "severity": parts.severity,
            "legacyEventType": parts.legacy,
            "displayMessage": parts.message,
            "actor": actor,
            "client": {
                "userAgent": {"rawUserAgent": net.ua, "os": net.os, "browser": net.browser},
                "zone": "null",
                "device": if net.browser == "MOBILE_SAFARI" { "Mobile" } else { "Computer" },
                "id": null,
                "ipAddress": net.ip,
                "geographicalContext": net.geo
            },
            "device": null,
            "authenticationContext": {
                "authenticationProvider": null,
                "credentialProvider": null,
                "credentialType": null,
                "issuer": null,
                "interface": null,
                "authenticationStep": 0,
                "externalSessionId": net.session
            },
            "outcome": parts.outcome,
            "securityContext": {
                "asNumber": rng.random_range(1000..65000u32),
                "asOrg": "example telecom",
                "isp": "example isp",
                "domain": "example.net",
                "isProxy": false
            },
            "debugContext": {"debugData": Value::Object(debug)},
            "transaction": {"type": "WEB", "id": net.request_id, "detail": {}},
            "request": {"ipChain": [{
                "ip": net.ip,
                "geographicalContext": net.geo,
                "version": "V4",
                "source": null
            }]},
            "target": targets
        })
    }
}

/// Where an event comes from: the client, its address and place, and the
/// request's ids.
struct Network {
    ua: &'static str,
    os: &'static str,
    browser: &'static str,
    ip: String,
    request_id: String,
    session: String,
    txn_hex: String,
    uuid: String,
    geo: Value,
}

impl Network {
    /// Draws them (in a fixed order) for an event about `phone`.
    fn draw(rng: &mut Xoshiro256PlusPlus, phone: &Phone) -> Network {
        let (ua, os, browser) = *USER_AGENTS.choose(rng).unwrap_or(&USER_AGENTS[0]);
        let ip = format!(
            "{}.{}.{}.{}",
            rng.random_range(11..223u8),
            rng.random_range(0..=255u8),
            rng.random_range(0..=255u8),
            rng.random_range(1..255u8)
        );
        let request_id = format!("req{}", base62(rng, 22));
        let session = format!("idx{}", base62(rng, 22));
        let txn_hex = hex_upper(rng, 32);
        let uuid = uuid::Builder::from_random_bytes(rng.random::<[u8; 16]>())
            .into_uuid()
            .to_string();
        let (lat, lon) = (
            rng.random_range(-5000..7000i32) as f64 / 100.0,
            rng.random_range(-12000..15000i32) as f64 / 100.0,
        );
        let geo = json!({
            "city": phone.city,
            "state": null,
            "country": phone.country,
            "postalCode": rng.random_range(10000..99999u32).to_string(),
            "geolocation": {"lat": lat, "lon": lon}
        });
        Network {
            ua,
            os,
            browser,
            ip,
            request_id,
            session,
            txn_hex,
            uuid,
            geo,
        }
    }
}

/// Who triggered the event: the user (85%), the admin (8%) or Okta's
/// system principal (7%).
fn pick_actor(rng: &mut Xoshiro256PlusPlus, user: &Value, admin: &User, system_id: &str) -> Value {
    let actor_roll = rng.random_range(0..100u32);
    if actor_roll < 85 {
        user.clone()
    } else if actor_roll < 93 {
        party(&admin.id, "User", &admin.login, &admin.name)
    } else {
        party(
            system_id,
            "SystemPrincipal",
            "system@okta.com",
            "Okta System",
        )
    }
}

/// What differs between event kinds.
struct EventParts {
    event_type: &'static str,
    message: &'static str,
    legacy: Value,
    severity: &'static str,
    outcome: Value,
    uri: &'static str,
}

/// The parts of an event of `kind`; phone events also add the phone to
/// `targets` or `debug`.
fn event_parts(
    rng: &mut Xoshiro256PlusPlus,
    kind: Kind,
    phone: &Phone,
    txn_hex: &str,
    shape: u8,
    debug: &mut serde_json::Map<String, Value>,
    targets: &mut Vec<Value>,
) -> EventParts {
    let success = || json!({"result": "SUCCESS", "reason": null});
    match kind {
        Kind::SmsSend | Kind::VoiceCall | Kind::SmsFactorVerify => {
            phone_event(rng, kind, phone, txn_hex, shape, debug, targets)
        }
        Kind::SmsStatus => {
            debug.insert(
                "status".into(),
                json!(["delivered", "sent", "undelivered"].choose(rng).copied()),
            );
            debug.insert(
                "smsProvider".into(),
                json!(SMS_PROVIDERS.choose(rng).copied()),
            );
            debug.insert("transactionId".into(), json!(txn_hex));
            debug.insert("phoneNumber".into(), json!(phone.number));
            EventParts {
                event_type: "system.sms.receive_status",
                message: "Message status received from SMS provider",
                legacy: Value::Null,
                severity: "INFO",
                outcome: success(),
                uri: "/api/internal/telephony/status",
            }
        }
        Kind::SessionStart => {
            let ok = rng.random_range(0..10u32) > 0;
            EventParts {
                event_type: "user.session.start",
                message: "User login to Okta",
                legacy: json!("core.user_auth.login_success"),
                severity: "INFO",
                outcome: if ok {
                    success()
                } else {
                    json!({"result": "FAILURE", "reason": "INVALID_CREDENTIALS"})
                },
                uri: "/idp/idx/identify",
            }
        }
        Kind::AuthViaMfa => EventParts {
            event_type: "user.authentication.auth_via_mfa",
            message: "Authentication of user via MFA",
            legacy: json!("core.user.factor.attempt_success"),
            severity: "INFO",
            outcome: success(),
            uri: "/idp/idx/challenge/answer",
        },
        Kind::PolicyEvaluate => EventParts {
            event_type: "policy.evaluate_sign_on",
            message: "Evaluation of sign-on policy",
            legacy: Value::Null,
            severity: "INFO",
            outcome: json!({"result": "CHALLENGE", "reason": "Sign-on policy evaluation resulted in CHALLENGE"}),
            uri: "/idp/idx/introspect",
        },
    }
}

/// An SMS send, voice call or factor-verify event: outcome (10% DENY, 2%
/// FAILURE), names, and the phone in one of the three shapes the System
/// Log uses (Classic target, Identity Engine target, `debugData` only).
fn phone_event(
    rng: &mut Xoshiro256PlusPlus,
    kind: Kind,
    phone: &Phone,
    txn_hex: &str,
    shape: u8,
    debug: &mut serde_json::Map<String, Value>,
    targets: &mut Vec<Value>,
) -> EventParts {
    let outcome_roll = rng.random_range(0..100u32);
    let outcome = if outcome_roll < 10 {
        json!({"result": "DENY", "reason": DENY_REASONS.choose(rng).copied()})
    } else if outcome_roll < 12 {
        json!({"result": "FAILURE", "reason": "Provider error"})
    } else {
        json!({"result": "SUCCESS", "reason": null})
    };
    let severity = if outcome_roll < 12 { "WARN" } else { "INFO" };
    let (event_type, message, legacy, uri) = match kind {
        Kind::SmsSend => (
            SMS_SEND,
            "Send phone verification SMS message",
            Value::Null,
            "/idp/idx/challenge/send",
        ),
        Kind::VoiceCall => (
            "system.voice.send_phone_verification_call",
            "Send phone verification voice call",
            Value::Null,
            "/idp/idx/challenge/send",
        ),
        _ => (
            "system.sms.send_factor_verify_message",
            "Send factor verify SMS message",
            json!("core.user.sms.message_sent.factor"),
            "/api/v1/authn/factors/verify",
        ),
    };
    debug.insert(
        "smsProvider".into(),
        json!(SMS_PROVIDERS.choose(rng).copied()),
    );
    debug.insert("transactionId".into(), json!(txn_hex));
    debug.insert(
        "authnRequestId".into(),
        json!(format!("{}", base62(rng, 24))),
    );
    match shape {
        0 => targets.push(json!({
            "id": phone.classic_id,
            "type": "MobilePhone",
            "alternateId": phone.number,
            "displayName": phone.number,
            "detailEntry": null
        })),
        1 => targets.push(json!({
            "id": format!("qFG{}", base62(rng, 17)),
            "type": "MobilePhone",
            "alternateId": phone.number,
            "displayName": phone.number,
            "detailEntry": null
        })),
        _ => {
            debug.insert("phoneNumber".into(), json!(phone.number));
            debug.insert("countryCallingCode".into(), json!(phone.calling_code));
        }
    }
    EventParts {
        event_type,
        message,
        legacy,
        severity,
        outcome,
        uri,
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    SmsSend,
    VoiceCall,
    SmsStatus,
    SessionStart,
    AuthViaMfa,
    SmsFactorVerify,
    PolicyEvaluate,
}

/// `count` events with `published` spread evenly (with jitter, never going
/// backwards) over `[start_ms, end_ms)`; yields `(published_ms, event)`.
#[derive(Debug, Clone)]
pub struct Timeline {
    generator: Generator,
    jitter: Xoshiro256PlusPlus,
    start_ms: i64,
    step: f64,
    index: usize,
    count: usize,
    last_ms: i64,
}

impl Timeline {
    pub fn new(seed: u64, count: usize, start_ms: i64, end_ms: i64) -> Self {
        let span = (end_ms - start_ms).max(1) as f64;
        Timeline {
            generator: Generator::new(seed),
            jitter: Xoshiro256PlusPlus::seed_from_u64(seed ^ 0x5eed_7157),
            start_ms,
            step: span / count.max(1) as f64,
            index: 0,
            count,
            last_ms: start_ms,
        }
    }

    /// Makes `percent` % of the events SMS sends ([`Generator::with_sms_percent`]).
    pub fn with_sms_percent(mut self, percent: f64) -> Self {
        self.generator = self.generator.with_sms_percent(percent);
        self
    }

    /// Hands back the generator, to continue the same stream later.
    pub fn into_generator(self) -> Generator {
        self.generator
    }
}

impl Iterator for Timeline {
    type Item = (i64, Value);

    fn next(&mut self) -> Option<Self::Item> {
        if self.index >= self.count {
            return None;
        }
        let offset = (self.index as f64 + self.jitter.random_range(0.0..1.0)) * self.step;
        let ms = (self.start_ms + offset as i64).max(self.last_ms);
        self.last_ms = ms;
        self.index += 1;
        Some((ms, self.generator.event(ms)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.count - self.index;
        (left, Some(left))
    }
}

fn party(id: &str, kind: &str, alternate_id: &str, display_name: &str) -> Value {
    json!({
        "id": id,
        "type": kind,
        "alternateId": alternate_id,
        "displayName": display_name,
        "detailEntry": null
    })
}

fn make_phone(
    rng: &mut Xoshiro256PlusPlus,
    (code, digits, country, city): (&'static str, usize, &'static str, &'static str),
) -> Phone {
    let mut national = String::with_capacity(digits);
    national.push(char::from(b'2' + rng.random_range(0..8u8)));
    for _ in 1..digits {
        national.push(char::from(b'0' + rng.random_range(0..10u8)));
    }
    Phone {
        number: format!("+{code}{national}"),
        calling_code: code,
        classic_id: okta_id(rng, "mbl"),
        country,
        city,
    }
}

/// An Okta-style 20-character object id with the given 3-letter prefix.
fn okta_id(rng: &mut Xoshiro256PlusPlus, prefix: &str) -> String {
    format!("{prefix}{}", base62(rng, 17))
}

fn base62(rng: &mut Xoshiro256PlusPlus, len: usize) -> String {
    (0..len)
        .map(|_| char::from(BASE62[rng.random_range(0..BASE62.len())]))
        .collect()
}

fn hex_upper(rng: &mut Xoshiro256PlusPlus, len: usize) -> String {
    (0..len)
        .map(|_| char::from(b"0123456789ABCDEF"[rng.random_range(0..16usize)]))
        .collect()
}

/// A login-safe spelling of a name: ASCII letters kept, the rest dropped
/// (falls back to "user" for names with no ASCII letter).
fn ascii_login(name: &str) -> String {
    let s: String = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if s.is_empty() { "user".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: i64 = 1_700_000_000_000;
    const END: i64 = START + 86_400_000;

    fn events(seed: u64, n: usize) -> Vec<(i64, Value)> {
        Timeline::new(seed, n, START, END).collect()
    }

    #[test]
    fn same_seed_same_events_other_seed_other_events() {
        assert_eq!(events(7, 200), events(7, 200));
        assert_ne!(events(7, 50), events(8, 50));
    }

    #[test]
    fn published_is_ordered_within_range_and_matches_the_json() {
        let evs = events(1, 1000);
        assert!(evs.windows(2).all(|w| w[0].0 <= w[1].0));
        for (ms, ev) in &evs {
            assert!((START..END).contains(ms));
            assert_eq!(ev["published"], format_published(*ms));
            assert_eq!(parse_instant(ev["published"].as_str().unwrap()), Some(*ms));
        }
    }

    #[test]
    fn events_are_between_one_and_a_half_and_two_and_a_half_kilobytes() {
        for (_, ev) in events(3, 2000) {
            let len = serde_json::to_vec(&ev).unwrap().len();
            assert!((1500..=2500).contains(&len), "event of {len} bytes: {ev}");
        }
    }

    #[test]
    fn uuids_are_unique() {
        let evs = events(5, 5000);
        let uuids: std::collections::HashSet<_> = evs
            .iter()
            .map(|(_, e)| e["uuid"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(uuids.len(), evs.len());
    }

    #[test]
    fn the_mix_has_every_phone_shape_other_types_deny_and_unicode() {
        let evs = events(11, 3000);
        let sms: Vec<&Value> = evs
            .iter()
            .map(|(_, e)| e)
            .filter(|e| e["eventType"] == SMS_SEND)
            .collect();
        assert!(sms.len() > 1000 && sms.len() < 2000, "{} sms", sms.len());
        let mobile = |e: &Value| {
            e["target"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["type"] == "MobilePhone")
                .cloned()
        };
        let classic = sms
            .iter()
            .filter(|e| mobile(e).is_some_and(|t| t["id"].as_str().unwrap().starts_with("mbl")))
            .count();
        let ie2022 = sms
            .iter()
            .filter(|e| mobile(e).is_some_and(|t| t["id"].as_str().unwrap().starts_with("qFG")))
            .count();
        let ie_now = sms
            .iter()
            .filter(|e| {
                mobile(e).is_none()
                    && e["debugContext"]["debugData"]["phoneNumber"]
                        .as_str()
                        .is_some_and(|p| p.starts_with('+'))
                    && e["debugContext"]["debugData"]["countryCallingCode"].is_string()
            })
            .count();
        assert!(classic > 100 && ie2022 > 100 && ie_now > 100);
        assert_eq!(classic + ie2022 + ie_now, sms.len());
        assert!(sms.iter().any(|e| e["outcome"]["result"] == "DENY"));
        let types: std::collections::HashSet<&str> = evs
            .iter()
            .map(|(_, e)| e["eventType"].as_str().unwrap())
            .collect();
        assert!(types.len() >= 6, "{types:?}");
        assert!(
            evs.iter()
                .any(|(_, e)| !e["actor"]["displayName"].as_str().unwrap().is_ascii())
        );
    }

    #[test]
    fn a_realistic_mix_has_one_percent_sms_sends_among_other_types() {
        let mut generator = Generator::new(9).with_sms_percent(1.0);
        let events: Vec<Value> = (0..20_000).map(|i| generator.event(i)).collect();
        let sms = events.iter().filter(|e| e["eventType"] == SMS_SEND).count();
        assert!((100..=300).contains(&sms), "{sms} SMS sends in 20,000");
        let types: std::collections::HashSet<&str> = events
            .iter()
            .map(|e| e["eventType"].as_str().unwrap())
            .collect();
        assert!(
            types.contains("user.authentication.sso") && types.contains("app.oauth2.token.grant")
        );
    }

    #[test]
    fn classic_phone_ids_are_stable_per_number_and_some_numbers_are_shared() {
        let evs = events(13, 4000);
        let mut id_by_number = std::collections::HashMap::new();
        let mut users_by_number: std::collections::HashMap<
            String,
            std::collections::HashSet<String>,
        > = Default::default();
        for (_, e) in &evs {
            if e["eventType"] != SMS_SEND {
                continue;
            }
            let targets = e["target"].as_array().unwrap();
            let user = targets.iter().find(|t| t["type"] == "User").unwrap();
            if let Some(p) = targets.iter().find(|t| t["type"] == "MobilePhone") {
                let number = p["alternateId"].as_str().unwrap().to_string();
                users_by_number
                    .entry(number.clone())
                    .or_default()
                    .insert(user["id"].as_str().unwrap().to_string());
                if p["id"].as_str().unwrap().starts_with("mbl") {
                    let prev = id_by_number.insert(number, p["id"].clone());
                    if let Some(prev) = prev {
                        assert_eq!(prev, p["id"]);
                    }
                }
            }
        }
        assert!(users_by_number.values().any(|u| u.len() >= 2));
    }
}
