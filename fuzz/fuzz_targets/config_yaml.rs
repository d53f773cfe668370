//! The config YAML: `~/.okta/okta.yaml` (`okta.client`) and the oksms
//! profiles file (`profiles: NAME: {...}`), parsed into layers and merged
//! as `oksms` does. File references (`tokenFile`, a private key given as a
//! path) are dropped so the target never reads the file system.
#![no_main]

use libfuzzer_sys::fuzz_target;
use oksms::fuzzing::config::{Layer, merge};
use std::collections::BTreeMap;
use std::path::Path;

fn offline(mut layer: Layer) -> Layer {
    layer.token_file = None;
    if let Some(key) = &layer.private_key
        && !key.expose().trim_start().starts_with("-----BEGIN")
    {
        layer.private_key = None;
    }
    layer
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut layers = Vec::new();
    // okta.yaml: the `okta.client` mapping is one layer.
    if let Ok(value) = serde_norway::from_str::<serde_norway::Value>(text)
        && let Some(client) = value.get("okta").and_then(|o| o.get("client"))
        && let Ok(layer) = serde_norway::from_value::<Layer>(client.clone())
    {
        layers.push(offline(layer));
    }
    // config.yaml: every profile is one layer.
    #[derive(serde::Deserialize)]
    struct Profiles {
        #[serde(default)]
        profiles: BTreeMap<String, Layer>,
    }
    if let Ok(file) = serde_norway::from_str::<Profiles>(text) {
        layers.extend(file.profiles.into_values().map(offline));
    }
    let _ = merge(&layers, Some(Path::new("/nonexistent-home")));
});
