#include "planner/report/html/page.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace memwall {
namespace html {
namespace {

// Styles for the page and for the chart classes of planner/report/svg.
constexpr char kCss[] = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fff;
  margin: 0 auto; padding: 16px 24px 40px; max-width: 980px; }
h1 { font-size: 22px; margin: 8px 0 2px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd;
  padding-bottom: 3px; }
.subtitle { color: #444; margin: 0 0 12px; }
figure { margin: 12px 0 18px; break-inside: avoid; }
.figure-title { font-weight: 600; font-size: 14px; margin-bottom: 2px; }
figcaption { font-size: 13px; color: #333; margin-top: 4px; }
svg.chart { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px;
  font-variant-numeric: tabular-nums; break-inside: auto; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e3e3e3;
  text-align: right; white-space: nowrap; }
th { background: #f4f4f4; font-weight: 600; }
tr.units th { font-weight: 400; color: #555; }
td:first-child, th:first-child { text-align: left; }
td.text { text-align: left; white-space: normal; }
tr.mark td { background: #fff4d6; font-weight: 600; }
tr.erratum td { background: #fde8e0; }
.wide { overflow-x: auto; }
footer { margin-top: 32px; font-size: 12px; color: #555; }
.chart text { font: 12px system-ui, "DejaVu Sans", sans-serif; fill: #222; }
.chart .axis { stroke: #333; stroke-width: 1; }
.chart .grid { stroke: #e6e6e6; stroke-width: 1; }
.chart .tick-x, .chart .tick-y { stroke: #333; }
.chart .axis-label { font-weight: 600; }
.chart .capacity, .chart .limit, .chart .reference { stroke: #D55E00;
  stroke-width: 2; stroke-dasharray: 6 3; }
.chart .capacity-label, .chart .limit-label, .chart .reference-label {
  fill: #A33C00; font-weight: 600; }
.chart .capacity-label, .chart .limit-label, .chart .peak-label,
.chart .value-label { paint-order: stroke; stroke: #fff; stroke-width: 3px;
  stroke-linejoin: round; }
.chart .peak { fill: #000; }
.chart .peak-label { font-weight: 700; }
.chart .seg, .chart .step, .chart .bar, .chart .block, .chart .swatch {
  stroke: #fff; stroke-width: 0.5; }
.chart .total { stroke: none; }
.chart .idle, .chart .idle-swatch { fill: #f1f1f1; stroke: #c8c8c8;
  stroke-width: 0.5; }
.chart .block-label { font-size: 10px; fill: #000; }
.chart .value-label { font-size: 11px; fill: #333; }
.chart .front { fill: none; stroke: #000; stroke-width: 1.5; }
.chart .point-0 { opacity: 0.55; }
.chart .point-1, .chart .point-2 { stroke: #000; stroke-width: 0.8; }
.chart .series { fill: none; stroke-width: 2; }
.chart .dashed { stroke-dasharray: 6 4; }
.chart .marker { stroke: #fff; stroke-width: 0.8; }
.chart .band, .chart .band-swatch { fill: #56B4E9; fill-opacity: 0.3;
  stroke: none; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; }
  .wide { overflow: visible; }
  th { background: #eee !important; -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  .chart rect, .chart circle, .chart polygon { -webkit-print-color-adjust:
    exact; print-color-adjust: exact; }
}
)css";

}  // namespace

std::string Escape(const std::string& text) { return svg::Escape(text); }

Page::Page(std::string title, std::string subtitle)
    : title_(std::move(title)), subtitle_(std::move(subtitle)) {}

void Page::Heading(const std::string& text) {
  absl::StrAppend(&body_, "<h2>", Escape(text), "</h2>\n");
}

void Page::Paragraph(const std::string& text) {
  absl::StrAppend(&body_, "<p>", Escape(text), "</p>\n");
}

void Page::List(const std::vector<std::string>& items) {
  if (items.empty()) return;
  absl::StrAppend(&body_, "<ul>\n");
  for (const std::string& item : items) {
    absl::StrAppend(&body_, "<li>", Escape(item), "</li>\n");
  }
  absl::StrAppend(&body_, "</ul>\n");
}

void Page::Notes(const std::vector<std::string>& notes) {
  if (notes.empty()) return;
  Heading("Notes");
  List(notes);
}

void Page::Figure(const svg::Canvas& canvas, const std::string& caption) {
  ++figures_;
  absl::StrAppend(&body_,
                  "<figure>\n<div class=\"figure-title\" aria-hidden=\"true\">",
                  Escape(canvas.title()), "</div>\n",
                  canvas.Render(absl::StrCat("fig", figures_)), "<figcaption>",
                  Escape(caption), "</figcaption>\n</figure>\n");
}

void Page::AddTable(const Table& t) {
  absl::StrAppend(&body_, "<div class=\"wide\"><table id=\"", Escape(t.id),
                  "\">\n");
  if (!t.caption.empty()) {
    absl::StrAppend(&body_, "<caption>", Escape(t.caption), "</caption>\n");
  }
  absl::StrAppend(&body_, "<thead><tr>");
  for (const std::string& h : t.header) {
    absl::StrAppend(&body_, "<th scope=\"col\">", Escape(h), "</th>");
  }
  absl::StrAppend(&body_, "</tr>\n");
  if (!t.units.empty()) {
    absl::StrAppend(&body_, "<tr class=\"units\">");
    for (const std::string& u : t.units) {
      absl::StrAppend(&body_, "<th>", Escape(u), "</th>");
    }
    absl::StrAppend(&body_, "</tr>\n");
  }
  absl::StrAppend(&body_, "</thead>\n<tbody>\n");
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const std::string cls = i < t.row_classes.size() ? t.row_classes[i] : "";
    absl::StrAppend(&body_, cls.empty()
                                ? "<tr>"
                                : absl::StrCat("<tr class=\"", cls, "\">"));
    for (size_t c = 0; c < t.rows[i].size(); ++c) {
      const bool text = std::find(t.text_columns.begin(), t.text_columns.end(),
                                  c) != t.text_columns.end();
      absl::StrAppend(&body_, text ? "<td class=\"text\">" : "<td>",
                      Escape(t.rows[i][c]), "</td>");
    }
    absl::StrAppend(&body_, "</tr>\n");
  }
  absl::StrAppend(&body_, "</tbody>\n</table></div>\n");
}

std::string Page::Render() const {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n<title>",
      Escape(title_), "</title>\n<style>", kCss,
      "</style>\n</head>\n<body>\n<header><h1>", Escape(title_),
      "</h1>\n<p class=\"subtitle\">", Escape(subtitle_),
      "</p></header>\n<main>\n", body_,
      "</main>\n<footer>Generated by memwall. Memory in GiB = 2^30 bytes "
      "unless a column says otherwise; bandwidth in GB/s = 10^9 bytes/s; "
      "time in seconds.</footer>\n</body>\n</html>\n");
}

}  // namespace html
}  // namespace memwall
