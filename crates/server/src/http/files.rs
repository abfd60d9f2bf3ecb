//! Files (R7): upload on both APIs, download and preview by visibility, and the attachments a
//! message names by file id (new uploads and re-sent ones alike).

use super::extract::{Caller, Transport};
use super::support::written;
#[allow(unused_imports)]
use super::views::Written;
use super::Problem;
use crate::app::App;
use crate::files::{spool, Blobs, Decoding, SpoolError, Spooled, MAX_UPLOAD};
use actix_web::http::header::{self, HeaderMap};
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chatd_domain::channel::AttachmentKind;
use chatd_domain::dialog::Dialog;
use chatd_domain::file::File;
use chatd_domain::file::{FileCommand, FileMeta};
use chatd_domain::{Attachment, FileId, Principal};
use chatd_projections::model::files::FileView;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// An uploaded file as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct FileOut {
    pub id: Uuid,
    pub name: String,
    /// Sniffed from the bytes.
    pub mime: String,
    pub kind: AttachmentKind,
    pub size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    pub sha256: String,
    /// Where to download it (relative to the API's origin).
    pub url: String,
    /// A JPEG thumbnail, for images that decode.
    pub preview_url: Option<String>,
}

impl FileOut {
    pub(super) fn new(m: &FileMeta, base: &str) -> FileOut {
        FileOut {
            id: m.file_id.0,
            name: m.name.clone(),
            mime: m.mime.clone(),
            kind: m.kind,
            size: m.size,
            width: m.width,
            height: m.height,
            sha256: m.sha256.clone(),
            url: format!("{base}/files/{}", m.file_id),
            preview_url: m
                .preview
                .then(|| format!("{base}/files/{}/preview", m.file_id)),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The file's name; otherwise the multipart part's or `Content-Disposition`'s filename.
    name: Option<String>,
}

fn too_large() -> Problem {
    Problem::file_too_large(format!(
        "uploads are limited to {} MB; each channel's own limits apply when the file is sent",
        MAX_UPLOAD / (1024 * 1024)
    ))
}

fn header_param(value: &str, key: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn bad_body(detail: impl Into<String>) -> Problem {
    Problem::unreadable_body(detail)
}

/// The upload streamed to disk: a raw body, or the first file part of a `multipart/form-data`
/// body (the first part at all when none names a file). Also its filename and declared type.
async fn receive_file(
    blobs: &Blobs,
    headers: &HeaderMap,
    payload: web::Payload,
) -> Result<(Spooled, Option<String>, Option<String>), Problem> {
    let limit = MAX_UPLOAD as u64;
    let spooled = |r: Result<Spooled, SpoolError>| {
        r.map_err(|e| match e {
            SpoolError::TooLarge(_) => too_large(),
            SpoolError::Body(d) => bad_body(d),
            SpoolError::Io(e) => Problem::internal(&e),
        })
    };
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if !declared
        .as_deref()
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"))
    {
        let name = headers
            .get(header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| header_param(v, "filename"));
        let file = spooled(spool(&blobs.spool_dir, payload, limit).await)?;
        return Ok((file, name, declared));
    }
    let mut parts = actix_multipart::Multipart::new(headers, payload);
    let mut first: Option<(Spooled, Option<String>, Option<String>)> = None;
    while let Some(field) = parts.next().await {
        let field = field.map_err(|e| bad_body(e.to_string()))?;
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let ctype = field.content_type().map(|m| m.to_string());
        let named = name.is_some();
        let file = spooled(spool(&blobs.spool_dir, field, limit).await)?;
        if named {
            return Ok((file, name, ctype));
        }
        first.get_or_insert((file, name, ctype));
    }
    first.ok_or_else(|| bad_body("no file part in the multipart body"))
}

/// Store an upload by `by`: inspect the bytes, keep them in the file store, record the file.
async fn upload(
    app: &App,
    blobs: &Blobs,
    by: Principal,
    req: &actix_web::HttpRequest,
    name: Option<String>,
    payload: web::Payload,
    base: &str,
) -> Result<HttpResponse, Problem> {
    let (file, part_name, declared) = receive_file(blobs, req.headers(), payload).await?;
    if file.size == 0 {
        return Err(Problem::empty_file("the file is empty"));
    }
    let name = chatd_domain::file::clean_name(name.or(part_name).as_deref().unwrap_or(""));
    let decoding = req
        .app_data::<web::Data<Decoding>>()
        .expect("Decoding is registered");
    let (file, inspected) = decoding
        .inspect(file, declared.as_deref())
        .await
        .map_err(|e| Problem::internal(&e))?;
    blobs
        .put(&file, &inspected)
        .await
        .map_err(|e| Problem::internal(&e))?;
    let meta = FileMeta {
        file_id: FileId::from(Uuid::new_v4()),
        sha256: inspected.sha256,
        name,
        mime: inspected.mime,
        kind: inspected.kind,
        size: inspected.size,
        width: inspected.width,
        height: inspected.height,
        preview: inspected.preview.is_some(),
    };
    let out = app
        .execute::<File>(
            meta.file_id,
            &app.command(by, FileCommand::Upload(meta.clone())),
        )
        .await?;
    written(StatusCode::CREATED, FileOut::new(&meta, base), out.position)
}

#[utoipa::path(operation_id = "upload_file", post, path = "/api/v1/files", tag = "files", params(UploadParams), security(("bearer" = [])), request_body(content = Vec<u8>, description = "the raw bytes with their `Content-Type`, or `multipart/form-data` with one file part", content_type = "application/octet-stream"), responses((status = 201, body = Written<FileOut>), (status = 413, description = "file_too_large", body = Problem), (status = 422, description = "empty_file", body = Problem)))]
#[post("/files")]
async fn upload_manager(
    app: web::Data<App>,
    blobs: web::Data<Blobs>,
    caller: Caller,
    req: actix_web::HttpRequest,
    q: web::Query<UploadParams>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let name = q.into_inner().name;
    upload(
        &app,
        &blobs,
        caller.principal,
        &req,
        name,
        payload,
        "/api/v1",
    )
    .await
}

#[utoipa::path(operation_id = "transport_upload_file", post, path = "/api/transport/v1/files", tag = "transport", params(UploadParams), security(("transport" = [])), request_body(content = Vec<u8>, description = "the raw bytes with their `Content-Type`, or `multipart/form-data` with one file part", content_type = "application/octet-stream"), responses((status = 201, body = Written<FileOut>), (status = 413, description = "file_too_large", body = Problem), (status = 422, description = "empty_file", body = Problem)))]
#[post("/files")]
async fn upload_transport(
    app: web::Data<App>,
    blobs: web::Data<Blobs>,
    transport: Transport,
    req: actix_web::HttpRequest,
    q: web::Query<UploadParams>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let name = q.into_inner().name;
    upload(
        &app,
        &blobs,
        transport.principal,
        &req,
        name,
        payload,
        "/api/transport/v1",
    )
    .await
}

fn readable(app: &App, p: &Principal, id: Uuid) -> Result<FileView, Problem> {
    app.model()
        .readable_file(p, FileId::from(id))
        .cloned()
        .ok_or_else(Problem::not_found)
}

/// `Content-Disposition: attachment` for any stored name (RFC 6266): an ASCII `filename` for
/// old clients and the exact name as `filename*=UTF-8''…` (RFC 8187). Names recorded before
/// names were cleaned are cleaned here, so every file can be downloaded.
fn attachment(name: &str) -> header::ContentDisposition {
    use header::{Charset, DispositionParam, DispositionType, ExtendedValue};
    let name = chatd_domain::file::clean_name(name);
    let ascii: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' && c != '%' => c,
            _ => '_',
        })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(ascii.clone())];
    if ascii != name {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: name.into_bytes(),
        }));
    }
    header::ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

