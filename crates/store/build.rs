//! `CHATD_TEST_KURRENTDB` (a KurrentDB connection string) turns the KurrentDB contract suite on;
//! without it those tests are reported as ignored, with the reason, rather than passing silently.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(kurrentdb_test_server)");
    println!("cargo::rerun-if-env-changed=CHATD_TEST_KURRENTDB");
    if std::env::var_os("CHATD_TEST_KURRENTDB").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=kurrentdb_test_server");
    }
}
