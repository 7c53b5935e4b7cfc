//! Bar charts drawn as inline SVG (no JavaScript): the on-time rate of applications and the
//! decisions per unit of the enforcement statistics.

/// A bar's name as SVG text: its first `chars` characters, escaped.
fn label(name: &str, chars: usize) -> String {
    name.chars()
        .take(chars)
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
}

/// Horizontal bars of percentages, one line each: the name, the bar, the percentage.
pub fn percent_bars(aria_label: &str, bars: &[(&str, f64)]) -> String {
    let (w, bar, gap, label_w) = (760.0, 18.0, 10.0, 300.0);
    let h = (bars.len() as f64) * (bar + gap) + 30.0;
    let mut svg = format!(
        r##"<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" role="img" aria-label="{aria_label}">"##
    );
    for (i, (name, pct)) in bars.iter().enumerate() {
        let y = 10.0 + i as f64 * (bar + gap);
        let len = (w - label_w - 80.0) * pct / 100.0;
        let name = label(name, 20);
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1f2328">{name}</text><rect x="{label_w}" y="{y}" width="{len:.1}" height="{bar}" fill="#1a7f37"/><text x="{}" y="{}" font-size="12" fill="#1f2328">{:.0}%</text>"##,
            label_w - 8.0,
            y + 13.0,
            label_w + len + 6.0,
            y + 13.0,
            pct
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of counts, one line each: the whole name (never cut: the label column is as
/// wide as the longest name), the bar, the count.
pub fn count_columns(aria_label: &str, columns: &[(&str, i64)]) -> String {
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let longest = columns
        .iter()
        .map(|c| c.0.chars().count())
        .max()
        .unwrap_or(0);
    // 13 px a character at font size 12 (CJK characters are square).
    let label_w = 16.0 + 13.0 * longest as f64;
    let (bar_w, bar, gap) = (360.0, 18.0, 10.0);
    let w = label_w + bar_w + 60.0;
    let h = columns.len() as f64 * (bar + gap) + 20.0;
    let mut svg = format!(
        r##"<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" role="img" aria-label="{aria_label}">"##
    );
    for (i, (name, count)) in columns.iter().enumerate() {
        let y = 10.0 + i as f64 * (bar + gap);
        let len = bar_w * *count as f64 / max;
        let name = label(name, usize::MAX);
        svg.push_str(&format!(
            r##"<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#1f2328">{name}</text><rect x="{label_w}" y="{y}" width="{len:.1}" height="{bar}" fill="#0b57d0"/><text x="{}" y="{}" font-size="12" fill="#1f2328">{count}</text>"##,
            label_w - 8.0,
            y + 13.0,
            label_w + len + 6.0,
            y + 13.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_and_escaped() {
        let svg = percent_bars("按期办结率", &[("A&B<C", 50.0)]);
        assert!(svg.contains(">A&amp;B&lt;C</text>"), "{svg}");
        assert!(svg.contains(r#"width="190.0""#), "{svg}");
        assert!(svg.contains(">50%</text>"), "{svg}");
        // Unit names are whole, however long, and fit in the drawing.
        let svg = count_columns(
            "各单位作出决定数",
            &[("金水区商务局执法大队", 3), ("乙", 0)],
        );
        assert!(svg.contains(">金水区商务局执法大队</text>"), "{svg}");
        assert!(svg.contains(r#"width="360.0""#) && svg.contains(r#"width="0.0""#));
        assert!(
            svg.contains(r#"x="146""#) || svg.contains(r#"x="146.0""#),
            "{svg}"
        );
    }
}
