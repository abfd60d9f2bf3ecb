//! R34's contract: leases with fences, and presence, as every backend keeps them.

use super::{event, stream, Harness};
use crate::cluster::Fence;
use crate::{EventStore, ExpectedVersion, StoreError};
use std::collections::HashSet;
use std::time::Duration;
use uuid::Uuid;

fn fence(lease: &str, holder: &str, fence: u64) -> Fence {
    Fence {
        lease: lease.into(),
        holder: holder.into(),
        fence,
    }
}

/// One holder at a time; renewals keep the fence, a new holder gets a larger one; a holder
/// whose lease ran out (it stalled) and was taken cannot append under it, nor can one that
/// gave it up; the new holder can.
pub async fn a_stale_lease_holder_cannot_append<H: Harness>(h: &H) {
    let store = h.open().await;
    let c = store.cluster();
    let lease = format!("contract-{}", Uuid::new_v4().simple());
    let s = stream("fenced");
    let long = Duration::from_secs(30);
    let a = c
        .acquire(&lease, "node-a", long)
        .await
        .unwrap()
        .expect("free");
    assert_eq!(c.acquire(&lease, "node-b", long).await.unwrap(), None);
    assert_eq!(c.acquire(&lease, "node-a", long).await.unwrap(), Some(a));
    store
        .append_fenced(
            &s,
            ExpectedVersion::Any,
            vec![event(0)],
            &fence(&lease, "node-a", a),
        )
        .await
        .expect("the holder appends");

    // node-a stalls past its lease; node-b takes it.
    let short = Duration::from_millis(300);
    assert_eq!(c.acquire(&lease, "node-a", short).await.unwrap(), Some(a));
    tokio::time::sleep(Duration::from_millis(600)).await;
    let b = c
        .acquire(&lease, "node-b", long)
        .await
        .unwrap()
        .expect("ran out");
    assert!(b > a, "a new holder's fence is larger: {a} then {b}");
    let err = store
        .append_fenced(
            &s,
            ExpectedVersion::Any,
            vec![event(1)],
            &fence(&lease, "node-a", a),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::LeaseLost(_)), "{err:?}");
    // node-a waking up cannot take it back while node-b's runs.
    assert_eq!(c.acquire(&lease, "node-a", long).await.unwrap(), None);
    store
        .append_fenced(
            &s,
            ExpectedVersion::Any,
            vec![event(2)],
            &fence(&lease, "node-b", b),
        )
        .await
        .expect("the new holder appends");

    // Given up: the fence is refused, and the next holder's is larger again.
    c.release(&lease, "node-b").await.unwrap();
    let err = store
        .append_fenced(
            &s,
            ExpectedVersion::Any,
            vec![event(3)],
            &fence(&lease, "node-b", b),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::LeaseLost(_)), "{err:?}");
    let a2 = c
        .acquire(&lease, "node-a", long)
        .await
        .unwrap()
        .expect("released");
    assert!(a2 > b);

    let written: Vec<u64> = store
        .read_stream(&s, 0, crate::Direction::Forwards, 10)
        .await
        .unwrap()
        .iter()
        .map(super::n_of)
        .collect();
    assert_eq!(written, vec![0, 2], "nothing refused was written");
}

/// A user is online while some node's latest word names them and has not run out; a node can
/// leave its own word out.
pub async fn presence_is_what_living_nodes_last_said<H: Harness>(h: &H) {
    let store = h.open().await;
    let c = store.cluster();
    let (n1, n2) = (
        format!("n1-{}", Uuid::new_v4()),
        format!("n2-{}", Uuid::new_v4()),
    );
    let (u1, u2, u3) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let mine = |set: HashSet<Uuid>| -> HashSet<Uuid> {
        set.into_iter()
            .filter(|u| [u1, u2, u3].contains(u))
            .collect()
    };
    let long = Duration::from_secs(30);
    c.heartbeat(&n1, &[u1, u2], long).await.unwrap();
    c.heartbeat(&n2, &[u2, u3], long).await.unwrap();
    assert_eq!(
        mine(c.online("").await.unwrap()),
        HashSet::from([u1, u2, u3])
    );
    assert_eq!(mine(c.online(&n1).await.unwrap()), HashSet::from([u2, u3]));
    assert_eq!(mine(c.online(&n2).await.unwrap()), HashSet::from([u1, u2]));
    c.heartbeat(&n1, &[], long).await.unwrap();
    assert_eq!(mine(c.online("").await.unwrap()), HashSet::from([u2, u3]));
    // n2 dies: its word runs out.
    c.heartbeat(&n2, &[u2, u3], Duration::from_millis(200))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mine(c.online("").await.unwrap()), HashSet::new());
}

/// R28 across nodes: failed logins are counted in a row per key, a row ends a window after its
/// last failure, and a success forgets the key. A store that is one process counts nothing
/// (its node's own count is the whole count) and says so with `None` throughout.
pub async fn failed_logins_are_counted_in_a_row_and_forgotten_on_success<H: Harness>(h: &H) {
    let store = h.open().await;
    let c = store.cluster();
    let long = Duration::from_secs(60);
    let key = format!("contract-{}", Uuid::new_v4());
    let Some(first) = c.login_failed(&key, long).await.unwrap() else {
        assert_eq!(c.login_failures(&key, long).await.unwrap(), None);
        c.login_succeeded(&key).await.unwrap();
        return;
    };
    assert_eq!(first, 1);
    assert_eq!(c.login_failed(&key, long).await.unwrap(), Some(2));
    let (n, ago) = c.login_failures(&key, long).await.unwrap().unwrap();
    assert_eq!(n, 2);
    assert!(
        ago < Duration::from_secs(30),
        "the last failure was {ago:?} ago"
    );
    // Another key is its own count.
    let other = format!("contract-{}", Uuid::new_v4());
    assert_eq!(c.login_failures(&other, long).await.unwrap(), None);
    assert_eq!(c.login_failed(&other, long).await.unwrap(), Some(1));
    // A success forgets the key.
    c.login_succeeded(&key).await.unwrap();
    assert_eq!(c.login_failures(&key, long).await.unwrap(), None);
    assert_eq!(c.login_failed(&key, long).await.unwrap(), Some(1));
    // A row ends a window after its last failure: then it is not reported, and counts anew.
    let short = Duration::from_millis(200);
    let brief = format!("contract-{}", Uuid::new_v4());
    assert_eq!(c.login_failed(&brief, short).await.unwrap(), Some(1));
    assert_eq!(c.login_failed(&brief, short).await.unwrap(), Some(2));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(c.login_failures(&brief, short).await.unwrap(), None);
    assert_eq!(c.login_failed(&brief, short).await.unwrap(), Some(1));
}
