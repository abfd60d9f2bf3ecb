//! The `chatd audit` commands' work, printed for a person: `verify` (optionally against a kept
//! checkpoint), `checkpoint`, `key`. `main` parses the flags and opens the store.

use super::checkpoint::{self, Checkpoint};
use super::key;
use super::verify::verify;
use crate::config::Config;
use chatd_store::chains::{Kept, Report};
use chatd_store::EventStore;
use std::io::Write;
use std::path::Path;

/// Whether the log is intact (the exit code).
pub struct Outcome {
    pub intact: bool,
}

fn trusted_key(
    config: &Config,
    key_file: Option<&Path>,
) -> Result<ed25519_dalek::VerifyingKey, String> {
    match key_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("{}: {e}", path.display()))
            .and_then(|text| {
                key::read_public(&text).map_err(|e| format!("{}: {e}", path.display()))
            }),
        // Verifying never makes a key: a missing one would only be trusted because it is new.
        None => crate::audit::key::AuditKey::load_or_create(&config.audit_key_path(), false)
            .map(|k| k.public())
            .map_err(|e| format!("{e}; pass the public key you trust with --key")),
    }
}

/// Read a kept checkpoint and check its signature against the trusted key.
pub fn kept_checkpoint(
    config: &Config,
    file: &Path,
    key_file: Option<&Path>,
) -> Result<(Checkpoint, Kept), String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("checkpoint {}: {e}", file.display()))?;
    let cp: Checkpoint = serde_json::from_str(&text)
        .map_err(|e| format!("checkpoint {}: not a checkpoint: {e}", file.display()))?;
    let trusted = trusted_key(config, key_file)?;
    let kept = checkpoint::check(&cp, &trusted)
        .map_err(|e| format!("checkpoint {}: {e}", file.display()))?;
    Ok((cp, kept))
}

/// Print a walk's breaks: the first of each stream, then the total.
pub fn print_breaks(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for b in &report.breaks {
        writeln!(out, "BROKEN: {b}")?;
    }
    let listed = report.breaks.len() as u64;
    writeln!(
        out,
        "{} break{} found ({} listed: the first of each stream); {} events in {} streams read",
        report.total_breaks,
        if report.total_breaks == 1 { "" } else { "s" },
        listed,
        report.events,
        report.streams
    )
}

/// `chatd audit verify [--checkpoint FILE [--key FILE]]`.
pub async fn verify_command(
    store: &dyn EventStore,
    kept: Option<(Checkpoint, Kept)>,
    out: &mut impl Write,
) -> Result<Outcome, Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let against = kept
        .as_ref()
        .map(|(cp, _)| (cp.position.clone(), cp.streams, cp.key_id.clone()));
    let (report, _) = verify(store, kept.map(|(_, k)| k)).await?;
    if !report.intact() {
        print_breaks(out, &report)?;
        return Ok(Outcome { intact: false });
    }
    write!(
        out,
        "verified {} events in {} streams in {:.3} s: every hash chain is intact",
        report.events,
        report.streams,
        started.elapsed().as_secs_f64()
    )?;
    if store.contiguous_positions() {
        write!(
            out,
            "; positions 1 to {} have no gap",
            report.last.map_or("0".into(), |p| p.to_string())
        )?;
    }
    if report.foreign > 0 {
        write!(
            out,
            " ({} events of other streams not checked)",
            report.foreign
        )?;
    }
    writeln!(out)?;
    if let Some((position, streams, key_id)) = against {
        writeln!(
            out,
            "the log extends the checkpoint at position {position} ({streams} streams, signed by key {key_id})"
        )?;
    }
    Ok(Outcome { intact: true })
}

/// `chatd audit checkpoint`: verify the whole log, then print a signed checkpoint of it.
pub async fn checkpoint_command(
    config: &Config,
    store: &dyn EventStore,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<Outcome, Box<dyn std::error::Error>> {
    let key = config.audit_key()?;
    let (report, heads) = verify(store, None).await?;
    if !report.intact() {
        writeln!(
            err,
            "chatd: the log does not verify; no checkpoint is signed"
        )?;
        print_breaks(err, &report)?;
        return Ok(Outcome { intact: false });
    }
    let cp = checkpoint::sign(&key, &heads, report.last, time::OffsetDateTime::now_utc());
    serde_json::to_writer_pretty(&mut *out, &cp)?;
    writeln!(out)?;
    Ok(Outcome { intact: true })
}

/// `chatd audit key`: the public key as PEM on `out` (to save as a file), its id and hex on `err`.
pub fn key_command(
    config: &Config,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let public = config.audit_key()?.public();
    write!(out, "{}", key::public_pem(&public))?;
    writeln!(
        err,
        "key id {}, public key {}",
        key::key_id(&public),
        chatd_store::hash::hex(public.as_bytes())
    )?;
    Ok(())
}
