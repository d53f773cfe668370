//! The field registry: every card field's JSON key, CSV column(s), table
//! title and how to read it from a [`Record`]; and `--fields` selection.
//!
//! This is the public contract scripts depend on. Change it only on purpose
//! and update the README's field table with it.

use crate::record::{Party, Record};

/// Which of the four sub-fields of Actor, Okta User and Phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sub {
    Id,
    AlternateId,
    DisplayName,
    Type,
}

impl Sub {
    pub const ALL: [Sub; 4] = [Sub::Id, Sub::AlternateId, Sub::DisplayName, Sub::Type];

    pub fn key(self) -> &'static str {
        match self {
            Sub::Id => "id",
            Sub::AlternateId => "alternate_id",
            Sub::DisplayName => "display_name",
            Sub::Type => "type",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Sub::Id => "ID",
            Sub::AlternateId => "Alternate ID",
            Sub::DisplayName => "Display Name",
            Sub::Type => "Type",
        }
    }

    fn of<'r>(self, party: &'r Party<'_>) -> Option<&'r str> {
        match self {
            Sub::Id => party.id.as_deref(),
            Sub::AlternateId => party.alternate_id.as_deref(),
            Sub::DisplayName => party.display_name.as_deref(),
            Sub::Type => party.kind.as_deref(),
        }
    }
}

/// Actor, Okta User or Phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Actor,
    OktaUser,
    Phone,
}

impl Who {
    pub const ALL: [Who; 3] = [Who::Actor, Who::OktaUser, Who::Phone];

    pub fn key(self) -> &'static str {
        match self {
            Who::Actor => "actor",
            Who::OktaUser => "okta_user",
            Who::Phone => "phone",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Who::Actor => "Actor",
            Who::OktaUser => "Okta User",
            Who::Phone => "Phone",
        }
    }

    pub fn of<'r, 'a>(self, r: &'r Record<'a>) -> Option<&'r Party<'a>> {
        match self {
            Who::Actor => r.actor.as_ref(),
            Who::OktaUser => r.okta_user.as_ref(),
            Who::Phone => r.phone.as_ref(),
        }
    }
}

/// A single-valued field (one CSV column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    Published,
    Message,
    EventId,
    EventType,
    EventTime,
    Version,
    Party(Who, Sub),
    Uuid,
    EventDetails,
    Headers,
    Source,
    DebugData,
    OutcomeResult,
    OutcomeReason,
    ClientIp,
    CountryCallingCode,
    SmsProvider,
    TransactionId,
    /// ISO 3166-1 alpha-2 region of the phone number (libphonenumber).
    PhoneRegion,
    /// Line type of the phone number (`mobile`, `premium_rate`, ...).
    PhoneLineType,
    /// Whether the phone number is valid in its numbering plan (JSON bool).
    PhoneValid,
}

