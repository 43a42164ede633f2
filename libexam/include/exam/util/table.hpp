// Aligned text tables for terminals, measured in display columns so that Cyrillic names and
// room labels line up.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <exam/export.hpp>
#include <exam/util/terminal.hpp>

namespace exam {

enum class Align { left, right };

struct TableColumn {
    std::string header;
    Align align = Align::left;
};

struct TableCell {
    TableCell(std::string text_, Color color_ = Color::none)  // NOLINT: implicit from text
        : text(std::move(text_)), color(color_) {}
    TableCell(const char* text_) : text(text_) {}  // NOLINT: implicit from text
    std::string text;
    Color color = Color::none;
};

class EXAM_EXPORT Table {
public:
    explicit Table(std::vector<TableColumn> columns);

    // Throws InternalError when the row has a different number of cells than columns.
    void add_row(std::vector<TableCell> cells);
    [[nodiscard]] std::size_t row_count() const { return m_rows.size(); }

    // Headers in bold, columns two spaces apart, no trailing spaces.
    void render(std::ostream& out, const Palette& palette) const;

private:
    std::vector<TableColumn> m_columns;
    std::vector<std::vector<TableCell>> m_rows;
};

}  // namespace exam
