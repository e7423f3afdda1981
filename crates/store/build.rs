// `sqlx::migrate!` embeds the migrations when the crate compiles: a new or
// changed migration has to rebuild the crate, not only a changed source file.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
