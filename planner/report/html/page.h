// A self-contained HTML page: one file with its CSS inline, charts as inline
// SVG, no script and nothing fetched, laid out to print on paper. Every chart
// is a <figure> with a caption; the numbers behind it are in a table on the
// same page.
#ifndef MEMWALL_PLANNER_REPORT_HTML_PAGE_H_
#define MEMWALL_PLANNER_REPORT_HTML_PAGE_H_

#include <string>
#include <vector>

#include "planner/report/svg/canvas.h"

namespace memwall {
namespace html {

struct Table {
  std::string id;  // the test and the reader find it by id
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::string> units;  // optional second header row
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row_classes;  // per row, optional ("mark", ...)
  std::vector<size_t> text_columns;      // prose: aligned left, wrapping
};

class Page {
 public:
  Page(std::string title, std::string subtitle);

  void Heading(const std::string& text);
  void Paragraph(const std::string& text);
  // Items of a bulleted list (notes, sources).
  void List(const std::vector<std::string>& items);
  // A "Notes" heading and the notes as a list; nothing when there are none.
  void Notes(const std::vector<std::string>& notes);
  void Figure(const svg::Canvas& canvas, const std::string& caption);
  void AddTable(const Table& table);

  std::string Render() const;

 private:
  std::string title_, subtitle_, body_;
  int figures_ = 0;
};

// Escapes text for HTML.
std::string Escape(const std::string& text);

}  // namespace html
}  // namespace memwall

#endif  // MEMWALL_PLANNER_REPORT_HTML_PAGE_H_
