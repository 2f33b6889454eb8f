//! `handoff rules [CODE]`: the list of checks, or one check's explanation.

use crate::cli::RulesArgs;
use crate::error::Error;
use crate::lint::Code;
use crate::output;
use crate::text::did_you_mean;

pub fn run(args: &RulesArgs) -> Result<u8, Error> {
    let text = match &args.code {
        None => list(),
        Some(given) => {
            let Some(code) = Code::parse(given) else {
                let names = Code::ALL.iter().flat_map(|c| [c.as_str(), c.name()]);
                return Err(Error::UnknownCheck {
                    given: given.clone(),
                    suggestion: did_you_mean(given, names),
                });
            };
            let mut s = code.explanation();
            s.push_str(&format!(
                "\n\nSeverity: {} by default.\n",
                code.default_severity().as_str()
            ));
            s
        }
    };
    output::emit(None, &text)?;
    Ok(0)
}

fn list() -> String {
    let width = Code::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    let mut s = String::new();
    for c in Code::ALL {
        s.push_str(&format!(
            "{}  {:width$}  {:7}  {}\n",
            c.as_str(),
            c.name(),
            c.default_severity().as_str(),
            c.summary()
        ));
    }
    s.push_str("\n`handoff rules CODE` explains one check: what it does, why it matters, an example and how to fix it.\n");
    s
}