/// File bytes are whatever someone uploaded: a browser that opens one anyway (a link, a tab)
/// runs nothing of it and gives it no origin (R32).
const FILE_CSP: &str = "sandbox; default-src 'none'";

async fn download(blobs: &Blobs, f: FileView) -> Result<HttpResponse, Problem> {
    let bytes = blobs
        .get(&f.meta.sha256)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::Ok()
        .content_type(f.meta.mime.as_str())
        .insert_header((header::CONTENT_DISPOSITION, attachment(&f.meta.name)))
        .insert_header((header::ETAG, format!("\"{}\"", f.meta.sha256)))
        .insert_header((header::CONTENT_SECURITY_POLICY, FILE_CSP))
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .body(bytes))
}

#[utoipa::path(operation_id = "get_file", get, path = "/api/v1/files/{id}", tag = "files", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "the bytes, with their sniffed type", content_type = "application/octet-stream", body = Vec<u8>), (status = 404, description = "not_found: no such file, or in no dialog the caller sees", body = Problem)))]
#[get("/files/{id}")]
async fn get_manager(
    app: web::Data<App>,
    blobs: web::Data<Blobs>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    download(&blobs, readable(&app, &caller.principal, *id)?).await
}

#[utoipa::path(operation_id = "transport_get_file", get, path = "/api/transport/v1/files/{id}", tag = "transport", params(("id" = uuid::Uuid, Path)), security(("transport" = [])), responses((status = 200, description = "the bytes of a file attached in one of the channel's dialogs", content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
#[get("/files/{id}")]
async fn get_transport(
    app: web::Data<App>,
    blobs: web::Data<Blobs>,
    transport: Transport,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    download(&blobs, readable(&app, &transport.principal, *id)?).await
}

