// `sqlx::migrate!` embeds the migration folders at compile time, but Cargo does not know that a
// new file there changes the crate: without this, a build after adding a migration keeps the old
// list and the binary silently skips the new one.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
