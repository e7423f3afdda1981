//! The server's integration tests: the real server on a random port over a
//! fresh database of a real PostgreSQL (DATABASE_URL, see
//! scripts/postgres.sh). Without DATABASE_URL they fail, never skip.

mod access;
mod auth;
mod basics;
mod helpers;
mod money;
mod openapi_limits;
mod rls;
mod sync;
mod transport;
