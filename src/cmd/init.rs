//! `handoff init [DIR]`: write the starter project ([`crate::init`]) and say what to run next.

use std::path::Path;

use crate::cli::InitArgs;
use crate::error::Error;
use crate::output;
use crate::report::plural;

pub fn run(args: &InitArgs) -> Result<u8, Error> {
    let dir = args.dir.as_deref().unwrap_or(Path::new("."));
    let done = crate::init::write(dir)?;
    let mut text = String::new();
    for p in &done.written {
        text.push_str(&format!("wrote {}\n", dir.join(p).display()));
    }
    for p in &done.kept {
        text.push_str(&format!(
            "kept  {} (already there; init never overwrites)\n",
            dir.join(p).display()
        ));
    }
    if !args.common.quiet {
        let cd = if dir == Path::new(".") {
            String::new()
        } else {
            format!("cd {} && ", dir.display())
        };
        text.push_str(&format!(
            "\n{} written. Next:\n  {cd}handoff lint --deny-warnings\n  {cd}handoff test rules/support.yaml\n  {cd}handoff replay rules/support.yaml logs/\n",
            plural(done.written.len(), "file", "files")
        ));
    }
    output::emit(None, &text)?;
    Ok(0)
}
