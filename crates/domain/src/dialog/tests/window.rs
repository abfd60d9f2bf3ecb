//! R25 reply window and R26 templates in the send decision.

use super::*;
use crate::template::{Template, TemplateStatus, TemplateUse};

fn wa_send(n: u128, template: Option<(Template, Vec<String>)>, text: &str) -> DialogCommand {
    let mut m = outgoing(n, text);
    m.channel = profile(ChannelType::WhatsappBusiness);
    m.template = template;
    DialogCommand::Send(Box::new(m))
}

fn order_ready(status: TemplateStatus) -> Template {
    Template {
        code: "order_ready".into(),
        name: "Order ready".into(),
        language: "en".into(),
        body: "Order {{1}} is ready".into(),
        status,
    }
}

fn at(g: &Given, hours: i64, body: DialogCommand) -> Result<Vec<DialogEvent>, DomainError> {
    decide(
        &g.0,
        &Command {
            by: manager(1),
            at: T0 + time::Duration::hours(hours),
            body,
        },
    )
}

#[test]
fn r25_free_form_only_within_a_day_of_the_customers_last_message() {
    let g = Given::opened();
    assert!(at(&g, 23, wa_send(200, None, "hi")).is_ok());
    assert_eq!(
        at(&g, 24, wa_send(200, None, "hi")),
        Err(DomainError::ReplyWindowClosed)
    );
    // Telegram has no window.
    assert!(at(&g, 100, send(200, "hi")).is_ok());
}

#[test]
fn r26_an_approved_template_goes_out_rendered_outside_the_window() {
    let g = Given::opened();
    let params = vec!["#42".to_owned()];
    let ok = at(
        &g,
        48,
        wa_send(
            200,
            Some((order_ready(TemplateStatus::Approved), params.clone())),
            "",
        ),
    )
    .unwrap();
    let sent = ok
        .iter()
        .find_map(|e| match e {
            DialogEvent::MessageSent { text, template, .. } => {
                Some((text.clone(), template.clone()))
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(sent.0, "Order #42 is ready");
    assert_eq!(
        sent.1,
        Some(TemplateUse {
            code: "order_ready".into(),
            language: "en".into(),
            params: params.clone()
        })
    );
    assert_eq!(
        at(
            &g,
            48,
            wa_send(200, Some((order_ready(TemplateStatus::Paused), params)), "")
        ),
        Err(DomainError::TemplateNotApproved)
    );
}