/// A leaf's value: text, or JSON text to embed as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'r> {
    Text(Option<&'r str>),
    Json(Option<&'r str>),
}

impl Leaf {
    /// The CSV column name (and JSON key when picked alone).
    pub fn column(self) -> String {
        match self {
            Leaf::Party(who, sub) => format!("{}_{}", who.key(), sub.key()),
            other => other.simple_key().to_string(),
        }
    }

    fn simple_key(self) -> &'static str {
        match self {
            Leaf::Published => "published",
            Leaf::Message => "message",
            Leaf::EventId => "event_id",
            Leaf::EventType => "event_type",
            Leaf::EventTime => "event_time",
            Leaf::Version => "version",
            Leaf::Party(..) => "",
            Leaf::Uuid => "uuid",
            Leaf::EventDetails => "event_details",
            Leaf::Headers => "headers",
            Leaf::Source => "source",
            Leaf::DebugData => "debug_data",
            Leaf::OutcomeResult => "outcome_result",
            Leaf::OutcomeReason => "outcome_reason",
            Leaf::ClientIp => "client_ip",
            Leaf::CountryCallingCode => "country_calling_code",
            Leaf::SmsProvider => "sms_provider",
            Leaf::TransactionId => "transaction_id",
            Leaf::PhoneRegion => "phone_region",
            Leaf::PhoneLineType => "phone_line_type",
            Leaf::PhoneValid => "phone_valid",
        }
    }

    /// The table header: the card's own names.
    pub fn title(self) -> String {
        match self {
            Leaf::Published => "Date and Time".into(),
            Leaf::Message => "Message".into(),
            Leaf::EventId => "Event ID".into(),
            Leaf::EventType => "Event Type".into(),
            Leaf::EventTime => "Event Time".into(),
            Leaf::Version => "Version".into(),
            Leaf::Party(who, sub) => format!("{} {}", who.title(), sub.title()),
            Leaf::Uuid => "UUID".into(),
            Leaf::EventDetails => "Event Details".into(),
            Leaf::Headers => "Headers".into(),
            Leaf::Source => "Source".into(),
            Leaf::DebugData => "Debug Data".into(),
            Leaf::OutcomeResult => "Outcome".into(),
            Leaf::OutcomeReason => "Outcome Reason".into(),
            Leaf::ClientIp => "Client IP".into(),
            Leaf::CountryCallingCode => "Country Calling Code".into(),
            Leaf::SmsProvider => "SMS Provider".into(),
            Leaf::TransactionId => "Transaction ID".into(),
            Leaf::PhoneRegion => "Phone Region".into(),
            Leaf::PhoneLineType => "Phone Line Type".into(),
            Leaf::PhoneValid => "Phone Valid".into(),
        }
    }

    pub fn value<'r>(self, r: &'r Record<'_>) -> Value<'r> {
        match self {
            Leaf::Published => Value::Text(r.published.as_deref()),
            Leaf::Message => Value::Text(r.message.as_deref()),
            Leaf::EventId => Value::Text(r.event_id.as_deref()),
            Leaf::EventType => Value::Text(r.event_type.as_deref()),
            Leaf::EventTime => Value::Text(r.event_time.as_deref()),
            Leaf::Version => Value::Text(r.version.as_deref()),
            Leaf::Party(who, sub) => Value::Text(who.of(r).and_then(|p| sub.of(p))),
            Leaf::Uuid => Value::Text(r.uuid.as_deref()),
            Leaf::EventDetails => Value::Json(Some(r.event_details)),
            Leaf::Headers => Value::Json(r.headers.as_deref()),
            Leaf::Source => Value::Text(r.source.as_deref()),
            Leaf::DebugData => Value::Json(r.debug_data),
            Leaf::OutcomeResult => Value::Text(r.outcome_result.as_deref()),
            Leaf::OutcomeReason => Value::Text(r.outcome_reason.as_deref()),
            Leaf::ClientIp => Value::Text(r.client_ip.as_deref()),
            Leaf::CountryCallingCode => Value::Text(r.country_calling_code.as_deref()),
            Leaf::SmsProvider => Value::Text(r.sms_provider.as_deref()),
            Leaf::TransactionId => Value::Text(r.transaction_id.as_deref()),
            Leaf::PhoneRegion => Value::Text(r.phone_metadata().and_then(|m| m.region)),
            Leaf::PhoneLineType => Value::Text(r.phone_metadata().map(|m| m.line_type.name())),
            Leaf::PhoneValid => Value::Json(r.phone_metadata().map(|m| m.valid_text())),
        }
    }
}

/// One selected output field: a leaf, or a group rendered as a nested JSON
/// object (`actor`, `okta_user`, `phone`, `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Leaf(Leaf),
    Party(Who),
    Outcome,
}

impl Field {
    /// The JSON key.
    pub fn key(self) -> String {
        match self {
            Field::Leaf(leaf) => leaf.column(),
            Field::Party(who) => who.key().to_string(),
            Field::Outcome => "outcome".to_string(),
        }
    }

    /// The CSV columns this field expands to.
    pub fn leaves(self) -> Vec<Leaf> {
        match self {
            Field::Leaf(leaf) => vec![leaf],
            Field::Party(who) => Sub::ALL.iter().map(|s| Leaf::Party(who, *s)).collect(),
            Field::Outcome => vec![Leaf::OutcomeResult, Leaf::OutcomeReason],
        }
    }

    /// The table header.
    pub fn title(self) -> String {
        match self {
            Field::Leaf(leaf) => leaf.title(),
            Field::Party(who) => who.title().to_string(),
            Field::Outcome => "Outcome".to_string(),
        }
    }

    /// Parses a `--fields` name: a JSON key, a dotted sub-field
    /// (`actor.alternate_id`, `outcome.result`) or a CSV column name.
    pub fn parse(name: &str) -> Option<Field> {
        let name = name.trim();
        let simple = [
            Leaf::Published,
            Leaf::Message,
            Leaf::EventId,
            Leaf::EventType,
            Leaf::EventTime,
            Leaf::Version,
            Leaf::Uuid,
            Leaf::EventDetails,
            Leaf::Headers,
            Leaf::Source,
            Leaf::DebugData,
            Leaf::OutcomeResult,
            Leaf::OutcomeReason,
            Leaf::ClientIp,
            Leaf::CountryCallingCode,
            Leaf::SmsProvider,
            Leaf::TransactionId,
            Leaf::PhoneRegion,
            Leaf::PhoneLineType,
            Leaf::PhoneValid,
        ];
        if let Some(leaf) = simple.iter().find(|l| l.simple_key() == name) {
            return Some(Field::Leaf(*leaf));
        }
        match name {
            "outcome" => return Some(Field::Outcome),
            "outcome.result" => return Some(Field::Leaf(Leaf::OutcomeResult)),
            "outcome.reason" => return Some(Field::Leaf(Leaf::OutcomeReason)),
            _ => {}
        }
        for who in Who::ALL {
            if name == who.key() {
                return Some(Field::Party(who));
            }
            for sub in Sub::ALL {
                let dotted = format!("{}.{}", who.key(), sub.key());
                let column = format!("{}_{}", who.key(), sub.key());
                if name == dotted || name == column {
                    return Some(Field::Leaf(Leaf::Party(who, sub)));
                }
            }
        }
        None
    }
}

