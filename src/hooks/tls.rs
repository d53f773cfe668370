//! TLS for the event-hook receiver (`--tls-cert`, `--tls-key`): Okta only
//! calls `https://` hook URLs, so the receiver can terminate TLS itself
//! instead of needing a proxy in front (issue 16, item 1).
//!
//! The certificate chain is used as given (leaf first, then
//! intermediates, as certbot's `fullchain.pem`); the key is PKCS#8, PKCS#1
//! (RSA) or SEC1 (EC) PEM. TLS 1.2 and 1.3 only (rustls' safe defaults),
//! HTTP/1.1 announced by ALPN.
//!
//! [`Reloadable`] resolves the certificate of every new handshake from a
//! slot that [`Reloadable::reload`] replaces (on SIGHUP): open connections
//! keep the session they negotiated, new ones get the new certificate,
//! and a reload that fails (unreadable file, key not matching) keeps the
//! old certificate and says why. Key material never appears in messages.

use anyhow::{Context, Result, anyhow};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The certificate and key files, from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// `--tls-cert`: the PEM certificate chain, leaf first.
    pub cert: PathBuf,
    /// `--tls-key`: the PEM private key.
    pub key: PathBuf,
}

/// Reads and checks the files: a chain of at least one certificate and
/// a key that matches the leaf.
pub fn load(files: &TlsFiles) -> Result<Arc<CertifiedKey>> {
    let provider = rustls::crypto::ring::default_provider();
    let certs = read_chain(&files.cert)?;
    let key = read_key(&files.key)?;
    let signing = provider
        .key_provider
        .load_private_key(key)
        .map_err(|_| anyhow!("--tls-key {}: unsupported private key", files.key.display()))?;
    let certified = CertifiedKey::new(certs, signing);
    certified.keys_match().map_err(|_| {
        anyhow!(
            "--tls-key {} does not match the certificate in --tls-cert {}",
            files.key.display(),
            files.cert.display()
        )
    })?;
    Ok(Arc::new(certified))
}

fn read_chain(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let pem = std::fs::read(path)
        .with_context(|| format!("cannot read --tls-cert {}", path.display()))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| anyhow!("--tls-cert {}: unreadable PEM", path.display()))?;
    if certs.is_empty() {
        return Err(anyhow!(
            "--tls-cert {}: no CERTIFICATE block found",
            path.display()
        ));
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>> {
    let pem =
        std::fs::read(path).with_context(|| format!("cannot read --tls-key {}", path.display()))?;
    // Never the PEM parser's own message: it could quote key material.
    PrivateKeyDer::from_pem_slice(&pem).map_err(|_| {
        anyhow!(
            "--tls-key {}: no PKCS#8, RSA or EC private key PEM block found",
            path.display()
        )
    })
}

/// The current certificate, replaced by [`Reloadable::reload`].
#[derive(Debug)]
pub struct Reloadable {
    files: TlsFiles,
    current: RwLock<Arc<CertifiedKey>>,
}

impl Reloadable {
    /// Loads the files once (an error here stops the start).
    pub fn new(files: TlsFiles) -> Result<Arc<Reloadable>> {
        let current = load(&files)?;
        Ok(Arc::new(Reloadable {
            files,
            current: RwLock::new(current),
        }))
    }

    /// Reads the files again; on success new handshakes use them. On
    /// failure the previous certificate stays.
    pub fn reload(&self) -> Result<()> {
        let fresh = load(&self.files)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }

    /// The rustls server configuration resolving through `self`.
    pub fn server_config(self: &Arc<Self>) -> Result<Arc<rustls::ServerConfig>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .context("cannot set up TLS")?
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

impl ResolvesServerCert for Reloadable {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (String, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        (cert.pem(), key.serialize_pem())
    }

    fn files(dir: &Path, cert: &str, key: &str) -> TlsFiles {
        let files = TlsFiles {
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        };
        std::fs::write(&files.cert, cert).unwrap();
        std::fs::write(&files.key, key).unwrap();
        files
    }

    #[test]
    fn a_matching_pair_loads_and_a_bad_reload_keeps_the_old_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = pair();
        let f = files(dir.path(), &cert, &key);
        let tls = Reloadable::new(f.clone()).unwrap();
        assert!(tls.server_config().is_ok());
        let before = tls.current.read().unwrap().cert.clone();
        let (_, other_key) = pair();
        std::fs::write(&f.key, &other_key).unwrap();
        let err = format!("{:#}", tls.reload().unwrap_err());
        assert!(err.contains("does not match"), "{err}");
        assert!(!err.contains("PRIVATE KEY"), "{err}");
        assert_eq!(tls.current.read().unwrap().cert, before);
        let (cert2, key2) = pair();
        std::fs::write(&f.cert, &cert2).unwrap();
        std::fs::write(&f.key, &key2).unwrap();
        tls.reload().unwrap();
        assert_ne!(tls.current.read().unwrap().cert, before);
    }

    #[test]
    fn unreadable_files_are_explained_without_their_content() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, _) = pair();
        let secretish = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n";
        let err = format!(
            "{:#}",
            load(&files(dir.path(), &cert, secretish)).unwrap_err()
        );
        assert!(!err.contains("c2VjcmV0"), "{err}");
        let err = format!(
            "{:#}",
            load(&files(dir.path(), "no pem", secretish)).unwrap_err()
        );
        assert!(err.contains("no CERTIFICATE"), "{err}");
    }
}
