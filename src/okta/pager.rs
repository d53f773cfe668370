//! Paging through `/api/v1/logs` by following `next` links verbatim: the
//! cursor is never built or edited. A bounded query ends on a page without
//! `next`; a polling query (no `until`) always has one, so the [`Pager`]
//! never decides that a poll is over: its caller does (`fetch` stops on the
//! last page or at `--limit`, `watch` keeps polling and checkpoints each
//! page's `next` link). A `next` link to another host is refused, so the
//! credentials never leave the org.
//!
//! [`Pager::next_page_ahead`] pipelines an export: the request for the
//! following page goes out as soon as this page's headers name it, while
//! this page's body is read and checked on another thread, so the body
//! transfer and its check are off the round-trip path. A page whose body
//! fails is requested again (the early request is dropped) and only a
//! checked page moves the pager on. Nothing is requested ahead when the
//! budget says the request must first wait for a reset (the caller gets
//! this page before the wait), and nothing is left requested ahead after a
//! page that failed.

use super::client::{OktaClient, OpenPage, Page};
use crate::exit::Failure;
use anyhow::Result;
use url::Url;

/// Yields pages one by one.
pub struct Pager {
    org: Url,
    next: Option<Url>,
    pages: u64,
    /// The request for `next` sent early, when the caller asked for it.
    ahead: Option<Result<OpenPage>>,
}

impl Pager {
    /// Starts at `first` (a query URL, or a saved `next` URL to resume).
    pub fn new(org: &Url, first: Url) -> Result<Pager> {
        check_same_org(org, &first)?;
        Ok(Pager {
            org: org.clone(),
            next: Some(first),
            pages: 0,
            ahead: None,
        })
    }

    /// Pages fetched so far.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// Fetches the next page, or `None` when the previous one had no
    /// `next` link. On error the pager stays where it was, so a caller may
    /// try the same URL again later. With `ahead`, the following page is
    /// requested while this one's body is read, for the next call. Pass
    /// `ahead` only when that page will be wanted whatever this one holds.
    pub fn next_page_ahead(
        &mut self,
        client: &mut OktaClient<'_>,
        ahead: bool,
    ) -> Result<Option<Page>> {
        let Some(url) = self.next.clone() else {
            return Ok(None);
        };
        let mut open = match self.ahead.take() {
            Some(early) => early?,
            None => client.open_page(&url, 0)?,
        };
        // After a failed attempt this page is read before anything is
        // requested ahead: another failure would waste that request again.
        let mut failed = false;
        loop {
            let follow = open.next().cloned();
            if let Some(next) = &follow {
                check_same_org(&self.org, next)?;
            }
            let attempt = open.attempt();
            let max_body = client.options().max_body;
            // Not ahead when the next request must first wait for the
            // budget: this page is handed over (and written) before the wait.
            let ahead = ahead && !failed && !client.must_wait();
            let (read, early) = match follow.as_ref().filter(|_| ahead) {
                None => (open.read(max_body), None),
                Some(next) => std::thread::scope(|scope| {
                    let reading = scope.spawn(move || open.read(max_body));
                    let early = client.open_page(next, 0);
                    let read = reading.join().unwrap_or_else(|_| {
                        Err("internal error: the reading thread panicked".into())
                    });
                    (read, Some(early))
                }),
            };
            match read {
                Ok(page) => {
                    self.ahead = early;
                    self.next = follow;
                    self.pages += 1;
                    return Ok(Some(page));
                }
                Err(cause) => {
                    // The early request followed a page that is not there:
                    // drop it, and ask for this page again.
                    drop(early);
                    failed = true;
                    client.page_failed(&url, attempt, &cause)?;
                    open = client.open_page(&url, attempt)?;
                }
            }
        }
    }
}

/// Refuses a URL whose scheme, host or port differ from the org's.
pub fn check_same_org(org: &Url, url: &Url) -> Result<(), Failure> {
    if url.origin() == org.origin() {
        Ok(())
    } else {
        Err(Failure::new(
            crate::exit::ExitCode::Error,
            format!(
                "refusing to follow a link to {} (not the org {}): credentials stay with the org",
                url.origin().ascii_serialization(),
                org.origin().ascii_serialization()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_must_stay_on_the_org() {
        let org = Url::parse("https://acme.okta.com").unwrap();
        let ok = Url::parse("https://acme.okta.com/api/v1/logs?after=x").unwrap();
        assert!(check_same_org(&org, &ok).is_ok());
        for bad in [
            "https://evil.example.com/api/v1/logs?after=x",
            "http://acme.okta.com/api/v1/logs",
            "https://acme.okta.com:8443/api/v1/logs",
            "https://acme.okta.com.evil.example/api/v1/logs",
        ] {
            let err = check_same_org(&org, &Url::parse(bad).unwrap()).unwrap_err();
            assert!(err.message.contains("refusing"), "{bad}");
        }
        assert!(Pager::new(&org, Url::parse("https://x.example/api/v1/logs").unwrap()).is_err());
        let p = Pager::new(&org, ok.clone()).unwrap();
        assert_eq!(p.pages(), 0);
    }
}
