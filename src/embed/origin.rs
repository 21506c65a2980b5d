//! Who may command the page and where its events go. Commands are taken from the parent window
//! only (the page that embeds this one), and, when the URL names `parentOrigin`, only when that
//! window is at that origin; events go to that origin only (`targetOrigin`), or to `*` when none
//! is named, which is safe because they carry only what the page shows anyway (see
//! `docs/embed.md`).

use super::message::Rejection;

/// Parses an origin as `MessageEvent.origin` writes it: `http` or `https`, a host, an optional
/// port. Scheme and host are lower-cased, a trailing `/` and a default port (80, 443) dropped,
/// so the result compares equal to the browser's own spelling. The error says what is wrong.
pub fn parse(text: &str) -> Result<String, String> {
    let text = text.trim();
    let shape = "an origin is scheme://host[:port], such as https://course.example.org";
    let bad = |why: &str| Err(format!("`{text}` is not an origin: {why} ({shape})"));
    if text.is_empty() {
        return Err(format!("parentOrigin is empty ({shape})"));
    }
    let lower = text.to_ascii_lowercase();
    let lower = lower.strip_suffix('/').unwrap_or(&lower);
    let Some((scheme, rest)) = lower.split_once("://") else {
        return bad("it has no scheme://");
    };
    let default_port = match scheme {
        "http" => "80",
        "https" => "443",
        _ => return bad("only http and https pages can embed the playground"),
    };
    if let Some(c) = rest
        .chars()
        .find(|c| "/?#@\\".contains(*c) || c.is_whitespace())
    {
        return bad(&format!(
            "`{c}` cannot appear in an origin (no path, query or user name)"
        ));
    }
    let (host, port) = split_port(rest);
    if !valid_host(host) {
        return bad("the host must be a name (letters, digits, '.', '-') or an [IPv6] address");
    }
    match port {
        None => Ok(format!("{scheme}://{host}")),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && !p.starts_with('0') => {
                if p == default_port {
                    Ok(format!("{scheme}://{host}"))
                } else {
                    Ok(format!("{scheme}://{host}:{p}"))
                }
            }
            _ => bad(&format!("`{p}` is not a port (1 to 65535)")),
        },
    }
}

/// `host[:port]` split at the port's colon (an IPv6 address keeps its own colons in brackets).
fn split_port(rest: &str) -> (&str, Option<&str>) {
    let after_host = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |i| i + 1)
    } else {
        rest.find(':').unwrap_or(rest.len())
    };
    let (host, tail) = rest.split_at(after_host);
    (host, tail.strip_prefix(':'))
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.contains(':')
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The page's rule for who may command it and where its events go.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    parent_origin: Option<String>,
}

impl Gate {
    /// `parent_origin` as `parse` returned it, or `None` for any parent.
    pub fn new(parent_origin: Option<String>) -> Self {
        Self { parent_origin }
    }

    /// The `targetOrigin` of `postMessage`: the parent's origin, or `*`.
    pub fn target_origin(&self) -> &str {
        self.parent_origin.as_deref().unwrap_or("*")
    }

    /// Whether a message may be read as a command: it must come from the parent window
    /// (`event.source === window.parent`) and, with `parentOrigin` set, from that origin.
    pub fn admit(&self, from_parent: bool, origin: &str) -> Result<(), Rejection> {
        if !from_parent {
            return Err(Rejection::NotFromParent {
                origin: origin.to_string(),
            });
        }
        match &self.parent_origin {
            Some(expected) if expected != origin => Err(Rejection::WrongOrigin {
                origin: origin.to_string(),
                expected: expected.clone(),
            }),
            _ => Ok(()),
        }
    }
}
