//! Credentials for the System Log API: an SSWS API token, or an OAuth
//! service app (client credentials with a `private_key_jwt` assertion,
//! optionally DPoP-bound). This module builds the signed JWTs and keeps the
//! access token for its lifetime; the HTTP exchange itself is in
//! [`super::client`].

use anyhow::{Context, Result, anyhow};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The scope the System Log needs.
pub const LOGS_SCOPE: &str = "okta.logs.read";

pub use crate::secret::Secret;

/// A private key that signs client assertions and DPoP proofs, with the
/// public JWK derived from it.
#[derive(Clone)]
pub struct SigningKey {
    key: EncodingKey,
    alg: Algorithm,
    jwk: Jwk,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Reads an RSA (PKCS#1 or PKCS#8) or EC P-256/P-384 (PKCS#8) private
    /// key in PEM form. The error never contains the key.
    pub fn from_pem(pem: &str) -> Result<SigningKey> {
        if pem.contains("BEGIN EC PRIVATE KEY") {
            return Err(anyhow!(
                "the EC private key is in SEC1 form; convert it to PKCS#8 with \
                 `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`"
            ));
        }
        if pem.contains("ENCRYPTED PRIVATE KEY") {
            return Err(anyhow!(
                "encrypted private keys are not supported; decrypt it to a file only you can read"
            ));
        }
        if let Ok(key) = EncodingKey::from_rsa_pem(pem.as_bytes())
            && let Ok(jwk) = Jwk::from_encoding_key(&key, Algorithm::RS256)
        {
            return Ok(SigningKey {
                key,
                alg: Algorithm::RS256,
                jwk,
            });
        }
        if let Ok(key) = EncodingKey::from_ec_pem(pem.as_bytes()) {
            for alg in [Algorithm::ES256, Algorithm::ES384] {
                if let Ok(jwk) = Jwk::from_encoding_key(&key, alg) {
                    return Ok(SigningKey { key, alg, jwk });
                }
            }
        }
        Err(anyhow!(
            "not a usable private key: expected an RSA or EC (P-256, P-384) private key in PEM form"
        ))
    }

    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// The public key as a JWK (what Okta registers and DPoP proofs carry).
    pub fn public_jwk(&self) -> &Jwk {
        &self.jwk
    }

    fn sign<T: Serialize>(&self, header: &Header, claims: &T) -> Result<String> {
        jsonwebtoken::encode(header, claims, &self.key).context("cannot sign the JWT")
    }
}

/// The claims of a `private_key_jwt` client assertion.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AssertionClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

impl AssertionClaims {
    /// `iss` = `sub` = client id, `aud` = the token URL, a fresh `jti`, and
    /// `exp` five minutes ahead (Okta allows at most one hour).
    pub fn new(client_id: &str, token_url: &str, now: i64) -> AssertionClaims {
        AssertionClaims {
            iss: client_id.to_string(),
            sub: client_id.to_string(),
            aud: token_url.to_string(),
            iat: now,
            exp: now + 300,
            jti: uuid::Uuid::new_v4().to_string(),
        }
    }
}

/// The claims of a DPoP proof (RFC 9449).
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProofClaims {
    pub htm: String,
    pub htu: String,
    pub iat: i64,
    pub jti: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ath: Option<String>,
}

/// `ath`: base64url(SHA-256(access token)).
pub fn access_token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// `htu`: the request URL without query and fragment.
pub fn htu(url: &url::Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    u.to_string()
}

/// How the access token is presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Bearer,
    Dpop,
}

/// An access token and when to stop using it.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub value: Secret,
    pub scheme: Scheme,
    pub expires_at: Instant,
    /// The scopes the answer says were granted (`scope`, space-separated),
    /// when it says.
    pub scope: Option<String>,
}

impl AccessToken {
    /// Still good for at least another minute.
    pub fn is_fresh(&self, now: Instant) -> bool {
        now + Duration::from_secs(60) < self.expires_at
    }
}

