//! `handoff completions SHELL` and `handoff man`: generated from the clap definition in
//! [`crate::cli`], so they list exactly the subcommands and options the binary takes.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::Error;
use crate::output;

pub fn run(args: &CompletionsArgs) -> Result<u8, Error> {
    let mut cmd = Cli::command();
    output::stream(None, |out| {
        clap_complete::generate(args.shell, &mut cmd, "handoff", out);
        Ok(())
    })?;
    Ok(0)
}

/// The man page: `handoff(1)` with every subcommand and its options.
pub fn man(args: &ManArgs) -> Result<u8, Error> {
    let page = clap_mangen::Man::new(Cli::command());
    output::stream(args.output.as_deref(), |out| page.render(out))?;
    Ok(0)
}
