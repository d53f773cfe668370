//! The one export loop `fetch` and `watch` (polling) consume: a thread owns
//! the API client and the [`Pager`] and hands checked pages over a bounded
//! channel, so the next page is on its way while the current one is
//! written. The commands differ only in the [`ExportPolicy`]: how many
//! pages may queue, whether the following page is requested while a page's
//! body is read, whether the query is bounded (the last page ends it) or
//! polling (it never ends; a page without `next` is an error), and when the
//! thread waits for the consumer's [`Ack`] before going on (`fetch
//! --limit` once the limit could be met, `watch` after every page).
//!
//! Signals: the stop flag given to [`Export::start`] ends every client wait
//! (budget, 429, backoff) and every [`Export::next`] and `--interval` wait
//! within [`SIGNAL_CHECK`]; an interruption is [`Received::Interrupted`],
//! never an error.

use super::client::{ClientOptions, Observer, OktaClient, Page};
use super::{Credentials, Pager};
use crate::exit::{ExitCode, Failure};
use anyhow::{Context, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use url::Url;

/// How often a wait for the next page looks at the stop flag.
pub const SIGNAL_CHECK: Duration = Duration::from_millis(100);

/// Where an export ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    /// A bounded query (`until`): the page without `next`, or an empty
    /// page, is the last.
    AtLastPage,
    /// A polling query: Okta always links on, so a page without `next` is
    /// an error (exit 5) at the following request.
    Never,
}

/// When the thread waits for the consumer's [`Ack`] of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckWhen {
    /// Never: it fetches on until the last page or a closed channel.
    Never,
    /// Once this many events were fetched (`fetch --limit`): whether
    /// another page is needed depends on how many became records.
    FromEvents(u64),
    /// After every page (`watch`: go on, wait `--interval`, or stop).
    EveryPage,
}

/// The policy differences between the commands.
#[derive(Debug, Clone, Copy)]
pub struct ExportPolicy {
    /// Checked pages that may wait for the consumer (0: hand over only).
    pub queued: usize,
    /// Request the following page while a page's body is read (only when
    /// it will be wanted whatever this page holds).
    pub look_ahead: bool,
    pub ends: Ends,
    pub acks: AckWhen,
}

/// The consumer's answer to a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    /// Fetch the next page now.
    Next,
    /// Fetch the next page after this wait (ended early by the stop flag).
    After(Duration),
    /// Fetch no more.
    Stop,
}

/// What [`Export::next`] got.
#[derive(Debug)]
pub enum Received {
    /// Boxed: a page is large next to the other answers.
    Page(Box<Page>),
    /// The export is over: after the last page, or after [`Ack::Stop`].
    Ended,
    /// The stop flag was set (a signal).
    Interrupted,
    Failed(anyhow::Error),
}

/// A running export: pages come from [`Export::next`], answers go back with
/// [`Export::ack`].
pub struct Export {
    pages: Receiver<Result<Page>>,
    acks: Sender<(u64, Ack)>,
    thread: JoinHandle<()>,
    stop: Arc<AtomicBool>,
}

impl Export {
    /// Starts the fetching thread at `first` (a query URL or a saved `next`
    /// URL); the client reports to `observer`. Fails only when the thread
    /// cannot start; errors of the export itself come as
    /// [`Received::Failed`].
    pub fn start(
        client: ClientOptions,
        credentials: Credentials,
        first: Url,
        observer: Observer<'static>,
        policy: ExportPolicy,
        stop: Arc<AtomicBool>,
    ) -> Result<Export> {
        let (page_tx, pages) = mpsc::sync_channel::<Result<Page>>(policy.queued);
        let (acks, ack_rx) = mpsc::channel::<(u64, Ack)>();
        let stop_fetcher = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("okta-export".into())
            .spawn(move || {
                let fetcher = Fetcher {
                    policy,
                    pages: &page_tx,
                    acks: ack_rx,
                    stop: &stop_fetcher,
                };
                if let Err(e) = fetcher.run(client, credentials, first, observer) {
                    let _ = page_tx.send(Err(e));
                }
            })
            .context("cannot start the fetching thread")?;
        Ok(Export {
            pages,
            acks,
            thread,
            stop,
        })
    }