/// The token endpoint's success answer.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub scope: Option<String>,
}

impl TokenResponse {
    /// Picks the scheme from `token_type` and the expiry from `expires_in`
    /// (one hour when absent, as Okta fixes it).
    pub fn into_token(self, granted_at: Instant) -> AccessToken {
        let scheme = if self.token_type.eq_ignore_ascii_case("DPoP") {
            Scheme::Dpop
        } else {
            Scheme::Bearer
        };
        AccessToken {
            value: Secret::new(self.access_token),
            scheme,
            expires_at: granted_at + Duration::from_secs(self.expires_in.unwrap_or(3600)),
            scope: self.scope,
        }
    }
}

/// An OAuth service app and its token cache.
#[derive(Debug)]
pub struct ServiceApp {
    pub client_id: String,
    pub scopes: Vec<String>,
    pub key: SigningKey,
    /// `kid` of the registered key, when given.
    pub key_id: Option<String>,
    /// Send DPoP proofs from the first token request (otherwise switched on
    /// when the token endpoint asks for them).
    pub dpop: bool,
    /// The last `DPoP-Nonce` the server handed out.
    pub dpop_nonce: Option<String>,
    pub token: Option<AccessToken>,
}

impl ServiceApp {
    /// A signed `private_key_jwt` client assertion for `token_url`.
    pub fn client_assertion(&self, token_url: &str) -> Result<String> {
        let mut header = Header::new(self.key.alg);
        header.kid = self.key_id.clone();
        let claims = AssertionClaims::new(&self.client_id, token_url, epoch_now());
        self.key.sign(&header, &claims)
    }

    /// A DPoP proof for `method url`, bound to `access_token` when given.
    pub fn dpop_proof(
        &self,
        method: &str,
        url: &url::Url,
        access_token: Option<&str>,
    ) -> Result<String> {
        let mut header = Header::new(self.key.alg);
        header.typ = Some("dpop+jwt".into());
        header.jwk = Some(self.key.jwk.clone());
        let claims = ProofClaims {
            htm: method.to_string(),
            htu: htu(url),
            iat: epoch_now(),
            jti: uuid::Uuid::new_v4().to_string(),
            nonce: self.dpop_nonce.clone(),
            ath: access_token.map(access_token_hash),
        };
        self.key.sign(&header, &claims)
    }

    /// The form of a client-credentials token request.
    pub fn token_form(&self, token_url: &str) -> Result<Vec<(&'static str, String)>> {
        Ok(vec![
            ("grant_type", "client_credentials".to_string()),
            ("scope", self.scopes.join(" ")),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_string(),
            ),
            ("client_assertion", self.client_assertion(token_url)?),
        ])
    }
}

/// How requests to the API are authorised.
#[derive(Debug)]
pub enum Credentials {
    /// `Authorization: SSWS <token>`.
    Ssws(Secret),
    ServiceApp(Box<ServiceApp>),
}

