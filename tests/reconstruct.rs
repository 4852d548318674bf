//! Guyot reconstruction against the truth: simulated patients → their KM
//! curve digitised as a person would (step corners, optionally a subset with
//! noise and the odd non-monotone click) with numbers at risk printed every
//! 5 months → reconstructed patients, compared with the simulated ones.

mod common;

use common::sim::{at_risk, digitise, simulate};
use survlit::stats::survival::km::{kaplan_meier, ConfType, KmFit};
use survlit::stats::survival::reconstruct::{clean_curve, reconstruct, Tier};

/// max |S_rec(t) − S_true(t)| on a grid of 201 times up to `until`.
fn max_diff(truth: &KmFit, rec: &KmFit, until: f64) -> f64 {
    (0..=200)
        .map(|i| until * f64::from(i) / 200.0)
        .map(|t| (truth.surv_at(t).surv - rec.surv_at(t).surv).abs())
        .fold(0.0, f64::max)
}

fn run(
    n: usize,
    noise: f64,
    keep: f64,
    events: bool,
    risk: bool,
    seed: u64,
) -> (f64, i64, Tier, Vec<String>) {
    let (t, e) = simulate(n, 1.0, 0.1, 30.0, seed);
    let truth = kaplan_meier(&t, &e, ConfType::Log, 0.95).unwrap();
    let (times, surv, notes) = clean_curve(&digitise(&truth, noise, keep, seed + 1));
    let last = *times.last().unwrap();
    let printed = if risk {
        at_risk(&truth, 5.0, last)
    } else {
        vec![(0.0, n)]
    };
    let total = events.then(|| e.iter().filter(|x| **x).count());
    let r = reconstruct(&times, &surv, &printed, total).unwrap();
    let (rt, re): (Vec<f64>, Vec<bool>) = r.patients.iter().map(|p| (p.time, p.event)).unzip();
    assert_eq!(rt.len(), n, "every patient is reconstructed");
    let rec = kaplan_meier(&rt, &re, ConfType::Log, 0.95).unwrap();
    let ev_err = r.events() as i64 - e.iter().filter(|x| **x).count() as i64;
    // Compared up to the last printed at-risk time (or the last point): past
    // it one or two patients remain and one event moves S by 1/n_at_risk.
    let until = if risk {
        printed.last().map_or(last, |p| p.0)
    } else {
        last
    };
    (max_diff(&truth, &rec, until), ev_err, r.tier, notes)
}

#[test]
fn exact_corners_with_numbers_at_risk_recover_the_curve() {
    for seed in [1, 2, 3] {
        for n in [100, 400] {
            let (d, _, tier, _) = run(n, 0.0, 1.0, false, true, seed);
            assert_eq!(tier, Tier::PointsRisk);
            assert!(d <= 0.03, "n = {n}, seed {seed}: max |dS| = {d}");
        }
    }
}

#[test]
fn total_events_are_matched() {
    for seed in [4, 5] {
        let (d, ev, tier, _) = run(200, 0.0, 1.0, true, true, seed);
        assert_eq!(tier, Tier::PointsRiskEvents);
        assert!(ev.abs() <= 1, "events off by {ev}");
        assert!(d <= 0.03, "max |dS| = {d}");
    }
}

#[test]
fn noisy_thinned_clicks_are_cleaned_and_still_close() {
    let (d, _, _, notes) = run(300, 0.01, 0.7, false, true, 7);
    assert!(
        notes.iter().any(|n| n.contains("non-increasing")),
        "{notes:?}"
    );
    assert!(d <= 0.05, "max |dS| = {d}");
}

#[test]
fn points_only_tier_runs_and_says_so() {
    let (_, _, tier, _) = run(9, 0.0, 1.0, false, false, 11);
    assert_eq!(tier, Tier::Points);
    let (_, ev, tier, _) = run(120, 0.0, 1.0, true, false, 12);
    assert_eq!(tier, Tier::PointsEvents);
    assert!(ev.abs() <= 2, "events off by {ev}");
}

#[test]
fn reconstruction_is_deterministic() {
    let a = run(150, 0.01, 0.8, true, true, 21);
    let b = run(150, 0.01, 0.8, true, true, 21);
    assert_eq!(a.0.to_bits(), b.0.to_bits());
    assert_eq!(a.1, b.1);
}

#[test]
fn cleaning_reports_what_it_changed() {
    let (t, s, notes) = clean_curve(&[
        (5.0, 80.0),
        (0.0, 100.0),
        (7.0, 85.0),
        (10.0, 60.0),
        (10.0, 55.0),
    ]);
    assert_eq!(t, vec![0.0, 5.0, 7.0, 10.0]);
    assert_eq!(s, vec![1.0, 0.8, 0.8, 0.55]);
    assert_eq!(notes.len(), 3, "{notes:?}");
}
