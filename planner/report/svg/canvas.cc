#include "planner/report/svg/canvas.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace memwall {
namespace svg {
namespace {

// One decimal is a tenth of a pixel: finer than any screen, and it keeps a
// page of thousands of shapes small.
std::string N(double v) {
  std::string s = absl::StrFormat("%.1f", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
    s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string Points(const std::vector<std::pair<double, double>>& points) {
  std::string out;
  for (const auto& [x, y] : points) {
    if (!out.empty()) out += ' ';
    absl::StrAppend(&out, N(x), ",", N(y));
  }
  return out;
}

std::string Attr(const char* name, const std::string& value) {
  return value.empty() ? ""
                       : absl::StrCat(" ", name, "=\"", Escape(value), "\"");
}

std::string Close(const std::string& tag, const std::string& tip) {
  if (tip.empty()) return "/>";
  return absl::StrCat("><title>", Escape(tip), "</title></", tag, ">");
}

}  // namespace

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Canvas::Canvas(double width, double height, std::string title, std::string desc)
    : width_(width),
      height_(height),
      title_(std::move(title)),
      desc_(std::move(desc)) {}

void Canvas::Rect(double x, double y, double w, double h,
                  const std::string& cls, const std::string& fill,
                  const std::string& tip) {
  Shape s;
  s.kind = Shape::kRect;
  s.x = x;
  s.y = y;
  s.w = w;
  s.h = h;
  s.cls = cls;
  s.fill = fill;
  s.tip = tip;
  shapes_.push_back(std::move(s));
}

void Canvas::Line(double x1, double y1, double x2, double y2,
                  const std::string& cls) {
  Shape s;
  s.kind = Shape::kLine;
  s.x = x1;
  s.y = y1;
  s.x2 = x2;
  s.y2 = y2;
  s.cls = cls;
  shapes_.push_back(std::move(s));
}

void Canvas::Text(double x, double y, const std::string& text,
                  const std::string& cls, const std::string& anchor,
                  bool vertical) {
  Shape s;
  s.kind = Shape::kText;
  s.x = x;
  s.y = y;
  s.text = text;
  s.cls = cls;
  s.anchor = anchor;
  s.vertical = vertical;
  shapes_.push_back(std::move(s));
}

void Canvas::Circle(double cx, double cy, double r, const std::string& cls,
                    const std::string& fill, const std::string& tip) {
  Shape s;
  s.kind = Shape::kCircle;
  s.x = cx;
  s.y = cy;
  s.w = r;
  s.cls = cls;
  s.fill = fill;
  s.tip = tip;
  shapes_.push_back(std::move(s));
}

void Canvas::Polyline(std::vector<std::pair<double, double>> points,
                      const std::string& cls, const std::string& stroke) {
  Shape s;
  s.kind = Shape::kPolyline;
  s.points = std::move(points);
  s.cls = cls;
  s.fill = stroke;
  shapes_.push_back(std::move(s));
}

void Canvas::Polygon(std::vector<std::pair<double, double>> points,
                     const std::string& cls, const std::string& fill) {
  Shape s;
  s.kind = Shape::kPolygon;
  s.points = std::move(points);
  s.cls = cls;
  s.fill = fill;
  shapes_.push_back(std::move(s));
}

std::vector<const Shape*> Canvas::WithClass(const std::string& cls) const {
  std::vector<const Shape*> out;
  for (const Shape& s : shapes_) {
    if (s.cls == cls) out.push_back(&s);
  }
  return out;
}

std::string Canvas::Render(const std::string& id) const {
  std::string out = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 "
      "0 ",
      N(width_), " ", N(height_), "\" width=\"", N(width_), "\" role=\"img\" ",
      "aria-labelledby=\"", id, "-t ", id, "-d\">\n<title id=\"", id, "-t\">",
      Escape(title_), "</title>\n<desc id=\"", id, "-d\">", Escape(desc_),
      "</desc>\n");
  for (const Shape& s : shapes_) {
    const std::string cls = Attr("class", s.cls);
    switch (s.kind) {
      case Shape::kRect:
        absl::StrAppend(&out, "<rect", cls, " x=\"", N(s.x), "\" y=\"", N(s.y),
                        "\" width=\"", N(s.w), "\" height=\"", N(s.h), "\"",
                        Attr("fill", s.fill), Close("rect", s.tip), "\n");
        break;
      case Shape::kLine:
        absl::StrAppend(&out, "<line", cls, " x1=\"", N(s.x), "\" y1=\"",
                        N(s.y), "\" x2=\"", N(s.x2), "\" y2=\"", N(s.y2),
                        "\"/>\n");
        break;
      case Shape::kText:
        absl::StrAppend(
            &out, "<text", cls, " x=\"", N(s.x), "\" y=\"", N(s.y), "\"",
            s.anchor == "start" ? "" : Attr("text-anchor", s.anchor),
            s.vertical ? absl::StrCat(" transform=\"rotate(-90 ", N(s.x), " ",
                                      N(s.y), ")\"")
                       : "",
            ">", Escape(s.text), "</text>\n");
        break;
      case Shape::kCircle:
        absl::StrAppend(&out, "<circle", cls, " cx=\"", N(s.x), "\" cy=\"",
                        N(s.y), "\" r=\"", N(s.w), "\"", Attr("fill", s.fill),
                        Close("circle", s.tip), "\n");
        break;
      case Shape::kPolyline:
        absl::StrAppend(&out, "<polyline", cls, " points=\"", Points(s.points),
                        "\"", Attr("stroke", s.fill), "/>\n");
        break;
      case Shape::kPolygon:
        absl::StrAppend(&out, "<polygon", cls, " points=\"", Points(s.points),
                        "\"", Attr("fill", s.fill), "/>\n");
        break;
    }
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

}  // namespace svg
}  // namespace memwall
