//! The rows of the main forest plot: each study with its weight and CI,
//! grouped under subgroup headings with a subtotal and a heterogeneity note
//! when the analysis has subgroups; the overall diamond; the prediction
//! interval.

use crate::plot::{ColumnKind, ForestMark, ForestRow, RowKind};
use crate::present::pool_models::model_name;
use crate::stats::pool::subgroups::{SubgroupFit, Subgroups};

use super::{
    ci_text, heterogeneity, p_text, shown, ForestFit, ForestLook, ForestSort, ForestStudy,
};
use crate::number::{fixed, statistic};

/// What every row is laid out from: the studies, the fit and the columns.
pub(super) struct Layout<'a> {
    /// The studies, in the fit's order.
    studies: &'a [ForestStudy],
    /// The fit and its display transform.
    f: &'a ForestFit<'a>,
    /// The columns shown (empty ones already left out).
    look: &'a ForestLook,
    /// The sum of the fit's weights (for percentages).
    total_weight: f64,
    /// Decimals of every estimate and CI of the figure.
    decimals: usize,
}

impl<'a> Layout<'a> {
    /// A layout of `studies` fitted by `f`, in the columns of `look`.
    pub(super) fn new(
        studies: &'a [ForestStudy],
        f: &'a ForestFit<'a>,
        look: &'a ForestLook,
        decimals: usize,
    ) -> Layout<'a> {
        Layout {
            studies,
            f,
            look,
            total_weight: f.fit.weights.iter().sum(),
            decimals,
        }
    }

    /// A weight as a percentage of the total (0 when the total is 0).
    fn percent(&self, w: f64) -> f64 {
        if self.total_weight > 0.0 {
            100.0 * w / self.total_weight
        } else {
            0.0
        }
    }

    /// The cells of a row, left columns then right ones; `study` fills the
    /// year, total and events columns (blank on summary rows).
    fn cells(
        &self,
        study: Option<&ForestStudy>,
        label: &str,
        weight: Option<f64>,
        est: &str,
    ) -> Vec<String> {
        let cell = |k: &ColumnKind| match k {
            ColumnKind::Study => label.to_string(),
            ColumnKind::Year => study
                .and_then(|s| s.year)
                .map_or(String::new(), |y| y.to_string()),
            ColumnKind::N => study.map_or(String::new(), |s| s.n.clone()),
            // Beside a Total column, "48/66" would repeat the total: the
            // count alone, under "Controlled" (see `columns`).
            ColumnKind::Events => study.map_or(String::new(), |s| {
                if self
                    .look
                    .left
                    .iter()
                    .chain(&self.look.right)
                    .any(|k| *k == ColumnKind::N)
                {
                    s.events.split('/').next().unwrap_or_default().to_string()
                } else {
                    s.events.clone()
                }
            }),
            ColumnKind::Weight => weight.map_or(String::new(), |w| fixed(w, 1)),
            ColumnKind::Estimate => est.to_string(),
        };
        self.look
            .left
            .iter()
            .chain(&self.look.right)
            .map(cell)
            .collect()
    }

    /// The rows above the overall diamond: every study in order, or, with
    /// subgroups, each subgroup's block in the order of their names.
    pub(super) fn body(&self) -> Vec<ForestRow> {
        match self.f.subgroups {
            Some(sg) => sg
                .groups
                .iter()
                .flat_map(|g| self.subgroup_block(sg, g))
                .collect(),
            None => self
                .sorted((0..self.studies.len()).collect())
                .into_iter()
                .map(|i| self.study_row(i))
                .collect(),
        }
    }

    /// Study indices in the look's order (a stable sort: ties keep the
    /// data's order).
    fn sorted(&self, mut idx: Vec<usize>) -> Vec<usize> {
        let key = |i: &usize| -> f64 {
            let s = &self.studies[*i];
            match self.look.sort {
                ForestSort::Entered => 0.0,
                ForestSort::Estimate => (self.f.display)(s.yi),
                ForestSort::Weight => -self.f.fit.weights[*i],
                ForestSort::Year => s.year.map_or(f64::INFINITY, f64::from),
            }
        };
        idx.sort_by(|a, b| key(a).total_cmp(&key(b)));
        idx
    }

    /// Study `i`: its Wald CI at the fit's level, its weight and square.
    fn study_row(&self, i: usize) -> ForestRow {
        let s = &self.studies[i];
        let weight = self.f.fit.weights[i];
        let z = crate::stats::effect::wald_ci(s.yi, s.vi, self.f.fit.params.level);
        let (e, lo, hi) = shown(self.f.display, s.yi, z.0, z.1);
        let ((lo, hi), mark) = match s.published_ci {
            Some(p) => (p, super::PUBLISHED_MARK),
            None => ((lo, hi), ""),
        };
        ForestRow {
            kind: RowKind::Data,
            cells: self.cells(
                Some(s),
                &s.label,
                Some(self.percent(weight)),
                &format!("{}{mark}", ci_text(e, lo, hi, self.decimals)),
            ),
            mark: ForestMark::Study {
                estimate: e,
                ci: (lo, hi),
                weight: Some(weight),
            },
            bold: false,
        }
    }

    /// One subgroup: its heading, its studies, its subtotal diamond and the
    /// heterogeneity note under it.
    fn subgroup_block(&self, sg: &Subgroups, g: &SubgroupFit) -> Vec<ForestRow> {
        let members: Vec<usize> = self.sorted(
            (0..self.studies.len())
                .filter(|&i| self.studies[i].subgroup.as_deref() == Some(g.group.as_str()))
                .collect(),
        );
        let mut rows = vec![ForestRow {
            kind: RowKind::Heading,
            cells: vec![g.group.clone()],
            mark: ForestMark::None,
            bold: true,
        }];
        rows.extend(members.iter().map(|&i| self.study_row(i)));
        let (e, lo, hi) = shown(self.f.display, g.estimate, g.ci_lb, g.ci_ub);
        let weight: f64 = members
            .iter()
            .map(|&i| self.percent(self.f.fit.weights[i]))
            .sum();
        rows.push(ForestRow {
            kind: RowKind::Data,
            cells: self.cells(
                None,
                &format!("Subtotal (k\u{a0}=\u{a0}{})", g.k),
                Some(weight),
                &ci_text(e, lo, hi, self.decimals),
            ),
            mark: ForestMark::Summary {
                estimate: e,
                ci: (lo, hi),
            },
            bold: true,
        });
        rows.push(ForestRow {
            kind: RowKind::Note,
            cells: vec![subgroup_note(sg, g)],
            mark: ForestMark::None,
            bold: false,
        });
        rows
    }

    /// The overall diamond, and its estimate on the display scale (where
    /// the plot draws its vertical line).
    pub(super) fn overall_row(&self) -> (ForestRow, f64) {
        let fit = self.f.fit;
        let (e, lo, hi) = shown(self.f.display, fit.beta[0], fit.ci_lb[0], fit.ci_ub[0]);
        let row = ForestRow {
            kind: RowKind::Data,
            cells: self.cells(
                None,
                &format!("{} (k\u{a0}=\u{a0}{})", model_name(fit), fit.k),
                Some(100.0),
                &ci_text(e, lo, hi, self.decimals),
            ),
            mark: ForestMark::Summary {
                estimate: e,
                ci: (lo, hi),
            },
            bold: true,
        };
        (row, e)
    }

    /// The prediction interval, when the fit has one.
    pub(super) fn prediction_row(&self) -> Option<ForestRow> {
        let (a, b) = self.f.fit.pi?;
        let (a, b) = ((self.f.display)(a), (self.f.display)(b));
        let (a, b) = (a.min(b), a.max(b));
        Some(ForestRow {
            kind: RowKind::Data,
            cells: self.cells(
                None,
                "Prediction interval",
                None,
                &format!("[{}, {}]", fixed(a, self.decimals), fixed(b, self.decimals)),
            ),
            mark: ForestMark::Prediction { pi: (a, b) },
            bold: false,
        })
    }
}

