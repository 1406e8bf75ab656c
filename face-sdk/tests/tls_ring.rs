//! With the `rustls-ring` feature, building a client installs ring as rustls's
//! process-wide crypto provider only when the application installed none: a
//! provider installed first stays. Alone in its binary: the provider is global.
#![cfg(feature = "rustls-ring")]

use face_sdk::FaceClient;

#[test]
fn a_provider_the_application_installed_first_stays() {
    let mut provider = rustls::crypto::ring::default_provider();
    provider.cipher_suites.truncate(1);
    provider
        .install_default()
        .expect("the first provider of this process");

    FaceClient::new("https://example.test", "key").expect("a client");

    let installed = rustls::crypto::CryptoProvider::get_default().expect("a provider");
    assert_eq!(installed.cipher_suites.len(), 1);
}
