// An SVG drawing kept as a list of shapes, rendered once. Charts add shapes;
// tests read them back (by class) to check geometry; Render() writes the
// markup with a <title> and <desc> so that every chart has a text
// alternative (WAI-ARIA: role="img", aria-labelledby).
#ifndef MEMWALL_PLANNER_REPORT_SVG_CANVAS_H_
#define MEMWALL_PLANNER_REPORT_SVG_CANVAS_H_

#include <string>
#include <utility>
#include <vector>

namespace memwall {
namespace svg {

struct Shape {
  enum Kind { kRect, kLine, kText, kCircle, kPolyline, kPolygon };
  Kind kind = kRect;
  // kRect: x, y, w, h. kLine: (x, y) -> (x2, y2). kText: anchor point (x, y).
  // kCircle: centre (x, y), radius w.
  double x = 0, y = 0, w = 0, h = 0, x2 = 0, y2 = 0;
  std::vector<std::pair<double, double>> points;  // kPolyline, kPolygon
  std::string cls;        // CSS class (the page's stylesheet styles it)
  std::string fill;       // explicit colour, empty = from the class
  std::string text;       // kText content
  std::string tip;        // hover text (<title> child)
  std::string anchor;     // kText: start, middle, end
  bool vertical = false;  // kText rotated -90 degrees about (x, y)
};

class Canvas {
 public:
  Canvas(double width, double height, std::string title, std::string desc);

  void Rect(double x, double y, double w, double h, const std::string& cls,
            const std::string& fill = "", const std::string& tip = "");
  void Line(double x1, double y1, double x2, double y2, const std::string& cls);
  void Text(double x, double y, const std::string& text, const std::string& cls,
            const std::string& anchor = "start", bool vertical = false);
  void Circle(double cx, double cy, double r, const std::string& cls,
              const std::string& fill = "", const std::string& tip = "");
  void Polyline(std::vector<std::pair<double, double>> points,
                const std::string& cls, const std::string& stroke = "");
  void Polygon(std::vector<std::pair<double, double>> points,
               const std::string& cls, const std::string& fill = "");

  // Charts whose height depends on their content set it when done.
  void SetHeight(double height) { height_ = height; }
  double width() const { return width_; }
  double height() const { return height_; }
  const std::string& title() const { return title_; }
  const std::string& desc() const { return desc_; }
  const std::vector<Shape>& shapes() const { return shapes_; }
  // The shapes whose class is `cls` (exactly), in drawing order.
  std::vector<const Shape*> WithClass(const std::string& cls) const;

  // <svg ...> with a viewBox, so the page scales it to its column; `id`
  // prefixes the title/desc ids (unique within a page).
  std::string Render(const std::string& id) const;

 private:
  double width_, height_;
  std::string title_, desc_;
  std::vector<Shape> shapes_;
};

// Escapes &, <, >, " and ' for text and attribute values.
std::string Escape(const std::string& text);

}  // namespace svg
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_SVG_CANVAS_H_