    /// Waits for the next page, calling `idle` about every
    /// [`SIGNAL_CHECK`] while none is there (an error from it is
    /// [`Received::Failed`]).
    pub fn next(&self, mut idle: impl FnMut() -> Result<()>) -> Received {
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return Received::Interrupted;
            }
            if let Err(e) = idle() {
                return Received::Failed(e);
            }
            match self.pages.recv_timeout(SIGNAL_CHECK) {
                Ok(Ok(page)) => return Received::Page(Box::new(page)),
                Ok(Err(e)) if crate::exit::code_for(&e) == ExitCode::Interrupted => {
                    return Received::Interrupted;
                }
                Ok(Err(e)) => return Received::Failed(e),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return Received::Ended,
            }
        }
    }

    /// Waits at most `wait` for the next page (several exports read in
    /// turn, `fetch` of several orgs); `None` when none came in that time.
    pub fn next_within(&self, wait: Duration) -> Option<Received> {
        if self.stop.load(Ordering::SeqCst) {
            return Some(Received::Interrupted);
        }
        Some(match self.pages.recv_timeout(wait) {
            Ok(Ok(page)) => Received::Page(Box::new(page)),
            Ok(Err(e)) if crate::exit::code_for(&e) == ExitCode::Interrupted => {
                Received::Interrupted
            }
            Ok(Err(e)) => Received::Failed(e),
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => Received::Ended,
        })
    }

    /// Answers page number `page` (1-based, in the order received). The
    /// thread only reads the answers its policy waits for.
    pub fn ack(&self, page: u64, ack: Ack) {
        let _ = self.acks.send((page, ack));
    }

    /// Ends the export. With `join`, waits for the thread (a panic there is
    /// an error); without, a request in flight is abandoned (after a signal
    /// or an error, so the run ends at once).
    pub fn close(self, join: bool) -> Result<()> {
        drop(self.pages);
        drop(self.acks);
        if join && self.thread.join().is_err() {
            anyhow::bail!("internal error: the fetching thread panicked");
        }
        Ok(())
    }
}

/// The fetching thread's side.
struct Fetcher<'a> {
    policy: ExportPolicy,
    pages: &'a SyncSender<Result<Page>>,
    acks: Receiver<(u64, Ack)>,
    stop: &'a Arc<AtomicBool>,
}

impl Fetcher<'_> {
    fn run(
        self,
        options: ClientOptions,
        credentials: Credentials,
        first: Url,
        observer: Observer<'static>,
    ) -> Result<()> {
        let org = options.org.clone();
        let page_size = super::query::page_limit(&first);
        let mut client = OktaClient::new(options, credentials, observer)?;
        client.set_stop(Arc::clone(self.stop));
        let mut pager = Pager::new(&org, first)?;
        let mut events = 0u64;
        loop {
            // The following page may be requested while this one is read
            // unless the limit could end the export here.
            let ahead = self.policy.look_ahead
                && match self.policy.acks {
                    AckWhen::FromEvents(limit) => events + page_size < limit,
                    _ => true,
                };
            let Some(page) = pager.next_page_ahead(&mut client, ahead)? else {
                return match self.policy.ends {
                    Ends::AtLastPage => Ok(()),
                    Ends::Never => Err(Failure::unavailable(
                        "Okta's answer to a polling request had no next link, so polling \
                         cannot continue (the checkpoint is kept)",
                    )
                    .into()),
                };
            };
            events += page.events as u64;
            // An empty page ends an export even if it links on.
            let last =
                self.policy.ends == Ends::AtLastPage && (page.next.is_none() || page.events == 0);
            if self.pages.send(Ok(page)).is_err() || last {
                return Ok(());
            }
            let wait = match self.policy.acks {
                AckWhen::Never => false,
                AckWhen::FromEvents(limit) => events >= limit,
                AckWhen::EveryPage => true,
            };
            if wait && !self.await_ack(pager.pages()) {
                return Ok(());
            }
        }
    }

    /// Waits for the answer to page `page`; false when the export stops.
    fn await_ack(&self, page: u64) -> bool {
        loop {
            match self.acks.recv() {
                Ok((n, ack)) if n == page => {
                    return match ack {
                        Ack::Next => true,
                        Ack::After(d) => {
                            sleep_unless(d, self.stop);
                            true
                        }
                        Ack::Stop => false,
                    };
                }
                Ok(_) => continue,
                Err(_) => return false,
            }
        }
    }
}

/// Sleeps `d`, waking early when `stop` is set.
fn sleep_unless(d: Duration, stop: &AtomicBool) {
    let until = Instant::now() + d;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= until {
            return;
        }
        std::thread::sleep((until - now).min(SIGNAL_CHECK));
    }
}

/// A stop flag set by SIGINT and SIGTERM; a second signal while the first
/// is being honoured exits at once with [`ExitCode::Interrupted`].
pub fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(
            signal,
            ExitCode::Interrupted.code(),
            Arc::clone(&stop),
        )
        .context("cannot install the signal handlers")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot install the signal handlers")?;
    }
    Ok(stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_ends_early_on_a_signal() {
        let stop = AtomicBool::new(true);
        let t = Instant::now();
        sleep_unless(Duration::from_secs(3600), &stop);
        assert!(t.elapsed() < Duration::from_secs(3600));
    }
}