#[utoipa::path(operation_id = "get_file_preview", get, path = "/api/v1/files/{id}/preview", tag = "files", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "a JPEG thumbnail, at most 256 px a side", content_type = "image/jpeg", body = Vec<u8>), (status = 404, description = "not_found, or no_preview for a file that is not a decodable image", body = Problem)))]
#[get("/files/{id}/preview")]
async fn preview(
    app: web::Data<App>,
    blobs: web::Data<Blobs>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let f = readable(&app, &caller.principal, *id)?;
    if !f.meta.preview {
        return Err(Problem::no_preview(
            "the file is not an image chatd could decode",
        ));
    }
    let bytes = blobs
        .preview(&f.meta.sha256)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((header::CONTENT_SECURITY_POLICY, FILE_CSP))
        .insert_header((
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        ))
        .body(bytes))
}

/// Which tab of the seed's "Show attachments": images, or every other file.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentTab {
    Image,
    File,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachmentParams {
    /// `image`, or `file` for everything that is not an image; both when absent.
    kind: Option<AttachmentTab>,
    cursor: Option<String>,
    limit: Option<usize>,
    min_position: Option<String>,
}

/// One attachment of a dialog, with the message that carried it.
#[derive(Serialize, ToSchema)]
pub struct AttachmentOut {
    pub message_id: Uuid,
    pub author: super::views::ActorOut,
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    pub file: FileOut,
}

#[utoipa::path(operation_id = "list_attachments", get, path = "/api/v1/dialogs/{id}/attachments", tag = "dialogs", params(("id" = uuid::Uuid, Path), AttachmentParams), security(("bearer" = [])), responses((status = 200, description = "sent and received attachments, newest first", body = super::views::Page<AttachmentOut>), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
#[get("/dialogs/{id}/attachments")]
async fn dialog_attachments(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
    p: web::Query<AttachmentParams>,
) -> Result<HttpResponse, Problem> {
    use chatd_domain::dialog::DialogEvent;
    super::support::settle(&app, p.min_position.as_deref()).await?;
    {
        let m = app.model();
        super::dialogs::visible_row(&m, &caller, *id)?;
    }
    let (skip, limit) = super::support::offset_page(p.cursor.as_deref(), p.limit, 'a')?;
    let history = app.history::<Dialog>(*id).await?;
    let wanted = |a: &Attachment| match p.kind {
        None => true,
        Some(AttachmentTab::Image) => a.kind == AttachmentKind::Image,
        Some(AttachmentTab::File) => a.kind != AttachmentKind::Image,
    };
    let m = app.model();
    let found: Vec<_> = history
        .iter()
        .rev()
        .flat_map(|(_, r)| {
            let (message_id, author, attachments) = match &r.event {
                DialogEvent::MessageReceived {
                    message_id,
                    author,
                    attachments,
                    ..
                }
                | DialogEvent::MessageSent {
                    message_id,
                    author,
                    attachments,
                    ..
                } => (*message_id, author, attachments.as_slice()),
                _ => (
                    chatd_domain::MessageId::from(Uuid::nil()),
                    &r.meta.actor,
                    &[][..],
                ),
            };
            attachments
                .iter()
                .rev()
                .filter(|a| wanted(a))
                .map(move |a| (message_id, *author, r.meta.at, a))
        })
        .collect();
    let items = found
        .iter()
        .skip(skip)
        .take(limit)
        .filter_map(|(message_id, author, at, a)| {
            let meta = &m.files.by_id.get(&a.file_id)?.meta;
            Some(AttachmentOut {
                message_id: message_id.0,
                author: super::views::actor(&m, author),
                at: *at,
                file: FileOut::new(meta, "/api/v1"),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(super::views::Page {
        items,
        next_cursor: super::support::next_offset(skip, limit, found.len(), 'a'),
    }))
}

pub fn manager_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(upload_manager)
        .service(preview)
        .service(get_manager)
        .service(dialog_attachments);
}

pub fn transport_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(upload_transport).service(get_transport);
}
