//! The one HTTP client for Okta's API: authorisation, the rate-limit budget,
//! retries with capped exponential backoff, and Okta's error bodies.
//!
//! Every request goes through [`OktaClient::send_with_retries`]: before it,
//! the budget may ask for a wait until the bucket resets; after it, 5xx
//! answers, timeouts, dropped connections and unreadable pages are retried
//! (`retries` times), 429 waits for the reset by the server's `Date`, and any
//! other 4xx is final. What happens is reported to an observer (progress
//! line, `--verbose` log), never printed here.

use super::auth::{AccessToken, Credentials, Scheme, TokenResponse};
use super::error::{OktaError, TokenRefused, http_failure};
use super::link;
use super::ratelimit::{Budget, Observed, RateState, too_many_requests_wait, with_jitter};
use crate::exit::Failure;
use anyhow::{Context, Result};
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use url::Url;

/// The longest backoff between two retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// How the client behaves, resolved from the flags.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The org, e.g. `https://acme.okta.com` (no path).
    pub org: Url,
    pub budget: Budget,
    /// Retries after the first attempt.
    pub retries: u32,
    /// Per-request timeout.
    pub timeout: Duration,
    /// The first backoff; doubled per retry up to [`MAX_BACKOFF`].
    pub backoff: Duration,
    /// The largest body accepted, in bytes after decompression; a larger
    /// page is malformed (retried, then exit 5).
    pub max_body: usize,
    /// The longest one request may spend in total waiting out 429 answers
    /// (`--max-rate-limit-wait`). 429s are not retries: they never count
    /// against `retries`.
    pub max_rate_limit_wait: Duration,
}

/// Why the client is about to sleep.
#[derive(Debug, Clone, Copy)]
pub enum WaitReason<'a> {
    /// The budget share of the bucket is used up until the reset.
    Budget(&'a RateState, u8),
    /// Okta answered 429.
    RateLimited(Option<&'a RateState>),
    /// A retry after a failure.
    Retry {
        attempt: u32,
        of: u32,
        cause: &'a str,
    },
}

/// What the client reports as it works.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    Request {
        method: &'a str,
        url: &'a Url,
    },
    Response {
        status: u16,
        rate: Option<&'a RateState>,
    },
    Wait {
        delay: Duration,
        reason: WaitReason<'a>,
    },
    /// A new access token was granted.
    Token {
        scheme: Scheme,
    },
}

/// Receives the client's events.
pub type Observer<'a> = Box<dyn FnMut(&Event<'_>) + Send + 'a>;

/// A complete HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub rate: Option<RateState>,
}

impl Reply {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// An answer whose headers are in and whose body is not read yet.
#[derive(Debug)]
struct Head {
    status: u16,
    headers: HeaderMap,
    rate: Option<RateState>,
    /// The attempt (1-based) that got this answer.
    attempt: u32,
    response: Response,
}

impl Head {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Reads the body, decompressed, up to `max` bytes; why not, for a
    /// retry, when the connection fails or the body is larger.
    fn into_reply(self, max: usize) -> Result<Reply, String> {
        let body = read_capped(self.response, max)?;
        Ok(Reply {
            status: self.status,
            headers: self.headers,
            body,
            rate: self.rate,
        })
    }

    /// Reads an error body, which only serves to describe the error (at
    /// most [`MAX_ERROR_BODY`] bytes of it).
    fn into_reply_lossy(self) -> Reply {
        let body = read_capped(self.response, MAX_ERROR_BODY).unwrap_or_default();
        Reply {
            status: self.status,
            headers: self.headers,
            body,
            rate: self.rate,
        }
    }
}

/// A page of `/api/v1/logs` whose headers are in: its `next` link is known
/// before its body is read, so the next request may go out while
/// [`OpenPage::read`] reads and checks this body (on another thread).
#[derive(Debug)]
pub struct OpenPage {
    url: Url,
    head: Head,
    next: Option<Url>,
}

impl OpenPage {
    /// The `rel="next"` link, resolved against the page URL, unchecked.
    pub fn next(&self) -> Option<&Url> {
        self.next.as_ref()
    }

    /// The attempt (1-based) this answer came from.
    pub fn attempt(&self) -> u32 {
        self.head.attempt
    }

