//! The HTML report: one self-contained page whose charts have the expected bars, rendered by a
//! real browser (headless Chromium) where one is installed.

use std::process::Command;

use crate::util::Test;

fn fixture() -> Test {
    let t = Test::new();
    let serum = [
        "--product",
        "rose-serum",
        "--order-value",
        "24.50",
        "--asked",
        "replacement",
    ];
    t.log(
        "Ann",
        "delivery",
        "Wrong address",
        &[
            "--at",
            "2026-11-09T10:00:00Z",
            "--order-value",
            "65",
            "--asked",
            "refund",
        ],
    );
    t.log(
        "Maya",
        "defective",
        "Opener broke",
        &[&["--at", "2026-11-10T10:00:00Z"][..], &serum[..]].concat(),
    );
    t.log(
        "Bo",
        "defective",
        "Opener broke too",
        &[&["--at", "2026-11-12T10:00:00Z"][..], &serum[..]].concat(),
    );
    t.log("Cy", "late", "Late cake", &["--at", "2026-11-12T15:00:00Z"]);
    t
}

/// How many `rect.bar` elements the chart with this id holds.
fn bars(html: &str, id: &str) -> usize {
    let start = html
        .find(&format!("<svg id=\"{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = start + html[start..].find("</svg>").expect("chart closes");
    html[start..end].matches("class=\"bar\"").count()
}

#[test]
fn the_html_report_is_self_contained_with_one_bar_per_item() {
    let t = fixture();
    t.ok(&["report", "--format", "html", "-o", "week.html"]);
    let html = std::fs::read_to_string(t.dir().join("week.html")).expect("written");
    assert!(html.contains("Report 2026-W46"), "states its period");
    assert!(
        !html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http")
    );
    assert_eq!(bars(&html, "per-day"), 3, "three days had incidents");
    assert_eq!(bars(&html, "by-category"), 0, "nothing given yet");
    assert_eq!(bars(&html, "retention"), 2, "with and without extras");
}

#[test]
fn chromium_renders_the_report_with_its_charts() {
    let Some(chromium) = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!(
            "skipping: headless Chromium is not installed (.ci/run installs Debian's chromium)"
        );
        return;
    };
    let t = fixture();
    t.ok(&["report", "--format", "html", "-o", "week.html"]);
    let page = t.dir().join("week.html");
    let profile = t.dir().join("chromium-profile");
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium ran");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(dom.contains("Report 2026-W46"), "rendered page: {dom}");
    assert_eq!(bars(&dom, "per-day"), 3);
    assert_eq!(bars(&dom, "retention"), 2);
}
