//! Building a client: required settings, environments, base URLs.

use pagos_core::Error;
use pagos_kashpay::Environment;

use super::*;

fn config_setting(result: pagos_core::Result<KashpayClient>) -> String {
    match result {
        Err(Error::Config(c)) => c.setting().to_string(),
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn build_requires_entity_user_and_password() {
    let base = || {
        KashpayClient::builder()
            .environment(Environment::Sandbox)
            .transport(transport())
    };
    assert_eq!(
        config_setting(base().user(USER).password(PASSWORD).build()),
        "entity"
    );
    assert_eq!(
        config_setting(base().entity(" ").user(USER).password(PASSWORD).build()),
        "entity"
    );
    assert_eq!(
        config_setting(
            base()
                .entity("com cascade")
                .user(USER)
                .password(PASSWORD)
                .build()
        ),
        "entity"
    );
    assert_eq!(
        config_setting(base().entity(ENTITY).password(PASSWORD).build()),
        "user"
    );
    assert_eq!(
        config_setting(base().entity(ENTITY).user(USER).build()),
        "password"
    );
    assert_eq!(
        config_setting(base().entity(ENTITY).user(USER).password("").build()),
        "password"
    );
}

#[test]
fn environments_and_base_urls() {
    let creds = || builder().transport(transport());
    // Sandbox: the documented plain-http hosts.
    let sandbox = creds().environment(Environment::Sandbox).build().unwrap();
    assert_eq!(
        sandbox.session().authenticator().url().as_str(),
        "http://sdbx-polaris.kashplataforma.com/AuthenticationService/authenticate"
    );
    assert_eq!(
        sandbox.auth_base_url().as_str(),
        "http://sdbx-polaris.kashplataforma.com"
    );
    assert_eq!(
        sandbox.orders_base_url().as_str(),
        "http://sdbx-centauri.kashplataforma.com"
    );
    assert_eq!(sandbox.base_url(), sandbox.orders_base_url());
    assert_eq!(sandbox.executor().base_url(), sandbox.orders_base_url());
    // Production (the default): the orders host must be given.
    assert_eq!(config_setting(creds().build()), "orders_base_url");
    let prod = creds()
        .orders_base_url("https://orders.example.mx/")
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        prod.session().authenticator().url().as_str(),
        "https://polaris.kashplataforma.com/AuthenticationService/authenticate"
    );
    assert_eq!(prod.orders_base_url().as_str(), "https://orders.example.mx");
    // User-supplied URLs: https or loopback only, even for the sandbox hosts.
    let err = creds()
        .auth_base_url("http://sdbx-polaris.kashplataforma.com")
        .unwrap_err();
    assert_eq!(err.setting(), "auth_base_url");
    let err = creds().orders_base_url("not a url").unwrap_err();
    assert_eq!(err.setting(), "orders_base_url");
    assert_eq!(
        creds().base_url("ftp://x.mx").unwrap_err().setting(),
        "base_url"
    );
    // Separately configurable hosts; `&String` and `String` are accepted too.
    let auth_url = String::from("https://auth.example.mx");
    let split = creds()
        .auth_base_url(&auth_url)
        .unwrap()
        .orders_base_url(String::from("http://127.0.0.1:9/orders"))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(
        split.session().authenticator().url().as_str(),
        "https://auth.example.mx/AuthenticationService/authenticate"
    );
    assert_eq!(
        split.orders_base_url().as_str(),
        "http://127.0.0.1:9/orders"
    );
    assert_eq!(split.entity(), ENTITY);
}

#[test]
fn the_client_is_clone_send_sync_and_redacts_its_debug() {
    fn shareable<T: Clone + Send + Sync + 'static>() {}
    shareable::<KashpayClient>();
    let client = builder()
        .environment(Environment::Sandbox)
        .transport(transport())
        .build()
        .unwrap();
    let text = format!("{client:?}");
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(text.contains("[REDACTED]"), "{text}");
    assert!(text.contains(ENTITY), "{text}");
}