    /// Reads the body and checks that it is a JSON array; why not, when it
    /// is not (a dropped connection, a malformed page), for a retry.
    pub fn read(self, max_body: usize) -> Result<Page, String> {
        let reply = self.head.into_reply(max_body)?;
        let events = count_events(&reply.body)?;
        Ok(Page {
            url: self.url,
            headers: reply.headers,
            body: reply.body,
            events,
            next: self.next,
        })
    }
}

/// One page of `/api/v1/logs`.
#[derive(Debug)]
pub struct Page {
    /// The URL this page was fetched from.
    pub url: Url,
    pub headers: HeaderMap,
    /// The JSON array, as received.
    pub body: Vec<u8>,
    /// Events in the array.
    pub events: usize,
    /// The `rel="next"` link, resolved against the page URL, unchecked.
    pub next: Option<Url>,
}

/// The System Log API client.
pub struct OktaClient<'a> {
    http: Client,
    opts: ClientOptions,
    creds: Credentials,
    observed: Option<Observed>,
    observer: Observer<'a>,
    /// Set by a signal handler: waits end early with an interruption.
    stop: Option<Arc<AtomicBool>>,
}

/// How often a wait looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(100);

impl<'a> OktaClient<'a> {
    pub fn new(
        opts: ClientOptions,
        creds: Credentials,
        observer: Observer<'a>,
    ) -> Result<OktaClient<'a>> {
        let mut builder = Client::builder()
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout.min(Duration::from_secs(15)))
            // Credentials never follow a redirect to another place.
            .redirect(reqwest::redirect::Policy::none());
        for root in extra_roots()? {
            builder = builder.add_root_certificate(root);
        }
        let http = builder.build().context("cannot set up the HTTP client")?;
        Ok(OktaClient {
            http,
            opts,
            creds,
            observed: None,
            observer,
            stop: None,
        })
    }

    /// Makes every wait (budget, 429, retry backoff) end early with an
    /// [`ExitCode::Interrupted`](crate::exit::ExitCode) failure once `stop`
    /// is set.
    pub fn set_stop(&mut self, stop: Arc<AtomicBool>) {
        self.stop = Some(stop);
    }

    /// True when the next budgeted request would first wait for a reset:
    /// a caller pipelining requests hands over what it holds first.
    pub fn must_wait(&self) -> bool {
        self.observed
            .is_some_and(|o| o.wait_needed(&self.opts.budget, Instant::now()).is_some())
    }

    /// Sleeps `d`, or less when the stop flag is set (an error then).
    fn pause(&self, d: Duration) -> Result<()> {
        let Some(stop) = &self.stop else {
            std::thread::sleep(d);
            return Ok(());
        };
        let until = Instant::now() + d;
        loop {
            if stop.load(Ordering::SeqCst) {
                return Err(Failure::new(crate::exit::ExitCode::Interrupted, "interrupted").into());
            }
            let now = Instant::now();
            if now >= until {
                return Ok(());
            }
            std::thread::sleep((until - now).min(STOP_CHECK));
        }
    }

    pub fn options(&self) -> &ClientOptions {
        &self.opts
    }

    /// Requests one page of the System Log up to its headers; the body is
    /// read by [`OpenPage::read`]. Retries as documented, counting `spent`
    /// attempts already made for this page (whose bodies failed); a final
    /// error answer becomes a [`Failure`] with Okta's error text.
    pub fn open_page(&mut self, url: &Url, spent: u32) -> Result<OpenPage> {
        let what = page_what(url);
        let mut renewed = false;
        loop {
            let token = self.ensure_token()?;
            let head = self.open_with_retries(
                &what,
                true,
                &mut |c| c.logs_request(url, token.as_ref()),
                spent,
            )?;
            if head.status == 401
                && !renewed
                && let Credentials::ServiceApp(app) = &mut self.creds
            {
                // A token revoked or expired early, or a resource server
                // asking for a DPoP nonce: one fresh grant, then give up.
                if let Some(nonce) = header_str(&head.headers, "dpop-nonce") {
                    app.dpop_nonce = Some(nonce.to_string());
                }
                app.token = None;
                renewed = true;
                continue;
            }
            if !head.is_success() {
                let status = head.status;
                let body = head.into_reply_lossy().body;
                return Err(http_failure(&what, status, &body).into());
            }
            let next = link::next_link(
                head.headers
                    .get_all(reqwest::header::LINK)
                    .iter()
                    .filter_map(|v| v.to_str().ok()),
            )
            .map(|n| url.join(&n))
            .transpose()
            .context("Okta sent an unreadable next link")?;
            return Ok(OpenPage {
                url: url.clone(),
                head,
                next,
            });
        }
    }

    /// After the body of a page from attempt `attempt` failed for `cause`:
    /// waits before the next attempt, or gives up when none is left.
    pub fn page_failed(&mut self, url: &Url, attempt: u32, cause: &str) -> Result<()> {
        self.retry_later(&page_what(url), attempt, cause)
    }

    fn logs_request(&self, url: &Url, token: Option<&AccessToken>) -> Result<RequestBuilder> {
        self.authorized(reqwest::Method::GET, url, token)
    }

    /// One request to a management API `path` (e.g. `/api/v1/eventHooks`)
    /// with a JSON `body`, authorised like the System Log's and retried
    /// like it ([`Self::send_with_retries`]; not budgeted against the
    /// `/api/v1/logs` bucket). A 401 renews a service app's token once.
    /// Returns the final answer: a 2xx or a 4xx other than 429.
    pub fn api_call(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply> {
        let url = self
            .opts
            .org
            .join(path)
            .context("cannot build the API URL")?;
        let what = format!("{method} {}", url.path());
        let mut renewed = false;
        loop {
            let token = self.ensure_token()?;
            let reply = self.send_with_retries(
                &what,
                false,
                &mut |c| {
                    let req = c.authorized(method.clone(), &url, token.as_ref())?;
                    Ok(match body {
                        Some(b) => req.json(b),
                        None => req,
                    })
                },
                &|_| Ok(()),
            )?;
            if reply.status == 401
                && !renewed
                && let Credentials::ServiceApp(app) = &mut self.creds
            {
                if let Some(nonce) = header_str(&reply.headers, "dpop-nonce") {
                    app.dpop_nonce = Some(nonce.to_string());
                }
                app.token = None;
                renewed = true;
                continue;
            }
            return Ok(reply);
        }
    }

    /// A request with the credentials' `Authorization` (and DPoP proof).
    fn authorized(
        &self,
        method: reqwest::Method,
        url: &Url,
        token: Option<&AccessToken>,
    ) -> Result<RequestBuilder> {
        let req = self
            .http
            .request(method.clone(), url.clone())
            .header(ACCEPT, "application/json");
        let req = base_headers(req);
        Ok(match (&self.creds, token) {
            (Credentials::Ssws(t), _) => {
                req.header(AUTHORIZATION, sensitive(&format!("SSWS {}", t.expose()))?)
            }
            (Credentials::ServiceApp(app), Some(tok)) => match tok.scheme {
                Scheme::Bearer => req.header(
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {}", tok.value.expose()))?,
                ),
                Scheme::Dpop => {
                    let proof = app.dpop_proof(method.as_str(), url, Some(tok.value.expose()))?;
                    req.header(
                        AUTHORIZATION,
                        sensitive(&format!("DPoP {}", tok.value.expose()))?,
                    )
                    .header("DPoP", sensitive(&proof)?)
                }
            },
            (Credentials::ServiceApp(_), None) => req,
        })
    }

    /// The cached access token, or a new grant when there is none or it is
    /// about to expire. SSWS needs none. (`oksms doctor` calls it to test
    /// the grant on its own.)
    pub fn ensure_token(&mut self) -> Result<Option<AccessToken>> {
        let Credentials::ServiceApp(app) = &self.creds else {
            return Ok(None);
        };
        if let Some(t) = &app.token
            && t.is_fresh(Instant::now())
        {
            return Ok(Some(t.clone()));
        }
        let token = self.grant()?;
        if let Credentials::ServiceApp(app) = &mut self.creds {
            app.token = Some(token.clone());
        }
        (self.observer)(&Event::Token {
            scheme: token.scheme,
        });
        Ok(Some(token))
    }

    /// Client credentials with a `private_key_jwt` assertion, with the DPoP
    /// nonce dance when the server asks for it.
    fn grant(&mut self) -> Result<AccessToken> {
        let token_url = self
            .opts
            .org
            .join("/oauth2/v1/token")
            .context("cannot build the token URL")?;
        let what = "POST /oauth2/v1/token";
        let mut nonce_retries = 0;
        let mut switched_to_dpop = false;
        loop {
            let reply =
                self.send_with_retries(what, false, &mut |c| c.token_request(&token_url), &|_| {
                    Ok(())
                })?;
            let granted_at = Instant::now();
            if reply.is_success() {
                let answer: TokenResponse = serde_json::from_slice(&reply.body)
                    .map_err(|e| Failure::auth(format!("{what}: unreadable token answer: {e}")))?;
                return Ok(answer.into_token(granted_at));
            }
            let err = OktaError::parse(&reply.body);
            let Credentials::ServiceApp(app) = &mut self.creds else {
                return unreachable_ssws();
            };
            match err.code.as_deref() {
                Some("use_dpop_nonce") if nonce_retries < 2 => {
                    app.dpop = true;
                    app.dpop_nonce = header_str(&reply.headers, "dpop-nonce").map(str::to_string);
                    nonce_retries += 1;
                    continue;
                }
                Some("invalid_dpop_proof") if !app.dpop && !switched_to_dpop => {
                    app.dpop = true;
                    switched_to_dpop = true;
                    continue;
                }
                _ => {}
            }
            if (400..500).contains(&reply.status) {
                let failure = Failure::auth(format!(
                    "{what}: Okta refused the service app (check the client id, the private key \
                     and its key id, and that the app is granted scope {})",
                    app.scopes.join(" "),
                ));
                let refused = TokenRefused {
                    status: reply.status,
                    okta: err,
                };
                return Err(anyhow::Error::new(refused).context(failure));
            }
            return Err(http_failure(what, reply.status, &reply.body).into());
        }
    }

    fn token_request(&self, token_url: &Url) -> Result<RequestBuilder> {
        let Credentials::ServiceApp(app) = &self.creds else {
            return unreachable_ssws();
        };
        let form = app.token_form(token_url.as_str())?;
        let mut req = base_headers(self.http.post(token_url.clone()))
            .header(ACCEPT, "application/json")
            .form(&form);
        if app.dpop {
            req = req.header(
                "DPoP",
                sensitive(&app.dpop_proof("POST", token_url, None)?)?,
            );
        }
        Ok(req)
    }

    /// Sends a request built by `make` (rebuilt per attempt, so proofs and
    /// assertions are fresh), retrying transient failures. Returns the
    /// final answer: a success that `validate` accepts, or a 4xx other than
    /// 429. `budgeted` requests respect the rate budget and update it.
    pub fn send_with_retries(
        &mut self,
        what: &str,
        budgeted: bool,
        make: &mut dyn FnMut(&Self) -> Result<RequestBuilder>,
        validate: &dyn Fn(&Reply) -> Result<(), String>,
    ) -> Result<Reply> {
        let mut spent = 0;
        loop {
            let head = self.open_with_retries(what, budgeted, make, spent)?;
            spent = head.attempt;
            let success = head.is_success();
            let cause = match head.into_reply(self.opts.max_body) {
                Ok(reply) if !success => return Ok(reply),
                Ok(reply) => match validate(&reply) {
                    Ok(()) => return Ok(reply),
                    Err(why) => why,
                },
                Err(why) => why,
            };
            self.retry_later(what, spent, &cause)?;
        }
    }

    /// Sends a request up to the answer's headers, retrying what can be
    /// retried before the body: 5xx and transport errors (`retries` times,
    /// counting `spent` attempts already made by answers whose bodies
    /// failed), and 429s, which wait for the reset by the server's `Date`
    /// and do not count as attempts: they have their own limit, the total
    /// wait [`ClientOptions::max_rate_limit_wait`]. Returns a 2xx or a
    /// final 4xx, body unread.
    fn open_with_retries(
        &mut self,
        what: &str,
        budgeted: bool,
        make: &mut dyn FnMut(&Self) -> Result<RequestBuilder>,
        spent: u32,
    ) -> Result<Head> {
        let mut attempt = spent;
        // 429s in a row for this request, and the time spent waiting them out.
        let mut limited = 0u32;
        let mut limited_wait = Duration::ZERO;
        loop {
            attempt += 1;
            if budgeted {
                self.wait_for_budget()?;
            }
            let request = make(self)?.build().context("cannot build the request")?;
            let url = request.url().clone();
            (self.observer)(&Event::Request {
                method: request.method().as_str(),
                url: &url,
            });
            let cause = match self.http.execute(request) {
                Ok(response) => {
                    let head = self.head(response, budgeted, attempt);
                    match head.status {
                        429 => {
                            let reply = head.into_reply_lossy();
                            limited += 1;
                            let delay = with_jitter(too_many_requests_wait(
                                reply.rate.as_ref(),
                                backoff(limited, self.opts.backoff),
                            ));
                            let cap = self.opts.max_rate_limit_wait;
                            if limited_wait + delay > cap {
                                return Err(Failure::unavailable(format!(
                                    "{what}: {}; Okta answered 429 {limited} time(s) in a row and \
                                     the next wait ({:.1}s) would pass the total of {} allowed \
                                     by --max-rate-limit-wait (waited {:.1}s)",
                                    describe_status(&reply),
                                    delay.as_secs_f64(),
                                    describe_duration(cap),
                                    limited_wait.as_secs_f64(),
                                ))
                                .into());
                            }
                            limited_wait += delay;
                            (self.observer)(&Event::Wait {
                                delay,
                                reason: WaitReason::RateLimited(reply.rate.as_ref()),
                            });
                            self.pause(delay)?;
                            // Not an attempt: the request was refused, not failed.
                            attempt -= 1;
                            continue;
                        }
                        500..=599 => describe_status(&head.into_reply_lossy()),
                        _ => return Ok(head),
                    }
                }
                Err(e) => describe_transport(&e),
            };
            self.retry_later(what, attempt, &cause)?;
        }
    }

    /// Takes in an answer's headers: the rate state, reported.
    fn head(&mut self, response: Response, budgeted: bool, attempt: u32) -> Head {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let rate = RateState::from_headers(&headers);
        if budgeted && let Some(state) = rate {
            self.observed = Some(Observed {
                state,
                at: Instant::now(),
            });
        }
        (self.observer)(&Event::Response {
            status,
            rate: rate.as_ref(),
        });
        Head {
            status,
            headers,
            rate,
            attempt,
            response,
        }
    }

    /// After attempt `attempt` failed for `cause`: sleeps the backoff, or
    /// gives up when no attempt is left.
    fn retry_later(&mut self, what: &str, attempt: u32, cause: &str) -> Result<()> {
        let attempts = self.opts.retries + 1;
        if attempt >= attempts {
            return Err(Failure::unavailable(format!(
                "{what}: {cause}; gave up after {attempts} attempt{}",
                if attempts == 1 { "" } else { "s" }
            ))
            .into());
        }
        let delay = jittered_backoff(attempt, self.opts.backoff);
        (self.observer)(&Event::Wait {
            delay,
            reason: WaitReason::Retry {
                attempt,
                of: attempts - 1,
                cause,
            },
        });
        self.pause(delay)
    }

    /// Sleeps while the budget share of the bucket is used up.
    fn wait_for_budget(&mut self) -> Result<()> {
        let Some(observed) = self.observed else {
            return Ok(());
        };
        if let Some(wait) = observed.wait_needed(&self.opts.budget, Instant::now()) {
            let delay = with_jitter(wait);
            (self.observer)(&Event::Wait {
                delay,
                reason: WaitReason::Budget(&observed.state, self.opts.budget.percent()),
            });
            self.pause(delay)?;
            // The window has reset; the next answer says how it stands.
            self.observed = None;
        }
        Ok(())
    }
}

