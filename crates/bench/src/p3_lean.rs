//! P3's second baseline: the leanest server that frames only durable messages. A POST hands its
//! message to one writer thread, which commits every message waiting in one SQLite transaction
//! (WAL, `synchronous=FULL`: one fsync a commit), then puts each frame straight into its socket's
//! queue and answers the POST. Two thread hand-overs (the HTTP worker to the writer, the writer to
//! the socket's worker) and one fsync: what chatd's interval cannot go below on this machine
//! without giving up durability. No rules, no read models, no visibility: a floor, not a rival.

use futures_util::FutureExt;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{mpsc, Arc, Mutex};

type Sessions = Arc<Mutex<HashMap<usize, actix_ws::Session>>>;

/// One message on its way to the writer: the socket it goes to, its text, when it was decided,
/// and whom to answer.
struct Message {
    to: usize,
    text: String,
    created_at: String,
    done: tokio::sync::oneshot::Sender<()>,
}

pub struct Lean {
    pub addr: std::net::SocketAddr,
    handle: actix_web::dev::ServerHandle,
    writer: std::thread::JoinHandle<()>,
}

impl Lean {
    pub async fn stop(self) {
        self.handle.stop(false).await;
        let _ = tokio::task::spawn_blocking(move || self.writer.join()).await;
    }
}

/// Start the lean server on a free port, its log at `db`.
pub fn start(db: &Path, sockets: usize) -> Lean {
    let sessions: Sessions = Arc::new(Mutex::new(HashMap::with_capacity(sockets)));
    let (tx, rx) = mpsc::channel::<Message>();
    let conn = rusqlite::Connection::open(db).expect("lean db");
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE IF NOT EXISTS log (pos INTEGER PRIMARY KEY, dialog INTEGER, text TEXT, at TEXT);",
    )
    .expect("lean schema");
    let writer = {
        let sessions = sessions.clone();
        std::thread::Builder::new()
            .name("lean-writer".into())
            .spawn(move || write(conn, rx, sessions))
            .expect("lean writer")
    };
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(actix_web::web::Data::new(sessions.clone()))
            .app_data(actix_web::web::Data::new(tx.clone()))
            .route("/ws/{i}", actix_web::web::get().to(socket))
            .route("/msg/{i}", actix_web::web::post().to(message))
    })
    .disable_signals()
    .bind("127.0.0.1:0")
    .expect("bind lean");
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    Lean {
        addr,
        handle,
        writer,
    }
}

/// Group commit: everything waiting in one transaction, then the frames, then the answers.
fn write(mut conn: rusqlite::Connection, rx: mpsc::Receiver<Message>, sessions: Sessions) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let tx = conn.transaction().expect("begin");
        {
            let mut insert = tx
                .prepare_cached("INSERT INTO log (dialog, text, at) VALUES (?1, ?2, ?3)")
                .expect("prepare");
            for m in &batch {
                insert
                    .execute(rusqlite::params![m.to as i64, m.text, m.created_at])
                    .expect("insert");
            }
        }
        tx.commit().expect("commit (and fsync)");
        let mut sockets = sessions.lock().expect("sessions");
        for m in batch {
            let frame = format!(
                r#"{{"type":"message_new","data":{{"message":{{"text":"{}","created_at":"{}"}}}}}}"#,
                m.text, m.created_at
            );
            if let Some(s) = sockets.get_mut(&m.to) {
                // The socket's queue takes it at once, or the frame is lost (and not counted).
                let _ = s.text(frame).now_or_never();
            }
            let _ = m.done.send(());
        }
    }
}

async fn socket(
    req: actix_web::HttpRequest,
    body: actix_web::web::Payload,
    i: actix_web::web::Path<usize>,
    sessions: actix_web::web::Data<Sessions>,
) -> actix_web::Result<actix_web::HttpResponse> {
    let (resp, session, mut stream) = actix_ws::handle(&req, body)?;
    let i = i.into_inner();
    let sessions = sessions.into_inner();
    sessions
        .lock()
        .expect("sessions")
        .insert(i, session.clone());
    actix_web::rt::spawn(async move {
        let mut session = session;
        while let Some(Ok(msg)) = futures_util::StreamExt::next(&mut stream).await {
            match msg {
                actix_ws::Message::Ping(b) => {
                    let _ = session.pong(&b).await;
                }
                actix_ws::Message::Close(_) => break,
                _ => {}
            }
        }
        // The writer's copy holds the connection open: gone with the client, gone here too.
        sessions.lock().expect("sessions").remove(&i);
        let _ = session.close(None).await;
    });
    Ok(resp)
}

async fn message(
    i: actix_web::web::Path<usize>,
    text: String,
    writer: actix_web::web::Data<mpsc::Sender<Message>>,
) -> actix_web::HttpResponse {
    let created_at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a time formats");
    let (done, answered) = tokio::sync::oneshot::channel();
    let m = Message {
        to: i.into_inner(),
        text,
        created_at,
        done,
    };
    if writer.send(m).is_err() {
        return actix_web::HttpResponse::ServiceUnavailable().finish();
    }
    match answered.await {
        Ok(()) => actix_web::HttpResponse::Ok().finish(),
        Err(_) => actix_web::HttpResponse::ServiceUnavailable().finish(),
    }
}
