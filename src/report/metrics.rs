//! `handoff metrics [NAME]`: the catalogue of report metrics, written from the one table the
//! report is built from ([`crate::metrics::catalog`]), so what it says cannot drift from what the
//! report shows.

use crate::metrics::Metric;
use crate::metrics::catalog::{About, Unit};

/// Every metric, section by section: its name, unit and denominator, and its definition.
pub fn list() -> String {
    let width = Metric::ALL
        .iter()
        .map(|m| m.name().len())
        .max()
        .unwrap_or(0);
    let mut s = String::new();
    let mut section = None;
    for m in Metric::ALL {
        let a = m.about();
        if section != Some(a.section) {
            if section.is_some() {
                s.push('\n');
            }
            s.push_str(&format!("{}\n", a.section.title()));
            section = Some(a.section);
        }
        let over = if a.unit == Unit::Count {
            String::new()
        } else {
            format!(" · over {}", a.denominator)
        };
        s.push_str(&format!(
            "  {:width$}  {}{over}\n      {}\n",
            m.name(),
            a.unit.as_str(),
            a.definition
        ));
    }
    s.push_str("\n`handoff metrics NAME` explains one metric. Percentiles are nearest-rank (the ⌈q·n⌉-th smallest); fractions are percentages in tables; a metric with an empty denominator is null in JSON and n/a in tables.\n");
    s
}

/// One metric: its section, definition, unit and denominator, and how reports show it.
pub fn explain(m: Metric) -> String {
    let About {
        section,
        unit,
        definition,
        denominator,
    } = m.about();
    let mut s = format!(
        "{} — {}\n\n{definition}\n\nUnit: {}\nDenominator: {denominator}\n",
        m.name(),
        section.title(),
        unit.as_str()
    );
    if let Some(l) = m.as_logged() {
        s.push_str(&format!(
            "As the logs show it: {} (beside it in the table report).\n",
            l.name()
        ));
    }
    if let Some(of) = Metric::ALL.iter().find(|x| x.as_logged() == Some(m)) {
        s.push_str(&format!(
            "What the matrix would do: {} (beside it in the table report).\n",
            of.name()
        ));
    }
    s.push_str(&format!(
        "With an empty denominator it is null in JSON and n/a in tables; gate it with --fail-if '{} > BOUND'.\n",
        m.name()
    ));
    s
}
