//! The `koers` binary: parses the command line and hands over to [`koers::cli`].

fn main() -> std::process::ExitCode {
    koers::cli::main()
}
