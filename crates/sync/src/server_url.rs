//! Which servers a desk may sign in to: `https://` only, except a server on
//! this machine (loopback), which may be plain `http://` for development.

use url::Url;

use crate::error::{SyncError, SyncResult};

/// The checked base address of a server, without a trailing slash.
pub fn check(text: &str) -> SyncResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SyncError::invalid(
            "server_url",
            "Enter the server's address, for example https://pms.example.in",
        ));
    }
    let url = Url::parse(text).map_err(|_| {
        SyncError::invalid(
            "server_url",
            "Enter the server's full address, starting with https://, for example https://pms.example.in",
        )
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(SyncError::invalid(
                "server_url",
                "Only https:// servers are accepted: a plain http:// address would send your password and tenants' data unencrypted",
            ))
        }
        _ => {
            return Err(SyncError::invalid(
                "server_url",
                "The server's address must start with https://",
            ))
        }
    }
    if url.host().is_none() || !url.username().is_empty() || url.password().is_some() {
        return Err(SyncError::invalid(
            "server_url",
            "Enter only the server's address, for example https://pms.example.in (no user name in it)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(SyncError::invalid(
            "server_url",
            "Enter only the server's address, without ? or # parts",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn https_anywhere_and_http_only_on_this_machine() {
        assert_eq!(
            check(" https://pms.example.in/ ").unwrap(),
            "https://pms.example.in"
        );
        assert_eq!(
            check("https://pms.example.in:8443/api").unwrap(),
            "https://pms.example.in:8443/api"
        );
        assert_eq!(
            check("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            check("http://localhost:8080/").unwrap(),
            "http://localhost:8080"
        );
        assert_eq!(check("http://[::1]:9000").unwrap(), "http://[::1]:9000");
        for bad in [
            "",
            "pms.example.in",
            "http://pms.example.in",
            "http://192.168.1.10:8080",
            "ftp://pms.example.in",
            "https://user:pw@pms.example.in",
            "https://pms.example.in/?x=1",
        ] {
            let err = check(bad).unwrap_err();
            assert_eq!(err.field(), Some("server_url"), "{bad}: {err}");
        }
    }
}
