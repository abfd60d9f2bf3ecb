//! One test binary for every black-box API test (one link instead of many).

mod health;
