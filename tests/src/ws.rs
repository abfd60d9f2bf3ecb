//! The feed as a test holds it: a WebSocket client reading JSON frames, each checked against
//! `api-schema/asyncapi.json`.

use serde_json::Value;

/// A WebSocket client of the gateway, reading JSON frames.
pub struct Ws {
    pub(crate) stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Ws {
    /// The next frame `{type, position, data}`; panics after 20 s of silence.
    pub async fn next(&mut self) -> Value {
        use futures_util::StreamExt;
        loop {
            let msg = tokio::time::timeout(std::time::Duration::from_secs(20), self.stream.next())
                .await
                .expect("a frame within 20 s")
                .expect("the socket is open")
                .expect("a WebSocket message");
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                let frame = serde_json::from_str(&t).expect("frames are JSON");
                crate::schema::check_frame(&frame);
                return frame;
            }
        }
    }

    /// The next frame of one of `types`, skipping others.
    pub async fn next_of(&mut self, types: &[&str]) -> Value {
        loop {
            let f = self.next().await;
            if types.iter().any(|t| f["type"] == *t) {
                return f;
            }
        }
    }

    /// Every frame until the server closes the socket (pings do not count); panics after 60 s.
    pub async fn until_closed(mut self) -> Vec<Value> {
        use futures_util::StreamExt;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut out = Vec::new();
        loop {
            let next = match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Ok(n) => n,
                Err(_) => panic!(
                    "the server closes the socket within 60 s; {} frames before, the last {:?}",
                    out.len(),
                    out.last()
                ),
            };
            match next {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) => {
                    out.push(serde_json::from_str(&t).expect("frames are JSON"))
                }
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_)))
                | None
                | Some(Err(_)) => return out,
                Some(Ok(_)) => {}
            }
        }
    }

    /// Every frame up to and including the first for which `last` holds; panics after 20 s of
    /// silence (a resumed backlog followed by a marker the test caused).
    pub async fn until(&mut self, last: impl Fn(&Value) -> bool) -> Vec<Value> {
        let mut out = Vec::new();
        loop {
            let f = self.next().await;
            let done = last(&f);
            out.push(f);
            if done {
                return out;
            }
        }
    }

    /// Wait up to `secs` for the server to close the socket: the frames before, and the close
    /// code it gave (`None` when it closed without one). Panics if it stays open.
    pub async fn closed_within(mut self, secs: u64) -> (Vec<Value>, Option<u16>) {
        use futures_util::StreamExt;
        use tokio_tungstenite::tungstenite::Message;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        let mut out = Vec::new();
        loop {
            let next = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .unwrap_or_else(|_| {
                    panic!("the server closes the socket within {secs} s; frames: {out:?}")
                });
            match next {
                Some(Ok(Message::Text(t))) => {
                    out.push(serde_json::from_str(&t).expect("frames are JSON"))
                }
                Some(Ok(Message::Close(c))) => return (out, c.map(|c| u16::from(c.code))),
                None | Some(Err(_)) => return (out, None),
                Some(Ok(_)) => {}
            }
        }
    }

    pub async fn close(mut self) {
        let _ = self.stream.close(None).await;
    }
}
