//! Records packed to cross threads: the parallel reader's audit workers
//! ([`super::parallel`]) copy each record's text into one buffer per batch
//! and keep only where each field lies, so a batch of records costs a few
//! allocations instead of one per field (per-field copies spent most of the
//! time in malloc and in its locks when freed on another thread). The
//! collector reads them back as ordinary borrowed [`Record`]s.

use crate::record::{Party, Record};
use std::borrow::Cow;
use std::ops::Range;

/// Where a field's text lies in [`Packed::text`], in 8 bytes (a batch's
/// records hold thousands of them); [`Span::ABSENT`] for no text.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
}

impl Span {
    const ABSENT: Span = Span { start: 1, end: 0 };

    fn range(self) -> Option<Range<usize>> {
        (self.start <= self.end).then_some(self.start as usize..self.end as usize)
    }
}

/// The most text one [`Packed`] holds (spans are 32-bit).
const MAX_TEXT: usize = u32::MAX as usize - 1;

struct PackedParty {
    id: Span,
    alternate_id: Span,
    display_name: Span,
    kind: Span,
}

/// One [`Record`], its text fields as spans.
struct PackedRecord {
    published: Span,
    message: Span,
    event_id: Span,
    event_type: Span,
    event_time: Span,
    version: Span,
    actor: Option<PackedParty>,
    okta_user: Option<PackedParty>,
    phone: Option<PackedParty>,
    uuid: Span,
    event_details: Span,
    headers: Span,
    source: Span,
    debug_data: Span,
    outcome_result: Span,
    outcome_reason: Span,
    client_ip: Span,
    country_calling_code: Span,
    sms_provider: Span,
    transaction_id: Span,
    phone_meta: Option<crate::phone_meta::PhoneMeta>,
}

/// A batch's records, in the order they were pushed.
#[derive(Default)]
pub struct Packed {
    text: String,
    records: Vec<PackedRecord>,
    /// Keep `event_details`, `debug_data` and `headers` (false: they are
    /// left empty, for a consumer that never reads them).
    raw_json: bool,
}

/// The bytes of text [`Packed::push`] copies from `r`.
fn text_len(r: &Record<'_>, raw_json: bool) -> usize {
    let len = |t: &Option<Cow<'_, str>>| t.as_ref().map_or(0, |t| t.len());
    let party = |p: &Option<Party<'_>>| {
        p.as_ref().map_or(0, |p| {
            len(&p.id) + len(&p.alternate_id) + len(&p.display_name) + len(&p.kind)
        })
    };
    let raw = if raw_json {
        r.event_details.len() + len(&r.headers) + r.debug_data.map_or(0, str::len)
    } else {
        0
    };
    [
        &r.published,
        &r.message,
        &r.event_id,
        &r.event_type,
        &r.event_time,
        &r.version,
        &r.uuid,
        &r.source,
        &r.outcome_result,
        &r.outcome_reason,
        &r.client_ip,
        &r.country_calling_code,
        &r.sms_provider,
        &r.transaction_id,
    ]
    .into_iter()
    .map(len)
    .sum::<usize>()
        + party(&r.actor)
        + party(&r.okta_user)
        + party(&r.phone)
        + raw
}

impl Packed {
    /// An empty pack; `raw_json` false leaves out the raw JSON fields
    /// (`event_details` reads back as `""`, `debug_data` and `headers` as
    /// absent).
    pub fn new(raw_json: bool) -> Self {
        Packed {
            raw_json,
            ..Packed::default()
        }
    }

    fn span(&mut self, text: Option<&str>) -> Span {
        let Some(text) = text else {
            return Span::ABSENT;
        };
        let start = self.text.len();
        self.text.push_str(text);
        // `push` checked the whole record fits under MAX_TEXT.
        Span {
            start: start as u32,
            end: self.text.len() as u32,
        }
    }

    fn party(&mut self, party: &Option<Party<'_>>) -> Option<PackedParty> {
        let p = party.as_ref()?;
        Some(PackedParty {
            id: self.span(p.id.as_deref()),
            alternate_id: self.span(p.alternate_id.as_deref()),
            display_name: self.span(p.display_name.as_deref()),
            kind: self.span(p.kind.as_deref()),
        })
    }

