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
fn the_html_report_is_a_self_contained_brief() {
    let t = fixture();
    t.log(
        "Dee",
        "defective",
        "Opener broke, a third time",
        &["--product", "rose-serum", "--at", "2026-11-16T10:00:00Z"],
    );
    t.ok(&["resolve", "1", "--give", "credit=65", "--credit-instead"]);
    t.ok(&["report", "--format", "html", "-o", "week.html"]);
    let html = std::fs::read_to_string(t.dir().join("week.html")).expect("written");
    // The week the credit was given and the third complaint came: what needs the owner.
    t.ok(&[
        "report", "--week", "2026-W47", "--format", "html", "-o", "w47.html",
    ]);
    let next = std::fs::read_to_string(t.dir().join("w47.html")).expect("written");
    for needed in [
        "Recurring product <b>rose-serum</b>: 3 complaints",
        "Credit instead of a refund</span>: incident #1 (Ann), EUR 65.00",
    ] {
        assert!(next.contains(needed), "{needed} in {next}");
    }
    assert!(
        html.contains("Complaints brief: 2026-W46"),
        "states its period"
    );
    assert!(
        html.contains("Mon 9 Nov 2026 to Sun 15 Nov 2026"),
        "in days: {html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http")
    );
    assert_eq!(
        bars(&html, "per-day"),
        7,
        "every day of the week, quiet ones too"
    );
    // What every other format holds, in plain words.
    for needed in [
        "Complaints opened",
        "EUR 0.00",
        "Nothing was given in the period",
        "prefers-color-scheme:dark",
        "@page{size:A4",
    ] {
        assert!(html.contains(needed), "{needed} in {html}");
    }
    assert!(
        !html.contains("incidents_opened") && !html.contains("1.000"),
        "no machine keys"
    );
    assert!(html.contains("too few to tell") || html.contains("no one closed"));
}

/// The report with a measuring script added (the page itself has none), rendered at `width`:
/// returns the DOM and the widest right edge of any element, against the viewport.
fn measured(chromium: &str, t: &Test, width: u32) -> (String, f64, f64) {
    let html = std::fs::read_to_string(t.dir().join("week.html")).expect("written");
    // Headless Chromium keeps its window at least 500 px wide, so a narrower viewport is laid
    // out by giving the page's root that width; then no element may reach past it.
    let probe = format!(
        "<script>addEventListener('load',()=>{{for(const d of document.querySelectorAll\
         ('details'))d.open=true;const v=Math.min(innerWidth,{width});document.documentElement\
         .style.width=v+'px';let w=0;for(const e of document.querySelectorAll('body *'))\
         {{w=Math.max(w,e.getBoundingClientRect().right)}}document.body.dataset.widest=w;\
         document.body.dataset.viewport=v}})</script></body>"
    );
    let page = t.dir().join(format!("measure-{width}.html"));
    std::fs::write(&page, html.replace("</body>", &probe)).expect("write");
    let profile = t.dir().join(format!("profile-{width}"));
    let output = Command::new(chromium)
        .args(headless())
        .arg(format!("--window-size={width},1200"))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium ran");
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let number = |name: &str| -> f64 {
        let key = format!("data-{name}=\"");
        let start = dom.find(&key).unwrap_or_else(|| panic!("no {name}: {dom}")) + key.len();
        let end = start + dom[start..].find('"').expect("closes");
        dom[start..end].parse().expect("a number")
    };
    let (widest, viewport) = (number("widest"), number("viewport"));
    // A screenshot to look at: target/html-brief-WIDTH.png.
    let shot = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("html-brief-{width}.png"));
    let _ = Command::new(chromium)
        .args(headless())
        .arg(format!("--window-size={width},1600"))
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", t.dir().join("week.html").display()))
        .output();
    (dom, widest, viewport)
}

fn headless() -> [&'static str; 8] {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--hide-scrollbars",
    ]
}

#[test]
fn chromium_renders_the_brief_without_sideways_scrolling_at_desktop_and_phone_widths() {
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
    for width in [1280, 390] {
        let (dom, widest, viewport) = measured(chromium, &t, width);
        assert!(
            dom.contains("Complaints brief: 2026-W46"),
            "rendered page: {dom}"
        );
        assert_eq!(bars(&dom, "per-day"), 7);
        assert!(viewport > 0.0 && viewport <= f64::from(width), "{viewport}");
        assert!(
            widest <= viewport + 0.5,
            "at {width}px something is {widest}px wide in a {viewport}px viewport"
        );
    }
}
