//! R25 and R26: the reply window of WhatsApp Business, Messenger and Instagram, and the message
//! templates their platforms approve for writing outside it. Pure: time comes in as a value.

use crate::channel::MAX_TEXT_CHARS;
use crate::error::DomainError;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The platforms' 24 hours.
pub const DAY_S: u64 = 24 * 3600;
/// At most this many templates per channel, and their fields' lengths (bytes).
pub const MAX_TEMPLATES: usize = 1000;
pub const MAX_CODE_BYTES: usize = 512;
pub const MAX_NAME_BYTES: usize = 512;
pub const MAX_LANGUAGE_BYTES: usize = 35;
/// At most this many placeholders in a body.
pub const MAX_PARAMS: usize = 100;

/// R25: when a channel's reply window closes, `window_s` after the customer's latest message
/// (`None`: the channel has no window, or the customer never wrote).
pub fn window_closes_at(
    last_customer_message: Option<OffsetDateTime>,
    window_s: Option<u64>,
) -> Option<OffsetDateTime> {
    let w = i64::try_from(window_s?).unwrap_or(i64::MAX);
    last_customer_message?.checked_add(time::Duration::seconds(w))
}

/// R25: may a free-form message (text or attachments) be sent at `now`?
pub fn window_open(
    last_customer_message: Option<OffsetDateTime>,
    window_s: Option<u64>,
    now: OffsetDateTime,
) -> bool {
    match window_s {
        None => true,
        Some(_) => window_closes_at(last_customer_message, window_s).is_some_and(|c| now < c),
    }
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateStatus {
    Approved,
    Pending,
    Rejected,
    Paused,
    Disabled,
}

/// R26: a template as the platform approved it; `body` holds `{{1}}`, `{{2}}`, ….
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub code: String,
    pub name: String,
    pub language: String,
    pub body: String,
    pub status: TemplateStatus,
}

/// R26: which template a message was, with what: in the message's event and every view of it.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateUse {
    pub code: String,
    pub language: String,
    pub params: Vec<String>,
}

/// The placeholders of a body, in order of appearance (`{{n}}` with n a positive integer).
fn placeholders(body: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = body[from..].find("{{").map(|i| from + i) {
        let Some(close) = body[open + 2..].find("}}").map(|i| open + 2 + i) else {
            break;
        };
        let inner = &body[open + 2..close];
        match inner.parse::<usize>() {
            Ok(n) if inner.bytes().all(|b| b.is_ascii_digit()) => {
                out.push((open, close + 2, n));
                from = close + 2;
            }
            _ => from = open + 2,
        }
    }
    out
}

/// How many parameters a body takes, if its placeholders are `{{1}}…{{n}}`, each first seen in
/// order (a placeholder may repeat).
fn arity(body: &str) -> Option<usize> {
    let mut seen = 0;
    for (_, _, n) in placeholders(body) {
        if n == 0 {
            return None;
        }
        if n == seen + 1 {
            seen = n;
        } else if n > seen {
            return None;
        }
    }
    Some(seen)
}

/// R26: a published set: codes unique, fields bounded, placeholders `{{1}}…{{n}}` in order.
pub fn check_set(templates: &[Template]) -> Result<(), DomainError> {
    if templates.len() > MAX_TEMPLATES {
        return Err(DomainError::invalid(
            "templates",
            format!("at most {MAX_TEMPLATES} per channel"),
        ));
    }
    let mut codes = std::collections::HashSet::new();
    for t in templates {
        let bad = |reason: &str| {
            Err(DomainError::invalid(
                "templates",
                format!("template {:?}: {reason}", t.code),
            ))
        };
        if t.code.trim().is_empty() || t.code.len() > MAX_CODE_BYTES {
            return bad("code must be 1 to 512 bytes");
        }
        if !codes.insert(t.code.as_str()) {
            return bad("the code is listed twice");
        }
        if t.name.len() > MAX_NAME_BYTES || t.language.trim().is_empty() {
            return bad("a name of at most 512 bytes and a language are required");
        }
        if t.language.len() > MAX_LANGUAGE_BYTES {
            return bad("language must be at most 35 bytes");
        }
        if t.body.trim().is_empty() || t.body.chars().count() > MAX_TEXT_CHARS {
            return bad("body must be 1 to 2000 characters");
        }
        match arity(&t.body) {
            Some(n) if n <= MAX_PARAMS => {}
            _ => return bad("placeholders must be {{1}}, {{2}}, … first used in order"),
        }
    }
    Ok(())
}

