//! R35's contract: data keys are made once per subject, survive a reopen, and once destroyed
//! stay destroyed.

use super::Harness;
use crate::keys::StoredKey;
use crate::EventStore;
use uuid::Uuid;

pub async fn data_keys_are_made_once_and_destroyed_for_good<H: Harness>(h: &H) {
    let store = h.open().await;
    let Some(keys) = store.keys() else {
        eprintln!("this backend keeps no data keys: the caller keeps them beside it");
        return;
    };
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    assert_eq!(keys.get(a).await.unwrap(), StoredKey::Absent);
    assert_eq!(
        keys.create(a, b"first").await.unwrap(),
        StoredKey::Live(b"first".to_vec())
    );
    // A second writer (another node, a retry) gets the first key.
    assert_eq!(
        keys.create(a, b"second").await.unwrap(),
        StoredKey::Live(b"first".to_vec())
    );
    keys.create(b, b"other").await.unwrap();
    let all = keys.all().await.unwrap();
    assert!(all.contains(&(a, StoredKey::Live(b"first".to_vec()))));
    assert!(all.contains(&(b, StoredKey::Live(b"other".to_vec()))));

    assert!(keys.destroy(a).await.unwrap(), "a live key was destroyed");
    assert!(
        !keys.destroy(a).await.unwrap(),
        "destroying again changes nothing"
    );
    assert_eq!(keys.get(a).await.unwrap(), StoredKey::Destroyed);
    // Never made again.
    assert_eq!(
        keys.create(a, b"again").await.unwrap(),
        StoredKey::Destroyed
    );
    // A subject that never had a key can be marked destroyed ahead of any key.
    let never = Uuid::new_v4();
    assert!(!keys.destroy(never).await.unwrap());
    assert_eq!(
        keys.create(never, b"late").await.unwrap(),
        StoredKey::Destroyed
    );
    // The other subject is untouched, and all of it survives a reopen.
    store.close().await;
    let store = h.open().await;
    let keys = store.keys().unwrap();
    assert_eq!(keys.get(a).await.unwrap(), StoredKey::Destroyed);
    assert_eq!(
        keys.get(b).await.unwrap(),
        StoredKey::Live(b"other".to_vec())
    );
}
