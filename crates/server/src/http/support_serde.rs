//! Serde helpers for request bodies.

use serde::{Deserialize, Deserializer};

/// Tells "absent" (`None`) from "null" (`Some(None)`) in a PATCH body.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
