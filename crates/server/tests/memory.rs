//! R32: no authenticated user can exhaust the machine through image decoding. Forty uploads at
//! once of a small PNG that declares 8000 × 8000 RGBA pixels (256 MB decoded) drove chatd to
//! 10 GB resident before decodes were gated; now at most `image_decodes` run at a time, each
//! under `image_decode_mib`, so the peak is set by configuration. Measured on the real binary:
//! its peak resident set (`VmHWM`) after forty uploads at once of an image just under the cap
//! (which decodes: the gate bounds how many at a time) and then of one far over it (which is
//! refused before its pixels are allocated).

mod support;

const UPLOADS: usize = 40;
/// 3900² RGBA is 58 MiB decoded, under the default cap of 64 MiB: it decodes and is previewed.
const UNDER_CAP: u32 = 3900;
/// 8000² RGBA is 244 MiB decoded: measured from its header, never decoded.
const OVER_CAP: u32 = 8000;
/// The configuration measured: two decodes at a time, each under 64 MiB (the defaults).
const CONFIG: &str = "image_decodes = 2\nimage_decode_mib = 64\n";
/// The stated bound. Measured here: forty uploads in flight without decoding peak near 150 MiB,
/// and each decode at a time adds about 100 MiB (the pixels, a copy while converting, the
/// thumbnail): one at a time peaked at 300 MiB, two at 395, eight at 770. Without the gate
/// the first phase alone would run forty decodes at once: several GiB.
const BOUND_MIB: u64 = 640;

/// A PNG of `side` × `side` transparent RGBA pixels, written row by row (a few hundred KB).
fn huge_png(side: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side, side);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut w = enc.write_header().unwrap();
    {
        let mut stream = w.stream_writer().unwrap();
        let row = vec![0u8; side as usize * 4];
        for _ in 0..side {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
    }
    w.finish().unwrap();
    out
}

/// Peak resident set of a process, in MiB (Linux).
fn peak_rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/PID/status");
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb / 1024
}

#[test]
fn r32_many_huge_images_uploaded_at_once_stay_under_a_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chatd.toml"), CONFIG).unwrap();
    let served = support::serve(
        dir.path(),
        &[("CHATD_ADMIN_PASSWORD", "admin-password-for-tests")],
    );
    let base = format!("http://{}", served.addr);
    // This process holds the client side of eighty connections: like the server, it raises
    // its soft open-files limit (some CI containers start at 64).
    // Where even the hard limit is too low for forty, fewer at once (still far more than the
    // two decodes the gate lets through), said in the output.
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or(1024);
    let uploads = UPLOADS.min((limit.saturating_sub(64) / 3) as usize).max(8);
    if uploads < UPLOADS {
        eprintln!("open-files limit {limit}: {uploads} uploads at once instead of {UPLOADS}");
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    // A fresh connection per upload: none sits idle in a pool between the two rounds.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let token = rt.block_on(async {
        let login: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"login": "admin", "password": "admin-password-for-tests"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login["token"].as_str().expect("a token").to_owned()
    });
    let upload_all = |side: u32| {
        let png = huge_png(side);
        assert!(
            png.len() < 4 << 20,
            "the image is small: {} bytes",
            png.len()
        );
        rt.block_on(futures_util::future::join_all((0..uploads).map(|n| {
            let req = client
                .post(format!("{base}/api/v1/files?name=big-{side}-{n}.png"))
                .bearer_auth(&token)
                .header("content-type", "image/png")
                .body(png.clone());
            let dir = dir.path();
            async move {
                let r = req.send().await.unwrap_or_else(|e| {
                    panic!("upload: {e:?}\nchatd's log:\n{}", support::stderr_of(dir))
                });
                (
                    r.status().as_u16(),
                    r.json::<serde_json::Value>().await.unwrap(),
                )
            }
        })))
    };
    let under = upload_all(UNDER_CAP);
    let over = upload_all(OVER_CAP);
    let peak = peak_rss_mib(served.child.id());
    drop(served);
    for (status, body) in &under {
        assert_eq!(*status, 201, "{body}");
        assert_eq!(body["width"].as_u64(), Some(UNDER_CAP.into()));
        assert!(
            body["preview_url"].is_string(),
            "decoded and previewed: {body}"
        );
    }
    for (status, body) in &over {
        // Stored and measured from the header; too large to decode for a preview.
        assert_eq!(*status, 201, "{body}");
        assert_eq!(body["width"].as_u64(), Some(OVER_CAP.into()));
        assert!(body["preview_url"].is_null(), "{body}");
    }
    assert!(
        peak < BOUND_MIB,
        "peak resident set {peak} MiB after {uploads} uploads at once (bound {BOUND_MIB} MiB)"
    );
    eprintln!("peak resident set: {peak} MiB after 2 × {uploads} large images uploaded at once");
}
