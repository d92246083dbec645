//! Compiles the one C function eidpl needs: libxml2's generic error handler is variadic, which
//! stable Rust cannot define (see src/xml/quiet.c).

fn main() {
    println!("cargo:rerun-if-changed=src/xml/quiet.c");
    cc::Build::new()
        .file("src/xml/quiet.c")
        .warnings(true)
        .compile("eidpl_quiet");
}