    /// Copies `r` in; returns its index for [`Packed::get`], or `None`
    /// when the pack's text would pass 4 GiB (batches are 256 KiB of input
    /// plus one record, so only a `--max-record-size` in GiB could).
    pub fn push(&mut self, r: &Record<'_>) -> Option<usize> {
        let raw = self.raw_json;
        if self.text.len() + text_len(r, raw) > MAX_TEXT {
            return None;
        }
        let packed = PackedRecord {
            published: self.span(r.published.as_deref()),
            message: self.span(r.message.as_deref()),
            event_id: self.span(r.event_id.as_deref()),
            event_type: self.span(r.event_type.as_deref()),
            event_time: self.span(r.event_time.as_deref()),
            version: self.span(r.version.as_deref()),
            actor: self.party(&r.actor),
            okta_user: self.party(&r.okta_user),
            phone: self.party(&r.phone),
            uuid: self.span(r.uuid.as_deref()),
            event_details: self.span(Some(r.event_details).filter(|_| raw)),
            headers: self.span(r.headers.as_deref().filter(|_| raw)),
            source: self.span(r.source.as_deref()),
            debug_data: self.span(r.debug_data.filter(|_| raw)),
            outcome_result: self.span(r.outcome_result.as_deref()),
            outcome_reason: self.span(r.outcome_reason.as_deref()),
            client_ip: self.span(r.client_ip.as_deref()),
            country_calling_code: self.span(r.country_calling_code.as_deref()),
            sms_provider: self.span(r.sms_provider.as_deref()),
            transaction_id: self.span(r.transaction_id.as_deref()),
            phone_meta: r.phone_meta,
        };
        self.records.push(packed);
        Some(self.records.len() - 1)
    }

    /// The record pushed as number `index` (panics on an index
    /// [`Packed::push`] did not return).
    pub fn get(&self, index: usize) -> Record<'_> {
        let p = &self.records[index];
        let text = |span: &Span| span.range().map(|s| &self.text[s]);
        let cow = |span: &Span| text(span).map(Cow::Borrowed);
        let party = |party: &Option<PackedParty>| {
            party.as_ref().map(|p| Party {
                id: cow(&p.id),
                alternate_id: cow(&p.alternate_id),
                display_name: cow(&p.display_name),
                kind: cow(&p.kind),
            })
        };
        Record {
            published: cow(&p.published),
            message: cow(&p.message),
            event_id: cow(&p.event_id),
            event_type: cow(&p.event_type),
            event_time: cow(&p.event_time),
            version: cow(&p.version),
            actor: party(&p.actor),
            okta_user: party(&p.okta_user),
            phone: party(&p.phone),
            uuid: cow(&p.uuid),
            event_details: text(&p.event_details).unwrap_or(""),
            headers: cow(&p.headers),
            source: cow(&p.source),
            debug_data: text(&p.debug_data),
            outcome_result: cow(&p.outcome_result),
            outcome_reason: cow(&p.outcome_reason),
            client_ip: cow(&p.client_ip),
            country_calling_code: cow(&p.country_calling_code),
            sms_provider: cow(&p.sms_provider),
            transaction_id: cow(&p.transaction_id),
            phone_meta: p.phone_meta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Delivery;

    const EVENT: &str = r#"{"uuid":"e1","published":"2024-05-01T10:00:00.000Z","eventType":"system.sms.send_phone_verification_message","displayMessage":"Send \u0053MS","actor":{"id":"a1","alternateId":"admin@x","displayName":"Admin","type":"User"},"client":{"ipAddress":"10.0.0.1"},"outcome":{"result":"SUCCESS","reason":"ok"},"target":[{"type":"User","id":"u1","alternateId":"a@x"},{"type":"MobilePhone","alternateId":"+15550000001"}],"debugContext":{"debugData":{"phoneNumber":"+15550000001","countryCallingCode":"1","smsProvider":"TWILIO","transactionId":"t1"}}}"#;

    #[test]
    fn a_record_reads_back_the_same() {
        let delivery = Delivery {
            event_id: Some("env".into()),
            event_time: Some("2024-05-01T10:00:01.000Z".into()),
            source: Some("https://x.okta.com/api/v1/eventHooks/h".into()),
            headers: Some(r#"{"a":"b"}"#.into()),
        };
        let record =
            Record::from_event(EVENT, serde_json::from_str(EVENT).unwrap(), Some(&delivery));
        let empty = Record::default();
        let mut packed = Packed::new(true);
        let first = packed.push(&record).unwrap();
        let second = packed.push(&empty).unwrap();
        let debug = |r: &Record<'_>| format!("{r:?}");
        assert_eq!(debug(&packed.get(first)), debug(&record));
        assert_eq!(debug(&packed.get(second)), debug(&empty));
        let mut lean = Packed::new(false);
        let i = lean.push(&record).unwrap();
        let back = lean.get(i);
        assert_eq!(back.event_details, "");
        assert_eq!((back.debug_data, back.headers.is_none()), (None, true));
        assert_eq!(back.phone_number(), Some("+15550000001"));
    }
}
