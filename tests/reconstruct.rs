//! Guyot reconstruction against the truth: simulated patients → their KM
//! curve digitised as a person would (step corners, optionally a subset with
//! noise and the odd non-monotone click) with numbers at risk printed every
//! 5 months → reconstructed patients, compared with the simulated ones.

use crate::common::sim::{simulate, Trial};
use survlit::stats::survival::digitised::clean_curve;
use survlit::stats::survival::reconstruct::Tier;

fn run(
    n: usize,
    noise: f64,
    keep: f64,
    events: bool,
    risk: bool,
    seed: u64,
) -> (f64, i64, Tier, Vec<String>) {
    let (t, e) = simulate(n, 1.0, 0.1, 30.0, seed);
    let tr = Trial::run(t, e, noise, keep, risk, events, seed + 1);
    assert_eq!(tr.rec_time.len(), n, "every patient is reconstructed");
    (tr.max_diff(), tr.events_error(), tr.rec.tier, tr.notes)
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
