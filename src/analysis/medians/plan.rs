//! What `check` can tell about a `medians` analysis before it runs: a
//! contrast it cannot pool, and options the chosen method ignores.

use crate::analysis::plan::{self, Planned};
use crate::analysis::{AnalysisError, Kind};
use crate::domain::Evidence;
use crate::project::AnalysisSpec;

use super::options::Options;
use super::{Medians, Method};

pub(super) fn plan(
    spec: &AnalysisSpec,
    o: &Options,
    evidence: &Evidence,
    data_ok: bool,
    p: &mut Planned,
) {
    plan::common(spec, Medians::READS, evidence, data_ok, p);
    if let Err(AnalysisError::Spec(e)) = o.contrast_spec(spec) {
        p.errors.push(e);
    }
    let method = o.method();
    if matches!(method, Method::Mm | Method::Wmm) {
        let why = "the median of medians has no τ² or test (they apply to method = \"wald\" and \"mean\")";
        p.ignored(spec, "tau2", why);
        p.ignored(spec, "test", why);
    }
    if method != Method::Mean {
        let why = "conversions to mean/SD apply to method = \"mean\" only";
        p.ignored(spec, "conversion", why);
        p.ignored(spec, "skewed", why);
    }
    if o.contrast.is_none() {
        p.ignored(spec, "effect", "effect applies with contrast only");
    }
}