/// The note under a subgroup's subtotal: not applicable for one study, Q
/// alone when τ² is shared by all subgroups, else the subgroup's full
/// heterogeneity line.
fn subgroup_note(sg: &Subgroups, g: &SubgroupFit) -> String {
    if g.k < 2 {
        "Heterogeneity: not applicable (one study)".to_string()
    } else if sg.common_tau2 {
        format!(
            "Q({}) = {}, {} (tau² shared by all subgroups)",
            g.q_df,
            statistic(g.q),
            p_text(g.q_pval)
        )
    } else {
        heterogeneity(g.tau2, None, 0.95, g.i2, g.q, g.q_df, g.q_pval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::pool::{rma, subgroups, RmaParams, Tau2Method, TestKind};

    const PARAMS: RmaParams = RmaParams {
        method: Tau2Method::DL,
        test: TestKind::Z,
        level: 0.95,
    };

    /// Studies in subgroups "b", "a", "b", "a", "a" (data order, not by name).
    fn studies() -> Vec<ForestStudy> {
        ["b", "a", "b", "a", "a"]
            .iter()
            .enumerate()
            .map(|(i, g)| ForestStudy {
                label: format!("S{i}"),
                year: None,
                n: String::new(),
                events: String::new(),
                yi: 0.1 * i as f64,
                vi: 0.04 + 0.01 * i as f64,
                subgroup: Some(g.to_string()),
                published_ci: None,
            })
            .collect()
    }

    fn fitted(common_tau2: bool) -> (Vec<ForestStudy>, crate::stats::pool::RmaFit, Subgroups) {
        let s = studies();
        let y: Vec<f64> = s.iter().map(|s| s.yi).collect();
        let v: Vec<f64> = s.iter().map(|s| s.vi).collect();
        let labels: Vec<&str> = s.iter().map(|s| s.label.as_str()).collect();
        let level: Vec<usize> = s
            .iter()
            .map(|s| usize::from(s.subgroup.as_deref() == Some("b")))
            .collect();
        let fit = rma(&y, &v, None, &labels, PARAMS).unwrap();
        let sg = subgroups::fit(
            &y,
            &v,
            &labels,
            &level,
            vec!["a".into(), "b".into()],
            PARAMS,
            common_tau2,
        )
        .unwrap();
        (s, fit, sg)
    }

    fn look() -> ForestLook {
        ForestLook {
            left: vec![ColumnKind::Study],
            right: vec![ColumnKind::Weight],
            ..ForestLook::default()
        }
    }

    #[test]
    fn subgroups_come_in_name_order_each_heading_studies_subtotal_note() {
        let (s, fit, sg) = fitted(false);
        let f = ForestFit {
            fit: &fit,
            tau2_ci: None,
            subgroups: Some(&sg),
            display: &|x| x,
        };
        let look = look();
        let rows = Layout::new(&s, &f, &look, 2).body();
        let first: Vec<&str> = rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(
            &first[..5],
            ["a", "S1", "S3", "S4", "Subtotal (k\u{a0}=\u{a0}3)"]
        );
        assert!(first[5].starts_with("Heterogeneity: tau² = "));
        assert_eq!(
            &first[6..10],
            ["b", "S0", "S2", "Subtotal (k\u{a0}=\u{a0}2)"]
        );
        assert_eq!(rows.len(), 11);
        assert!(matches!(rows[0].kind, RowKind::Heading) && rows[0].bold);
        assert!(matches!(rows[4].mark, ForestMark::Summary { .. }) && rows[4].bold);
        assert!(matches!(rows[5].kind, RowKind::Note));
    }

    #[test]
    fn rows_sort_by_estimate_weight_or_year_within_their_subgroup() {
        let (mut s, fit, sg) = fitted(false);
        for (i, st) in s.iter_mut().enumerate() {
            st.year = Some(2010 - i as i32);
        }
        let labels = |sort, sg: Option<&Subgroups>| -> Vec<String> {
            let f = ForestFit {
                fit: &fit,
                tau2_ci: None,
                subgroups: sg,
                display: &|x| x,
            };
            let look = ForestLook { sort, ..look() };
            Layout::new(&s, &f, &look, 2)
                .body()
                .iter()
                .map(|r| r.cells[0].clone())
                .filter(|c| c.starts_with('S') && !c.starts_with("Sub"))
                .collect()
        };
        assert_eq!(
            labels(ForestSort::Entered, None),
            ["S0", "S1", "S2", "S3", "S4"]
        );
        // yi = 0.1 i: by estimate is the data order; by year, newest last.
        assert_eq!(
            labels(ForestSort::Year, None),
            ["S4", "S3", "S2", "S1", "S0"]
        );
        // Weights fall with i (vi grows): largest first is the data order.
        assert_eq!(
            labels(ForestSort::Weight, None),
            ["S0", "S1", "S2", "S3", "S4"]
        );
        // Within subgroups "a" (S1, S3, S4) and "b" (S0, S2).
        assert_eq!(
            labels(ForestSort::Year, Some(&sg)),
            ["S4", "S3", "S1", "S2", "S0"]
        );
    }

    #[test]
    fn subtotal_weights_are_the_members_share_of_the_overall_weight() {
        let (s, fit, sg) = fitted(false);
        let f = ForestFit {
            fit: &fit,
            tau2_ci: None,
            subgroups: Some(&sg),
            display: &|x| x,
        };
        let look = look();
        let rows = Layout::new(&s, &f, &look, 2).body();
        let total: f64 = fit.weights.iter().sum();
        let a = 100.0 * (fit.weights[1] + fit.weights[3] + fit.weights[4]) / total;
        assert_eq!(rows[4].cells[1], fixed(a, 1));
    }

    #[test]
    fn a_shared_tau2_notes_q_alone_and_a_single_study_is_not_applicable() {
        let (_, _, mut sg) = fitted(true);
        assert!(subgroup_note(&sg, &sg.groups[0]).ends_with("(tau² shared by all subgroups)"));
        sg.groups[0].k = 1;
        assert_eq!(
            subgroup_note(&sg, &sg.groups[0]),
            "Heterogeneity: not applicable (one study)"
        );
    }
}