/// Seconds since the epoch by the local clock.
pub fn epoch_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    /// The project's test-only keys (tests/fixtures/keys).
    pub const RSA_KEY: &str = include_str!("../../tests/fixtures/keys/test-only-rsa-private.pem");
    pub const RSA_PUB: &str = include_str!("../../tests/fixtures/keys/test-only-rsa-public.pem");
    pub const EC_KEY: &str = include_str!("../../tests/fixtures/keys/test-only-ec-private.pem");
    pub const EC_PUB: &str = include_str!("../../tests/fixtures/keys/test-only-ec-public.pem");

    fn app(pem: &str) -> ServiceApp {
        ServiceApp {
            client_id: "0oaTEST".into(),
            scopes: vec!["okta.logs.read".into()],
            key: SigningKey::from_pem(pem).unwrap(),
            key_id: Some("kid-1".into()),
            dpop: false,
            dpop_nonce: None,
            token: None,
        }
    }

    #[test]
    fn assertion_claims_verify_with_the_public_key() {
        for (pem, public, decode) in [
            (
                RSA_KEY,
                RSA_PUB,
                DecodingKey::from_rsa_pem as fn(&[u8]) -> jsonwebtoken::errors::Result<DecodingKey>,
            ),
            (
                EC_KEY,
                EC_PUB,
                DecodingKey::from_ec_pem as fn(&[u8]) -> jsonwebtoken::errors::Result<DecodingKey>,
            ),
        ] {
            let app = app(pem);
            let url = "https://acme.okta.com/oauth2/v1/token";
            let jwt = app.client_assertion(url).unwrap();
            let mut v = Validation::new(app.key.algorithm());
            v.set_audience(&[url]);
            v.set_issuer(&["0oaTEST"]);
            let data = jsonwebtoken::decode::<AssertionClaims>(
                &jwt,
                &decode(public.as_bytes()).unwrap(),
                &v,
            )
            .unwrap();
            let c = data.claims;
            assert_eq!(c.sub, "0oaTEST");
            assert!(c.exp > c.iat && c.exp - c.iat <= 3600);
            assert_eq!(data.header.kid.as_deref(), Some("kid-1"));
            assert_ne!(app.client_assertion(url).unwrap(), jwt, "jti is fresh");
        }
    }

    #[test]
    fn dpop_proof_carries_the_public_jwk_and_binds_the_token() {
        for pem in [RSA_KEY, EC_KEY] {
            let mut app = app(pem);
            app.dpop_nonce = Some("n-1".into());
            let url = url::Url::parse("https://acme.okta.com/api/v1/logs?limit=5#x").unwrap();
            let proof = app.dpop_proof("GET", &url, Some("tok")).unwrap();
            let header = jsonwebtoken::decode_header(&proof).unwrap();
            assert_eq!(header.typ.as_deref(), Some("dpop+jwt"));
            let jwk = header.jwk.expect("jwk in header");
            // The embedded JWK verifies the proof: it is the matching public key.
            let key = DecodingKey::from_jwk(&jwk).unwrap();
            let mut v = Validation::new(header.alg);
            v.required_spec_claims.clear();
            v.validate_exp = false;
            let claims = jsonwebtoken::decode::<ProofClaims>(&proof, &key, &v)
                .unwrap()
                .claims;
            assert_eq!(claims.htm, "GET");
            assert_eq!(claims.htu, "https://acme.okta.com/api/v1/logs");
            assert_eq!(claims.nonce.as_deref(), Some("n-1"));
            assert_eq!(claims.ath, Some(access_token_hash("tok")));
            let text = serde_json::to_string(&jwk).unwrap();
            assert!(!text.contains("\"d\""), "no private part in the JWK");
        }
    }

    #[test]
    fn ath_is_base64url_sha256() {
        // RFC 9449 example access token and its ath.
        assert_eq!(
            access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }

    #[test]
    fn bad_keys_are_refused_without_echoing_them() {
        let err = SigningKey::from_pem(
            "-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n-----END PRIVATE KEY-----\n",
        )
        .unwrap_err()
        .to_string();
        assert!(!err.contains("bm9wZQ"));
        assert!(SigningKey::from_pem("-----BEGIN EC PRIVATE KEY-----\n").is_err());
        assert!(SigningKey::from_pem(RSA_PUB).is_err());
    }

    #[test]
    fn token_scheme_and_expiry_come_from_the_answer() {
        let now = Instant::now();
        let t: TokenResponse =
            serde_json::from_str(r#"{"token_type":"DPoP","expires_in":3600,"access_token":"a"}"#)
                .unwrap();
        let t = t.into_token(now);
        assert_eq!(t.scheme, Scheme::Dpop);
        assert!(t.is_fresh(now + Duration::from_secs(3000)));
        assert!(!t.is_fresh(now + Duration::from_secs(3550)));
        assert_eq!(format!("{:?}", t.value), "<redacted>");
    }
}