/// R26: the text a template renders to with `params`, refused (422 `template_params`) when the
/// count is wrong, a parameter is empty, or the text is longer than R8 allows.
pub fn render(t: &Template, params: &[String]) -> Result<String, DomainError> {
    let n = arity(&t.body).unwrap_or(0);
    let wrong = |reason: String| Err(DomainError::TemplateParams { reason });
    if params.len() != n {
        return wrong(format!(
            "{:?} takes {n} parameters, not {}",
            t.code,
            params.len()
        ));
    }
    if params.iter().any(|p| p.trim().is_empty()) {
        return wrong("a parameter is empty".into());
    }
    let mut out = String::with_capacity(t.body.len());
    let mut at = 0;
    for (open, close, i) in placeholders(&t.body) {
        out.push_str(&t.body[at..open]);
        match i.checked_sub(1).and_then(|k| params.get(k)) {
            Some(p) => out.push_str(p),
            None => out.push_str(&t.body[open..close]),
        }
        at = close;
        if out.chars().count() > MAX_TEXT_CHARS {
            break;
        }
    }
    out.push_str(&t.body[at..]);
    if out.chars().count() > MAX_TEXT_CHARS {
        return wrong(format!(
            "the rendered text is longer than {MAX_TEXT_CHARS} characters"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn t(body: &str, status: TemplateStatus) -> Template {
        Template {
            code: "order_ready".into(),
            name: "Order ready".into(),
            language: "en".into(),
            body: body.into(),
            status,
        }
    }

    #[test]
    fn r25_the_window_closes_a_day_after_the_customers_last_message() {
        let last = Some(datetime!(2026-12-01 10:00 UTC));
        let day = Some(DAY_S);
        assert!(window_open(last, day, datetime!(2026-12-02 09:59:59 UTC)));
        assert!(!window_open(last, day, datetime!(2026-12-02 10:00 UTC)));
        assert!(window_open(last, None, datetime!(2030-01-01 0:00 UTC)));
        assert!(!window_open(None, day, datetime!(2026-12-01 10:00 UTC)));
        assert_eq!(
            window_closes_at(last, day),
            Some(datetime!(2026-12-02 10:00 UTC))
        );
        assert_eq!(window_closes_at(last, Some(u64::MAX)), None);
    }

    #[test]
    fn r26_placeholders_must_be_one_to_n_in_order() {
        let ok = |b: &str| check_set(&[t(b, TemplateStatus::Approved)]).is_ok();
        assert!(ok("Hello {{1}}, order {{2}} is ready. Thanks, {{1}}!"));
        assert!(ok("No placeholders"));
        assert!(!ok("Order {{2}} for {{1}}"));
        assert!(!ok("Order {{1}} and {{3}}"));
        assert!(!ok("Order {{0}}"));
        assert!(ok("literal {{ name }} braces"));
        let twice = [
            t("a", TemplateStatus::Approved),
            t("b", TemplateStatus::Pending),
        ];
        assert!(check_set(&twice).is_err());
    }

    #[test]
    fn r26_rendering_checks_the_parameters() {
        let tpl = t(
            "Hello {{1}}, order {{2}} is ready. Thanks, {{1}}!",
            TemplateStatus::Approved,
        );
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            render(&tpl, &p(&["Ann", "#42"])).unwrap(),
            "Hello Ann, order #42 is ready. Thanks, Ann!"
        );
        assert!(matches!(
            render(&tpl, &p(&["Ann"])),
            Err(DomainError::TemplateParams { .. })
        ));
        assert!(matches!(
            render(&tpl, &p(&["Ann", " "])),
            Err(DomainError::TemplateParams { .. })
        ));
        let long = "x".repeat(1000);
        assert!(matches!(
            render(&tpl, &p(&[&long, "1"])),
            Err(DomainError::TemplateParams { .. })
        ));
    }
}