/// The environment variable naming a PEM file of extra trusted root
/// certificates (a TLS-inspecting proxy's CA, a test org's CA). They are
/// added to the built-in roots; verification is never turned off.
pub const CA_FILE_VAR: &str = "OKSMS_CA_FILE";

/// The certificates of [`CA_FILE_VAR`], if it is set.
pub(crate) fn extra_roots() -> Result<Vec<reqwest::Certificate>> {
    let Some(path) = std::env::var_os(CA_FILE_VAR).filter(|p| !p.is_empty()) else {
        return Ok(Vec::new());
    };
    let path = std::path::PathBuf::from(path);
    let pem = std::fs::read(&path)
        .with_context(|| format!("{CA_FILE_VAR}: cannot read {}", path.display()))?;
    let roots = reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| {
        Failure::usage(format!(
            "{CA_FILE_VAR}: {} holds no readable PEM certificate",
            path.display()
        ))
    })?;
    if roots.is_empty() {
        return Err(Failure::usage(format!(
            "{CA_FILE_VAR}: {} holds no PEM certificate",
            path.display()
        ))
        .into());
    }
    Ok(roots)
}

fn page_what(url: &Url) -> String {
    format!("GET {}", url.path())
}

fn unreachable_ssws<T>() -> Result<T> {
    Err(anyhow::anyhow!("internal error: no service app configured"))
}