/// Every name `--fields` accepts, for help and error messages.
pub fn known_names() -> Vec<String> {
    let mut names: Vec<String> = json_default().iter().map(|f| f.key()).collect();
    for who in Who::ALL {
        for sub in Sub::ALL {
            names.push(format!("{}.{}", who.key(), sub.key()));
        }
    }
    names.push("outcome.result".into());
    names.push("outcome.reason".into());
    names
}

/// The JSON and NDJSON object when no `--fields` is given: the whole card,
/// then the audit fields, then the phone metadata. Contract: new keys are
/// only ever appended at the end.
pub fn json_default() -> Vec<Field> {
    vec![
        Field::Leaf(Leaf::Published),
        Field::Leaf(Leaf::Message),
        Field::Leaf(Leaf::EventId),
        Field::Leaf(Leaf::EventType),
        Field::Leaf(Leaf::EventTime),
        Field::Leaf(Leaf::Version),
        Field::Party(Who::Actor),
        Field::Party(Who::OktaUser),
        Field::Party(Who::Phone),
        Field::Leaf(Leaf::Uuid),
        Field::Leaf(Leaf::EventDetails),
        Field::Leaf(Leaf::Headers),
        Field::Leaf(Leaf::Source),
        Field::Leaf(Leaf::DebugData),
        Field::Outcome,
        Field::Leaf(Leaf::ClientIp),
        Field::Leaf(Leaf::CountryCallingCode),
        Field::Leaf(Leaf::SmsProvider),
        Field::Leaf(Leaf::TransactionId),
        Field::Leaf(Leaf::PhoneRegion),
        Field::Leaf(Leaf::PhoneLineType),
        Field::Leaf(Leaf::PhoneValid),
    ]
}

/// The CSV columns when no `--fields` is given (the documented header).
/// Contract: this header never changes without a major version; columns
/// added later (the phone metadata) come only with `--fields`.
pub fn csv_default() -> Vec<Field> {
    json_default()
        .into_iter()
        .filter(|f| {
            !matches!(
                f,
                Field::Leaf(
                    Leaf::EventDetails
                        | Leaf::Headers
                        | Leaf::DebugData
                        | Leaf::PhoneRegion
                        | Leaf::PhoneLineType
                        | Leaf::PhoneValid
                )
            )
        })
        .collect()
}

/// The compact table.
pub fn table_default() -> Vec<Field> {
    vec![
        Field::Leaf(Leaf::Published),
        Field::Party(Who::Actor),
        Field::Party(Who::OktaUser),
        Field::Party(Who::Phone),
        Field::Outcome,
        Field::Leaf(Leaf::Message),
    ]
}

/// The table with `--wide`.
pub fn table_wide() -> Vec<Field> {
    vec![
        Field::Leaf(Leaf::Published),
        Field::Leaf(Leaf::EventType),
        Field::Party(Who::Actor),
        Field::Party(Who::OktaUser),
        Field::Party(Who::Phone),
        Field::Outcome,
        Field::Leaf(Leaf::OutcomeReason),
        Field::Leaf(Leaf::ClientIp),
        Field::Leaf(Leaf::CountryCallingCode),
        Field::Leaf(Leaf::SmsProvider),
        Field::Leaf(Leaf::EventId),
        Field::Leaf(Leaf::Message),
    ]
}

/// Parses a whole `--fields` list, naming the first unknown entry.
pub fn parse_list(names: &[String]) -> Result<Vec<Field>, String> {
    names
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| {
            Field::parse(n).ok_or_else(|| {
                format!(
                    "unknown field `{n}`; known fields: {}",
                    known_names().join(", ")
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_csv_header_is_the_documented_contract() {
        let header: Vec<String> = csv_default()
            .iter()
            .flat_map(|f| f.leaves())
            .map(|l| l.column())
            .collect();
        assert_eq!(
            header.join(","),
            "published,message,event_id,event_type,event_time,version,actor_id,actor_alternate_id,\
             actor_display_name,actor_type,okta_user_id,okta_user_alternate_id,okta_user_display_name,\
             okta_user_type,phone_id,phone_alternate_id,phone_display_name,phone_type,uuid,source,\
             outcome_result,outcome_reason,client_ip,country_calling_code,sms_provider,transaction_id"
        );
    }

    #[test]
    fn every_known_name_parses_and_columns_round_trip() {
        for name in known_names() {
            assert!(Field::parse(&name).is_some(), "{name}");
        }
        for field in json_default() {
            for leaf in field.leaves() {
                assert_eq!(
                    Field::parse(&leaf.column()),
                    Some(Field::Leaf(leaf)),
                    "{leaf:?}"
                );
            }
        }
        assert_eq!(
            Field::parse("actor.alternate_id"),
            Some(Field::Leaf(Leaf::Party(Who::Actor, Sub::AlternateId)))
        );
        assert!(
            parse_list(&["nope".into()])
                .unwrap_err()
                .contains("unknown field `nope`")
        );
    }
}
