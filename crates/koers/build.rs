// Lays out the optimised binary's code so that the functions a council package render runs sit
// together at the start of `.text`, in the order of `link/symbol-order.txt`.
//
// Why: a render runs about 5 MB of the binary's 30 MB of code, spread over the whole of it. The
// kernel maps code in blocks around each page that is touched, so scattered code costs resident
// memory far beyond what runs: 18 MiB of code was mapped at the peak of a render, 6 MiB with
// this order (bench/README.md, render section). The list is made by `bench/link-order.sh` from
// the functions that one render of the demo package runs. A name that is no longer in the
// binary is skipped, so a stale list costs memory, never correctness; a new function simply
// lands after the listed ones. The list is made from, and matches, the `dist` build (one LTO
// unit, the binary as shipped); a `--release` build has other functions and gains little.
//
// Only for optimised builds on x86_64 Linux (glibc), where rustc links with its bundled lld,
// which reads the file; debug and test builds link as before.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link/symbol-order.txt");

    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let optimised = var("PROFILE") == "release";
    let lld_target = var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu";
    if optimised && lld_target {
        let order = format!("{}/link/symbol-order.txt", var("CARGO_MANIFEST_DIR"));
        println!("cargo:rustc-link-arg-bin=koers=-Wl,--symbol-ordering-file={order}");
        println!("cargo:rustc-link-arg-bin=koers=-Wl,--no-warn-symbol-ordering");
    }
}