/// The `User-Agent` of oksms's requests to the org.
pub const PRODUCT_USER_AGENT: &str = concat!("oksms/", env!("CARGO_PKG_VERSION"));

fn base_headers(req: RequestBuilder) -> RequestBuilder {
    req.header(USER_AGENT, PRODUCT_USER_AGENT)
}

/// A header value marked sensitive (kept out of reqwest's debug output).
fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).context("credential is not a valid header value")?;
    v.set_sensitive(true);
    Ok(v)
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Events in a JSON array page; an error text when it is not one.
pub fn count_events(body: &[u8]) -> Result<usize, String> {
    serde_json::from_slice::<Vec<&serde_json::value::RawValue>>(body)
        .map(|v| v.len())
        .map_err(|e| format!("malformed JSON page ({e})"))
}

/// Error bodies are read this far (they only describe the error).
const MAX_ERROR_BODY: usize = 64 << 10;

/// Reads a body (decompressed by the client) up to `max` bytes, never
/// holding more than `max + 1`: a gzip page that expands past the cap is
/// refused as it expands, not after.
fn read_capped(response: Response, max: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let expected = response.content_length().unwrap_or(0) as usize;
    let mut body = Vec::with_capacity(expected.min(max));
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    match response.take(cap).read_to_end(&mut body) {
        Ok(_) if body.len() > max => Err(format!(
            "malformed page: larger than {} once decompressed (--max-page-size)",
            crate::size::describe(max)
        )),
        Ok(_) => Ok(body),
        Err(e) => Err(describe_io_body(&e)),
    }
}

/// `10m`, `90s`, `1.5s`.
pub fn describe_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_nanos() == 0 && secs >= 60 && secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else if d.subsec_nanos() == 0 {
        format!("{secs}s")
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// A body read that failed: the transport error inside, when there is one.
fn describe_io_body(e: &std::io::Error) -> String {
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>());
    match inner {
        Some(re) => describe_transport(re),
        None => format!(
            "connection dropped while reading the answer ({})",
            innermost_cause(e)
        ),
    }
}

fn describe_status(reply: &Reply) -> String {
    match OktaError::parse(&reply.body).describe() {
        Some(d) => format!("HTTP {}: {d}", reply.status),
        None => format!("HTTP {}", reply.status),
    }
}

fn describe_transport(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the answer"
    } else {
        "request failed"
    };
    // The innermost cause says the most (e.g. "connection reset by peer").
    format!("{kind} ({})", innermost_cause(e))
}

/// The innermost cause of an error, as text: what says the most about a
/// transport failure (e.g. "connection reset by peer", "certificate not
/// valid").
pub fn innermost_cause(e: &dyn std::error::Error) -> String {
    let mut source = e;
    while let Some(s) = source.source() {
        source = s;
    }
    source.to_string()
}

/// Capped exponential backoff for retry `attempt` (1-based), before jitter.
pub fn backoff(attempt: u32, base: Duration) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(16));
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Backoff with "equal jitter": half fixed, half random.
pub fn jittered_backoff(attempt: u32, base: Duration) -> Duration {
    use rand::RngExt;
    let d = backoff(attempt, base);
    let half = d / 2;
    let spread = half.as_millis() as u64;
    half + Duration::from_millis(if spread == 0 {
        0
    } else {
        rand::rng().random_range(0..=spread)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(500);
        assert_eq!(backoff(1, base), Duration::from_millis(500));
        assert_eq!(backoff(2, base), Duration::from_secs(1));
        assert_eq!(backoff(4, base), Duration::from_secs(4));
        assert_eq!(backoff(10, base), MAX_BACKOFF);
        assert_eq!(backoff(u32::MAX, base), MAX_BACKOFF);
        for attempt in 1..8 {
            let j = jittered_backoff(attempt, base);
            let d = backoff(attempt, base);
            assert!(j >= d / 2 && j <= d, "{j:?} outside [{:?}, {d:?}]", d / 2);
        }
    }

    #[test]
    fn pages_must_be_json_arrays() {
        assert_eq!(count_events(b"[]"), Ok(0));
        assert_eq!(count_events(br#"[{"a":1},{"b":[2]}]"#), Ok(2));
        assert!(count_events(br#"[{"a":1},{"b""#).is_err());
        assert!(count_events(br#"{"errorCode":"E1"}"#).is_err());
    }
}
